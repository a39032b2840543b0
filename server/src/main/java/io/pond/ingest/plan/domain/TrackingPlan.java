package io.pond.ingest.plan.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A source's tracking plan (埋点方案): the track events it may send and the types of their
 * properties. {@link #check} lists what a record does wrong; in {@link Mode#BLOCK} such a record is
 * refused, in {@link Mode#OBSERVE} it is stored and only counted.
 *
 * @param allowUnplannedEvents when false, an event name not in the plan is a violation
 * @param events the planned events by name
 */
public record TrackingPlan(Mode mode, boolean allowUnplannedEvents, Map<String, EventSpec> events) {

  public enum Mode {
    /** Count violations, store the records anyway. */
    OBSERVE,
    /** Count violations and send violating records to the dead-letter store. */
    BLOCK
  }

  /**
   * @param properties the planned properties by name
   * @param allowOtherProperties when false, a property not in the plan is a violation
   */
  public record EventSpec(String name, Map<String, PropertySpec> properties, boolean allowOtherProperties) {
    public EventSpec {
      Objects.requireNonNull(name, "name");
      properties = Map.copyOf(properties);
    }
  }

  /** A property's type, and whether every record must carry it (a null value counts as absent). */
  public record PropertySpec(PropertyType type, boolean required) {
    public PropertySpec {
      Objects.requireNonNull(type, "type");
    }
  }

  public TrackingPlan {
    Objects.requireNonNull(mode, "mode");
    events = Map.copyOf(events);
  }

  /** The violations of one track record; empty when it follows the plan. */
  public List<PlanViolation> check(String event, Map<String, Object> properties) {
    EventSpec spec = events.get(event);
    if (spec == null) {
      return allowUnplannedEvents
          ? List.of()
          : List.of(new PlanViolation(event, PlanViolation.UNPLANNED_EVENT, null,
              "event '" + event + "' is not in the tracking plan"));
    }
    List<PlanViolation> found = new ArrayList<>(0);
    spec.properties().forEach((name, p) -> {
      Object value = properties.get(name);
      if (value == null) {
        if (p.required()) {
          found.add(new PlanViolation(event, PlanViolation.MISSING_PROPERTY, name,
              "property '" + name + "' is required by the tracking plan"));
        }
      } else if (!p.type().matches(value)) {
        found.add(new PlanViolation(event, PlanViolation.WRONG_TYPE, name,
            "property '" + name + "' must be " + p.type().wire() + " (was " + PropertyType.describe(value) + ")"));
      }
    });
    if (!spec.allowOtherProperties()) {
      for (String name : properties.keySet()) {
        if (!spec.properties().containsKey(name)) {
          found.add(new PlanViolation(event, PlanViolation.UNPLANNED_PROPERTY, name,
              "property '" + name + "' is not in the tracking plan of '" + event + "'"));
        }
      }
    }
    return found;
  }
}
