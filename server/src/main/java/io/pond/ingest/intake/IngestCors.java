package io.pond.ingest.intake;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsProcessor;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.cors.DefaultCorsProcessor;

/**
 * CORS for the ingestion paths: any origin, GET/POST, any request header, {@code Retry-After}
 * exposed, no credentials, preflight cached a day. Used by Spring MVC's mappings
 * ({@link IngestSecurity}) and by the servlets that serve ingestion outside Spring MVC.
 */
@Component
public class IngestCors {

  private final CorsConfiguration configuration = configuration();
  private final CorsProcessor processor = new DefaultCorsProcessor();

  static CorsConfiguration configuration() {
    CorsConfiguration c = new CorsConfiguration();
    c.setAllowedOriginPatterns(List.of("*"));
    c.setAllowedMethods(List.of("GET", "POST", "OPTIONS"));
    c.setAllowedHeaders(List.of("*"));
    c.setExposedHeaders(List.of("Retry-After"));
    c.setAllowCredentials(false);
    c.setMaxAge(86_400L);
    return c;
  }

  /**
   * Adds the CORS headers to a cross-origin request's answer; returns false when the request is
   * already answered: a preflight (200) or a refused cross-origin request (403).
   */
  public boolean process(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (!CorsUtils.isCorsRequest(request)) {
      return true;
    }
    if (!processor.processRequest(configuration, request, response)) {
      return false;
    }
    if (CorsUtils.isPreFlightRequest(request)) {
      response.setStatus(HttpServletResponse.SC_OK);
      return false;
    }
    return true;
  }
}
