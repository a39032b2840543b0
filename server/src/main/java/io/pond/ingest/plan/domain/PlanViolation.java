package io.pond.ingest.plan.domain;

/**
 * One way a record breaks its source's tracking plan.
 *
 * @param kind {@link #UNPLANNED_EVENT}, {@link #MISSING_PROPERTY}, {@link #WRONG_TYPE} or
 *     {@link #UNPLANNED_PROPERTY}
 * @param property the property at fault, null for an unplanned event
 */
public record PlanViolation(String event, String kind, String property, String detail) {

  public static final String UNPLANNED_EVENT = "unplanned_event";
  public static final String MISSING_PROPERTY = "missing_property";
  public static final String WRONG_TYPE = "wrong_type";
  public static final String UNPLANNED_PROPERTY = "unplanned_property";

  /** The field of the record at fault, as dead letters name it. */
  public String field() {
    return property == null ? "event" : "properties." + property;
  }
}
