package io.pond.ingest.segment;

import io.pond.ingest.intake.IngestCors;
import io.pond.ingest.intake.RateLimitedException;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
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
    write(response, 200, "application/json", json.writeValueAsBytes(answer));
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

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication
  static class Registration {
    @Bean
    ServletRegistrationBean<SegmentServlet> segmentServlet(SegmentController handler, JsonMapper json, IngestCors cors) {
      ServletRegistrationBean<SegmentServlet> r =
          new ServletRegistrationBean<>(new SegmentServlet(handler, json, cors), paths().toArray(String[]::new));
      r.setName("pondSegmentIngestion");
      r.setLoadOnStartup(1);
      return r;
    }
  }
}
