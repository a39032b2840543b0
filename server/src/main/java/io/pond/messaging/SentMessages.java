package io.pond.messaging;

import io.pond.platform.Identifier;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** The outbox by recipient, for a person's timeline and data-subject erasure. */
public interface SentMessages {

  /**
   * One message: its recipient masked, its body only when it is not a secret (one-time codes never
   * leave the outbox page).
   */
  record SentMessage(long id, String channel, String purpose, String recipientMasked, String body, String status,
      Instant createdAt, Instant sentAt) {}

  /** The newest {@code limit} messages to any of the recipients (matched by type and keyed hash), newest first. */
  List<SentMessage> latestTo(Collection<Identifier> recipients, int limit);

  /**
   * Data-subject erasure: the messages to any of the recipients lose their recipient (value, keyed hash
   * and masked form become the pseudonym) and their body. Channel, purpose, status and times stay.
   *
   * @return how many messages were changed
   */
  int erase(Collection<Identifier> recipients, String pseudonym);
}
