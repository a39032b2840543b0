package io.pond.ingest.envelope.domain;

import java.util.Objects;

/**
 * Why a record was refused: a stable {@code reason} (counted in statistics and stored with the dead
 * letter), the field at fault when there is one, and a sentence for people.
 */
public record Rejection(String reason, String field, String detail) {

  public static final String INVALID = "invalid";
  public static final String TOO_LARGE = "too_large";
  public static final String UNDEFINED_IDENTITY = "undefined_identity";
  public static final String INVALID_PROPERTY = "invalid_property";
  public static final String MISSING_IDENTIFIER = "missing_identifier";
  public static final String UNKNOWN_TYPE = "unknown_type";
  /** Blocked by the source's tracking plan (in {@code block} mode). */
  public static final String TRACKING_PLAN = "tracking_plan";

  public Rejection {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
  }

  public static Rejection invalid(String field, String detail) {
    return new Rejection(INVALID, field, detail);
  }
}
