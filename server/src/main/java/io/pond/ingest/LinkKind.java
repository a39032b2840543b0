package io.pond.ingest;

/**
 * How the identifiers of one {@link EventEnvelope} relate, for the identity module (OneID).
 *
 * <ul>
 *   <li>{@link #TOGETHER}: the identifiers were seen on one message (e.g. Segment {@code anonymousId}
 *       and {@code userId}, Sensors {@code identities}); evidence that they belong to one person.
 *   <li>{@link #ALIAS}: Segment {@code alias}: {@link EventEnvelope#previous()} ({@code previousId})
 *       is the same person as {@link EventEnvelope#identifiers()} ({@code userId}).
 *   <li>{@link #SIGNUP}: Sensors {@code track_signup}: {@code previous} is the {@code original_id}
 *       (anonymous), {@code identifiers} the {@code distinct_id} (login id) it signed up as.
 *   <li>{@link #BIND}: Sensors {@code track_id_bind}: an explicit instruction to bind all
 *       {@code identifiers} to one person.
 *   <li>{@link #UNBIND}: Sensors {@code track_id_unbind}: detach the {@code identifiers} from the
 *       person they belong to.
 * </ul>
 */
public enum LinkKind {
  TOGETHER,
  ALIAS,
  SIGNUP,
  BIND,
  UNBIND
}
