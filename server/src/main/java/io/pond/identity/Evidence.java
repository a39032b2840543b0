package io.pond.identity;

import io.pond.platform.Identifier;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Something that says identifiers belong to one person.
 *
 * @param identifiers raw identifiers as received; junk and unknown ones are refused with a reason
 * @param kind how they were linked
 * @param source where the evidence came from (a source name, a channel adapter, {@code console})
 * @param occurredAt when it happened (event time); per-type limit windows count in this time
 * @param idempotencyKey unique per piece of evidence (e.g. the message id); evidence whose key was
 *     already resolved changes nothing
 */
public record Evidence(
    List<Identifier> identifiers, LinkKind kind, String source, Instant occurredAt, String idempotencyKey) {

  public static final int MAX_IDENTIFIERS = 50;
  public static final int MAX_KEY_LENGTH = 200;

  public Evidence {
    identifiers = List.copyOf(Objects.requireNonNull(identifiers, "identifiers"));
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    if (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_KEY_LENGTH) {
      throw new IllegalArgumentException("idempotencyKey must have 1-" + MAX_KEY_LENGTH + " characters");
    }
  }

  public static Evidence together(String source, Instant at, String messageId, Identifier... identifiers) {
    return new Evidence(List.of(identifiers), LinkKind.TOGETHER, source, at, messageId);
  }
}
