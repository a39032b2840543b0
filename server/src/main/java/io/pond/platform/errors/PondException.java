package io.pond.platform.errors;

import java.util.Objects;

/**
 * A failure the caller can act on. It becomes an RFC 9457 problem+json answer whose {@code code} is
 * stable (clients branch on it) and whose {@code field}, when present, names the input at fault.
 */
public class PondException extends RuntimeException {

  private final ErrorCode code;
  private final String field;

  public PondException(ErrorCode code, String detail) {
    this(code, detail, null);
  }

  public PondException(ErrorCode code, String detail, String field) {
    super(Objects.requireNonNull(detail, "detail"));
    this.code = Objects.requireNonNull(code, "code");
    this.field = field;
  }

  public ErrorCode code() {
    return code;
  }

  /** The request field at fault, or null when the problem is not about one field. */
  public String field() {
    return field;
  }

  public static PondException notFound(String what, Object id) {
    return new PondException(ErrorCode.NOT_FOUND, what + " " + id + " does not exist");
  }

  public static PondException invalid(String field, String detail) {
    return new PondException(ErrorCode.VALIDATION_FAILED, detail, field);
  }
}
