package io.pond.messaging;

import io.pond.platform.Identifier;

/** Sends messages to people through the outbox. */
public interface Messages {

  /**
   * A message to one recipient.
   *
   * @param channel {@code sms}, {@code wechat}, {@code email} or {@code wecom}
   * @param recipient who receives it (a phone for SMS); stored encrypted, shown masked
   * @param purpose why it is sent, e.g. {@code member_sign_in_code}; frequency caps and reports key on it
   * @param body the text
   * @param secret whether the body is a secret (a one-time code): shown to operators only while the
   *     channel has no provider, i.e. in development
   */
  record Outgoing(String channel, Identifier recipient, String purpose, String body, boolean secret) {}

  /** Stores the message in the outbox (in the caller's transaction) and answers its id. */
  long send(Outgoing message);
}
