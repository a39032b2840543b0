package io.pond.membercenter.auth;

import io.pond.platform.errors.Problems;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class MemberAuthExceptionHandler {

  @ExceptionHandler(TooSoonException.class)
  ResponseEntity<ProblemDetail> tooSoon(TooSoonException e) {
    return ResponseEntity.status(429)
        .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()))
        .body(Problems.of(e));
  }
}
