package io.pond.ingest.intake;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.cors.CorsConfiguration;

/**
 * Ingestion paths authenticate write keys themselves (HTTP Basic with the key as user name, a
 * {@code writeKey} body field, or a {@code token} parameter). They get their own filter chain
 * without Spring Security's HTTP Basic, which would otherwise take a write key for a console user.
 *
 * <p>They answer cross-origin requests (CORS) from any origin, so that {@code pond.js} and other web
 * SDKs on a brand's pages can post to Pond. Credentials (cookies) are not allowed: these paths
 * authenticate by write key only, and a write key is public in a web page anyway.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class IngestSecurity {

  static final String[] PATHS = {"/v1/**", "/sa", "/sa/**", "/sa.gif", "/debug", "/pond.js", "/sdk/**"};

  private static final CorsConfiguration CORS = cors();

  private static CorsConfiguration cors() {
    CorsConfiguration c = new CorsConfiguration();
    c.setAllowedOriginPatterns(List.of("*"));
    c.setAllowedMethods(List.of("GET", "POST", "OPTIONS"));
    c.setAllowedHeaders(List.of("*"));
    c.setExposedHeaders(List.of("Retry-After"));
    c.setAllowCredentials(false);
    c.setMaxAge(Duration.ofDays(1));
    return c;
  }

  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE + 10)
  SecurityFilterChain ingestionFilterChain(HttpSecurity http) throws Exception {
    http.securityMatcher(PATHS)
        .csrf(csrf -> csrf.disable())
        .cors(cors -> cors.configurationSource(request -> CORS))
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .httpBasic(basic -> basic.disable())
        .anonymous(a -> {})
        .authorizeHttpRequests(auth -> auth.anyRequest().permitAll());
    return http.build();
  }
}
