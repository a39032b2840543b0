package io.pond.platform.config;

import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

@Configuration(proxyBeanMethods = false)
class PlatformConfiguration {

  @Bean
  PondSettings pondSettings(Environment environment) {
    return PondSettings.from(environment::getProperty);
  }

  /** The one source of time; its zone is the brand's timezone, which decides local dates. */
  @Bean
  @ConditionalOnMissingBean
  Clock clock(PondSettings settings) {
    return Clock.system(settings.timezone());
  }
}
