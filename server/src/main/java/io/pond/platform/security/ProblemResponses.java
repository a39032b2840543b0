package io.pond.platform.security;

import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Writes 401 and 403 answers as problem+json, like every other error. */
@Component
@ConditionalOnWebApplication
class ProblemResponses implements AuthenticationEntryPoint, AccessDeniedHandler {

  private final JsonMapper json;

  ProblemResponses(JsonMapper json) {
    this.json = json;
  }

  @Override
  public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    ProblemDetail problem =
        switch (e) {
          case PondAuthenticationException p -> Problems.of(p.code(), p.getMessage(), null);
          case BadCredentialsException b ->
              Problems.of(ErrorCode.INVALID_CREDENTIALS, "The user name or password is wrong.", null);
          default ->
              Problems.of(
                  ErrorCode.UNAUTHENTICATED,
                  "Send a server key as 'Authorization: Bearer <key>' or a user with HTTP Basic.",
                  null);
        };
    response.setHeader("WWW-Authenticate", "Bearer realm=\"pond\"");
    write(response, problem);
  }

  @Override
  public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    write(response, Problems.of(ErrorCode.FORBIDDEN, "Your role does not allow this.", null));
  }

  private void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", problem.getType().toString());
    body.put("title", problem.getTitle());
    body.put("status", problem.getStatus());
    body.put("detail", problem.getDetail());
    if (problem.getProperties() != null) {
      body.putAll(problem.getProperties());
    }
    response.setStatus(problem.getStatus());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.setCharacterEncoding("UTF-8");
    json.writeValue(response.getOutputStream(), body);
  }
}
