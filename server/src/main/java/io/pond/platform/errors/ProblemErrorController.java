package io.pond.platform.errors;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers errors raised outside controllers (servlet container, filters) as problem+json too,
 * replacing Spring Boot's whitelabel/JSON error page.
 */
@RestController
class ProblemErrorController implements ErrorController {

  @RequestMapping("${server.error.path:/error}")
  ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
    Object statusAttribute = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int status = statusAttribute instanceof Integer s ? s : 500;
    ErrorCode code = ErrorCode.forStatus(status);
    Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
    String detail = message instanceof String m && !m.isBlank() ? m : code.title();
    ProblemDetail problem = Problems.of(code, detail, null);
    problem.setStatus(status);
    return ResponseEntity.status(status).body(problem);
  }
}
