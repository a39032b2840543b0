package io.pond.identity;

import java.util.Locale;

/** How the identifiers of one piece of evidence came to be linked. */
public enum LinkKind {
  /** Seen on one message (e.g. a Segment event with anonymousId and userId). */
  TOGETHER,
  /** Segment {@code alias}: previousId → userId. */
  ALIAS,
  /** Sensors {@code track_signup}: original_id → distinct_id. */
  SIGNUP,
  /** Sensors {@code track_id_bind}. */
  BIND,
  /** Sensors {@code track_id_unbind}: the identifiers leave their person and stand alone. */
  UNBIND,
  /** An operator merged the persons of these identifiers by hand (sticky and limit rules do not apply). */
  MANUAL,
  /** An operator split a merge; recorded by the split API only, refused from {@link ResolvingIdentity}. */
  SPLIT;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static LinkKind fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
