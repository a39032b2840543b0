package io.pond.platform.errors;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Turns every exception a controller lets through into problem+json with a stable code. */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

  @ExceptionHandler(PondException.class)
  ResponseEntity<ProblemDetail> pond(PondException e) {
    return ResponseEntity.status(e.code().status()).body(Problems.of(e));
  }

  /** A method-level role check ({@code @PreAuthorize}) said no: 403 like the URL rules, not 500. */
  @ExceptionHandler(org.springframework.security.access.AccessDeniedException.class)
  ResponseEntity<ProblemDetail> denied(org.springframework.security.access.AccessDeniedException e) {
    return ResponseEntity.status(403)
        .body(Problems.of(ErrorCode.FORBIDDEN, "Your role does not allow this.", null));
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e) {
    log.error("Unexpected error", e);
    return ResponseEntity.status(500)
        .body(Problems.of(ErrorCode.INTERNAL_ERROR, "An unexpected error occurred; it has been logged.", null));
  }

  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    List<Problems.FieldError> errors =
        ex.getBindingResult().getFieldErrors().stream()
            .map(f -> new Problems.FieldError(f.getField(), f.getDefaultMessage()))
            .toList();
    return ResponseEntity.badRequest().headers(headers).body(Problems.validation(errors));
  }

  @Override
  protected ResponseEntity<Object> handleHandlerMethodValidationException(
      HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    List<Problems.FieldError> errors =
        ex.getParameterValidationResults().stream()
            .flatMap(
                r ->
                    r.getResolvableErrors().stream()
                        .map(
                            e ->
                                new Problems.FieldError(
                                    r.getMethodParameter().getParameterName(), e.getDefaultMessage())))
            .toList();
    return ResponseEntity.badRequest().headers(headers).body(Problems.validation(errors));
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    String reason = ex.getMostSpecificCause().getMessage();
    ProblemDetail problem =
        Problems.of(
            ErrorCode.MALFORMED_REQUEST,
            "The request body could not be read: " + firstLine(reason),
            null);
    return ResponseEntity.badRequest().headers(headers).body(problem);
  }

  @Override
  protected ResponseEntity<Object> handleExceptionInternal(
      Exception ex, Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    if (body instanceof ProblemDetail problem) {
      body = Problems.withCode(problem, ErrorCode.forStatus(status.value()));
    } else if (body == null) {
      body = Problems.of(ErrorCode.forStatus(status.value()), firstLine(ex.getMessage()), null);
    }
    return super.handleExceptionInternal(ex, body, headers, status, request);
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
