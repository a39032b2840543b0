package io.pond.platform.errors;

/**
 * The stable {@code code} of every problem+json answer, with its HTTP status. Codes are part of the
 * API: add new ones, never rename.
 */
public enum ErrorCode {
  VALIDATION_FAILED(400, "Validation failed"),
  MALFORMED_REQUEST(400, "Malformed request"),
  UNAUTHENTICATED(401, "Authentication required"),
  INVALID_CREDENTIALS(401, "Invalid credentials"),
  KEY_REVOKED(401, "Key revoked"),
  WRONG_KEY_KIND(401, "Wrong kind of key"),
  SESSION_EXPIRED(401, "Session expired"),
  CODE_INVALID(401, "Wrong one-time code"),
  CODE_EXPIRED(401, "One-time code expired"),
  FORBIDDEN(403, "Forbidden"),
  NOT_FOUND(404, "Not found"),
  METHOD_NOT_ALLOWED(405, "Method not allowed"),
  NOT_ACCEPTABLE(406, "Not acceptable"),
  CONFLICT(409, "Conflict"),
  INSUFFICIENT_POINTS(409, "Insufficient points"),
  OUT_OF_STOCK(409, "Out of stock"),
  PAYLOAD_TOO_LARGE(413, "Payload too large"),
  UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
  RATE_LIMITED(429, "Too many requests"),
  INTERNAL_ERROR(500, "Internal error"),
  UNAVAILABLE(503, "Service unavailable");

  private final int status;
  private final String title;

  ErrorCode(int status, String title) {
    this.status = status;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** The wire form: lower snake case, e.g. {@code validation_failed}. */
  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The code to use for a status that no more specific code describes. */
  public static ErrorCode forStatus(int status) {
    return switch (status) {
      case 400 -> MALFORMED_REQUEST;
      case 401 -> UNAUTHENTICATED;
      case 403 -> FORBIDDEN;
      case 404 -> NOT_FOUND;
      case 405 -> METHOD_NOT_ALLOWED;
      case 406 -> NOT_ACCEPTABLE;
      case 409 -> CONFLICT;
      case 413 -> PAYLOAD_TOO_LARGE;
      case 415 -> UNSUPPORTED_MEDIA_TYPE;
      case 429 -> RATE_LIMITED;
      case 503 -> UNAVAILABLE;
      default -> status >= 500 ? INTERNAL_ERROR : MALFORMED_REQUEST;
    };
  }
}
