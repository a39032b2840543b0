package io.pond.ingest.intake;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Ingestion paths authenticate write keys themselves (HTTP Basic with the key as user name, a
 * {@code writeKey} body field, or a {@code token} parameter). They get their own filter chain
 * without Spring Security's HTTP Basic, which would otherwise take a write key for a console user.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class IngestSecurity {

  static final String[] PATHS = {"/v1/**", "/sa", "/sa/**", "/sa.gif", "/debug", "/pond.js"};

  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE + 10)
  SecurityFilterChain ingestionFilterChain(HttpSecurity http) throws Exception {
    http.securityMatcher(PATHS)
        .csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .httpBasic(basic -> basic.disable())
        .anonymous(a -> {})
        .authorizeHttpRequests(auth -> auth.anyRequest().permitAll());
    return http.build();
  }
}
