package io.pond.ingest.segment;

import io.pond.ingest.intake.IngestCors;
import io.pond.ingest.intake.RateLimitedException;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Segment endpoints as a plain servlet mapped to their exact paths, in front of Spring MVC's
 * dispatcher: the same handling ({@link SegmentController#handle}) without handler lookup,
 * argument resolution, content negotiation and message converters.
 *
 * <p>PERF: for single-event requests the dispatcher's layers cost more CPU than the event itself
 * (see docs/benchmarks.md, "Ingestion"). Answers are the same: JSON on success, problem+json with
 * {@code code} and {@code field} on failure, 429 with {@code Retry-After}, CORS for any origin.
 */
class SegmentServlet extends HttpServlet {

  private static final Logger log = LoggerFactory.getLogger(SegmentServlet.class);
  static final Set<String> TYPES = Set.of("identify", "track", "page", "screen", "group", "alias", "batch", "import");

  private final transient SegmentController handler;
  private final transient JsonMapper json;
  private final transient IngestCors cors;

  SegmentServlet(SegmentController handler, JsonMapper json, IngestCors cors) {
    this.handler = handler;
    this.json = json;
    this.cors = cors;
  }

  static List<String> paths() {
    List<String> paths = new ArrayList<>();
    for (String type : TYPES) {
      paths.add("/v1/" + type);
      paths.add("/v1/" + type + "/");
    }
    return paths;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (!cors.process(request, response)) {
      return; // a preflight (answered) or a refused cross-origin request
    }
    if (!"POST".equals(request.getMethod())) {
      response.setHeader("Allow", "POST");
      problem(request, response, new PondException(ErrorCode.METHOD_NOT_ALLOWED, "use POST"));
      return;
    }
    String path = request.getServletPath();
    String type = path.substring("/v1/".length(), path.endsWith("/") ? path.length() - 1 : path.length());
    Map<String, Object> answer;
    try {
      answer = handler.handle(type, request);
    } catch (RateLimitedException e) {
      response.setHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
      problem(request, response, e);
      return;
    } catch (PondException e) {
      problem(request, response, e);
      return;
    } catch (RuntimeException e) {
      log.error("Unexpected error", e);
      problem(request, response,
          new PondException(ErrorCode.INTERNAL_ERROR, "An unexpected error occurred; it has been logged."));
      return;
    }
    write(response, 200, "application/json", answer(answer));
  }

  /**
   * The answer as JSON. PERF: the usual answers (booleans, counts, an empty {@code rejected}) are
   * written directly, byte for byte as Jackson writes them; anything else goes through Jackson.
   */
  byte[] answer(Map<String, Object> answer) {
    StringBuilder b = new StringBuilder(96).append('{');
    for (Map.Entry<String, Object> e : answer.entrySet()) {
      Object v = e.getValue();
      if (b.length() > 1) {
        b.append(',');
      }
      b.append('"').append(e.getKey()).append("\":");
      if (v instanceof Boolean || v instanceof Integer) {
        b.append(v);
      } else if (v instanceof List<?> l && l.isEmpty()) {
        b.append("[]");
      } else {
        return json.writeValueAsBytes(answer);
      }
    }
    return b.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  private void problem(HttpServletRequest request, HttpServletResponse response, PondException e) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "urn:pond:problem:" + e.code().wire());
    body.put("title", e.code().title());
    body.put("status", e.code().status());
    body.put("detail", e.getMessage());
    body.put("instance", request.getRequestURI());
    body.put("code", e.code().wire());
    if (e.field() != null) {
      body.put("field", e.field());
    }
    write(response, e.code().status(), "application/problem+json", json.writeValueAsBytes(body));
  }

  private static void write(HttpServletResponse response, int status, String contentType, byte[] body)
      throws IOException {
    response.setStatus(status);
    response.setContentType(contentType);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  /**
   * Serves the Segment paths ahead of the application's filter chain (character encoding, request
   * context, observation, Spring Security's firewall and matchers, WebSocket upgrade check): none of
   * them does anything for these requests — Spring Security ignores the ingestion paths, they are
   * not observed, and the servlet reads the body as bytes and authenticates the write key itself.
   *
   * <p>PERF: for single-event requests those filters cost about as much CPU as the servlet (see
   * docs/benchmarks.md, "Ingestion"). Only a request URI that is exactly one of the paths takes this
   * way; anything else (path parameters, encoded characters) goes through the whole chain as before,
   * so Spring Security's firewall still sees every unusual URI.
   */
  static final class FastPath implements Filter {
    private final SegmentServlet servlet;
    private final Set<String> paths = Set.copyOf(paths());

    FastPath(SegmentServlet servlet) {
      this.servlet = servlet;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      if (request instanceof HttpServletRequest http
          && response instanceof HttpServletResponse httpResponse
          && http.getContextPath().isEmpty()
          && paths.contains(http.getRequestURI())) {
        servlet.service(http, httpResponse);
        return;
      }
      chain.doFilter(request, response);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication
  static class Registration {
    @Bean
    SegmentServlet pondSegmentServlet(SegmentController handler, JsonMapper json, IngestCors cors) {
      return new SegmentServlet(handler, json, cors);
    }

    @Bean
    ServletRegistrationBean<SegmentServlet> segmentServlet(SegmentServlet servlet) {
      ServletRegistrationBean<SegmentServlet> r =
          new ServletRegistrationBean<>(servlet, paths().toArray(String[]::new));
      r.setName("pondSegmentIngestion");
      r.setLoadOnStartup(1);
      return r;
    }

    @Bean
    FilterRegistrationBean<FastPath> segmentFastPath(SegmentServlet servlet) {
      FilterRegistrationBean<FastPath> r = new FilterRegistrationBean<>(new FastPath(servlet));
      r.setName("pondSegmentFastPath");
      r.setUrlPatterns(paths());
      r.setOrder(Ordered.HIGHEST_PRECEDENCE);
      return r;
    }
  }
}
