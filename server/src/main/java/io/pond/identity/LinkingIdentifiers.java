package io.pond.identity;

import io.pond.platform.Identifier;
import java.time.Instant;
import java.util.List;

/**
 * Evidence that identifiers belong to a person Pond already knows, e.g. a member claiming an order
 * (订单换积分): the order's buyer ids are linked to the member. The evidence is resolved like any
 * other ({@link ResolvingIdentity}) and under the same guards: junk values and unknown types are
 * refused, per-type limits apply, and a buyer id that belongs to a person with a different strong
 * identifier of the same type is not merged automatically ({@link Resolution.Outcome.Conflict}).
 */
public interface LinkingIdentifiers {

  /**
   * Links {@code identifiers} to {@code person}; idempotent on {@code idempotencyKey}.
   *
   * @return the resolution; {@link Resolution.Outcome.Rejected} when the person is unknown
   */
  Resolution link(PersonId person, List<Identifier> identifiers, String source, Instant at, String idempotencyKey);
}
