package io.pond.platform.pii;

import io.pond.platform.config.PondSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The PII key ring: {@code POND_PII_KEY} when set, otherwise a key generated once into
 * {@code <data dir>/keys/pii.key} (owner-only permissions) and read from there on every later start;
 * retired keys from {@code POND_PII_RETIRED_KEYS} and the key file's further lines (see {@link PiiKeys}).
 */
@Configuration(proxyBeanMethods = false)
class PiiConfiguration {

  @Bean
  PiiCipher piiCipher(PondSettings settings, Environment environment) {
    return PiiKeys.load(settings, environment.getProperty(PiiKeys.RETIRED_KEYS)).cipher();
  }
}
