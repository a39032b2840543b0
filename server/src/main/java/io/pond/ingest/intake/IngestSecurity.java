package io.pond.ingest.intake;

import io.micrometer.observation.ObservationPredicate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Ingestion paths authenticate write keys themselves (HTTP Basic with the key as user name, a
 * {@code writeKey} body field, or a {@code token} parameter), so Spring Security does not see them
 * at all: its HTTP Basic would take a write key for a console user, and they need nothing else of it
 * (no session, no CSRF — they are write-only and keyed — no security headers on JSON answers).
 *
 * <p>They answer cross-origin requests (CORS) from any origin, so that {@code pond.js} and other web
 * SDKs on a brand's pages can post to Pond. Credentials (cookies) are not allowed: these paths
 * authenticate by write key only, and a write key is public in a web page anyway.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class IngestSecurity implements WebMvcConfigurer {

  static final String[] PATHS = {"/v1/**", "/sa", "/sa/**", "/sa.gif", "/debug", "/pond.js", "/sdk/**"};

  // PERF: a request through Spring Security's filter chain (a dozen filters, each wrapped in a
  // Micrometer observation) cost about as much CPU as parsing and storing a single event; ignoring
  // these paths instead of permitting them roughly halved the CPU per single-event request (see
  // docs/benchmarks.md, "Ingestion").
  @Bean
  WebSecurityCustomizer ingestionPathsBypassSecurity() {
    return web -> web.ignoring().requestMatchers(PATHS);
  }

  // PERF: no http.server.requests observation (a Micrometer timer per request) for ingestion:
  // pond.ingest.events counts what they did.
  @Bean
  ObservationPredicate ingestionRequestsAreNotObserved() {
    return (name, context) ->
        !(context instanceof ServerRequestObservationContext c && isIngestion(c.getCarrier().getRequestURI()));
  }

  static boolean isIngestion(String uri) {
    return uri != null && (uri.startsWith("/v1/") || uri.startsWith("/sa"));
  }

  @Override
  public void addCorsMappings(CorsRegistry registry) {
    for (String path : PATHS) {
      registry.addMapping(path)
          .allowedOriginPatterns("*")
          .allowedMethods("GET", "POST", "OPTIONS")
          .allowedHeaders("*")
          .exposedHeaders("Retry-After")
          .allowCredentials(false)
          .maxAge(86_400);
    }
  }
}
