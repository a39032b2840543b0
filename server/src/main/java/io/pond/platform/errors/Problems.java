package io.pond.platform.errors;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** Builds every problem+json body Pond sends, so that all of them carry a {@code code}. */
public final class Problems {

  private Problems() {}

  public static ProblemDetail of(ErrorCode code, String detail, String field) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(code.status()), detail);
    problem.setType(typeOf(code));
    problem.setTitle(code.title());
    problem.setProperty("code", code.wire());
    if (field != null) {
      problem.setProperty("field", field);
    }
    return problem;
  }

  public static ProblemDetail of(PondException e) {
    return of(e.code(), e.getMessage(), e.field());
  }

  /** Adds {@code code} (and a stable type) to a problem that Spring built. */
  public static ProblemDetail withCode(ProblemDetail problem, ErrorCode code) {
    problem.setType(typeOf(code));
    Map<String, Object> properties = problem.getProperties();
    if (properties == null || !properties.containsKey("code")) {
      problem.setProperty("code", code.wire());
    }
    return problem;
  }

  /** One entry per invalid field, for answers that report several at once. */
  public record FieldError(String field, String message) {}

  public static ProblemDetail validation(List<FieldError> errors) {
    String detail =
        errors.size() == 1
            ? errors.getFirst().field() + ": " + errors.getFirst().message()
            : errors.size() + " fields are invalid";
    ProblemDetail problem =
        of(ErrorCode.VALIDATION_FAILED, detail, errors.isEmpty() ? null : errors.getFirst().field());
    problem.setProperty("errors", errors);
    return problem;
  }

  private static URI typeOf(ErrorCode code) {
    return URI.create("urn:pond:problem:" + code.wire());
  }
}
