package io.pond.segment.model.domain;

import java.util.Locale;

/** AIPL audience stages, from the weakest tie to the strongest. A person is in the highest stage they reach. */
public enum AiplStage {
  AWARE,
  INTEREST,
  PURCHASE,
  LOYAL;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The model tag that carries the stage, e.g. {@code aipl:interest}. */
  public String tag() {
    return "aipl:" + wire();
  }
}
