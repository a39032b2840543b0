package io.pond.messaging.outbox;

import io.pond.messaging.SentMessages;
import io.pond.messaging.Messages;
import io.pond.platform.Identifier;
import io.pond.platform.pii.PiiCipher;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The outbox. A message for a channel without a configured provider is {@code HELD}: kept, readable by
 * operators, never delivered (development). Providers are configured per channel with
 * {@code pond.messaging.providers.<channel>}; none ships yet, so every message is held.
 */
@Service
class MessageOutbox implements Messages, SentMessages {

  static final Set<String> CHANNELS = Set.of("sms", "wechat", "email", "wecom");

  private final JdbcClient jdbc;
  private final PiiCipher cipher;
  private final Clock clock;
  private final Set<String> configured;

  MessageOutbox(JdbcClient jdbc, PiiCipher cipher, Clock clock,
      @Value("${pond.messaging.providers:}") Set<String> configured) {
    this.jdbc = jdbc;
    this.cipher = cipher;
    this.clock = clock;
    this.configured = configured;
  }

  record Stored(long id, String channel, String recipientMasked, String purpose, String body, boolean secret,
      String status, Instant createdAt) {}

  /** Whether messages on this channel are only held (no provider: development). */
  boolean heldOnly(String channel) {
    return !configured.contains(channel);
  }

  @Override
  @Transactional
  public long send(Outgoing m) {
    if (!CHANNELS.contains(m.channel())) {
      throw new IllegalArgumentException("unknown message channel " + m.channel());
    }
    String value = m.recipient().value();
    String status = heldOnly(m.channel()) ? "HELD" : "QUEUED";
    var key = new GeneratedKeyHolder();
    jdbc.sql("""
            INSERT INTO message_outbox (channel, recipient_type, recipient_hash, recipient_enc, recipient_masked, purpose,
                body_enc, secret, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
        .params(m.channel(), m.recipient().type(), cipher.keyedHash(value), cipher.encrypt(value), PiiCipher.mask(value),
            m.purpose(), cipher.encrypt(m.body()), m.secret(), status, Timestamp.from(clock.instant()))
        .update(key, "id");
    return key.getKey().longValue();
  }

  /** Newest first; a secret body is shown only while its channel has no provider. */
  List<Stored> list(String status, Long beforeId, int limit) {
    StringBuilder sql = new StringBuilder("SELECT * FROM message_outbox WHERE 1 = 1");
    List<Object> params = new java.util.ArrayList<>();
    if (status != null) {
      sql.append(" AND status = ?");
      params.add(status);
    }
    if (beforeId != null) {
      sql.append(" AND id < ?");
      params.add(beforeId);
    }
    sql.append(" ORDER BY id DESC LIMIT ?");
    params.add(limit);
    return jdbc.sql(sql.toString())
        .params(params)
        .query((rs, n) -> {
          String channel = rs.getString("channel");
          boolean secret = rs.getBoolean("secret");
          String body = secret && !heldOnly(channel) ? "••••••" : cipher.decrypt(rs.getString("body_enc"));
          return new Stored(rs.getLong("id"), channel, rs.getString("recipient_masked"), rs.getString("purpose"), body,
              secret, rs.getString("status"), rs.getTimestamp("created_at").toInstant());
        })
        .list();
  }

  @Override
  public int erase(Collection<Identifier> recipients, String pseudonym) {
    int changed = 0;
    for (Identifier r : new java.util.LinkedHashSet<>(recipients)) {
      changed += jdbc.sql("UPDATE message_outbox SET recipient_hash = ?, recipient_enc = ?, recipient_masked = ?, body_enc = ?"
              + " WHERE recipient_type = ? AND recipient_hash = ?")
          .params("erased:" + pseudonym, cipher.encrypt(pseudonym), pseudonym, cipher.encrypt("(erased)"), r.type(),
              cipher.keyedHash(r.value()))
          .update();
    }
    return changed;
  }

  @Override
  public List<SentMessage> latestTo(Collection<Identifier> recipients, int limit) {
    if (recipients.isEmpty() || limit <= 0) {
      return List.of();
    }
    List<String> where = new java.util.ArrayList<>();
    List<Object> params = new java.util.ArrayList<>();
    for (Identifier r : new java.util.LinkedHashSet<>(recipients)) {
      where.add("(recipient_type = ? AND recipient_hash = ?)");
      params.add(r.type());
      params.add(cipher.keyedHash(r.value()));
    }
    params.add(limit);
    return jdbc.sql("SELECT * FROM message_outbox WHERE " + String.join(" OR ", where) + " ORDER BY created_at DESC, id DESC LIMIT ?")
        .params(params)
        .query((rs, n) -> {
          Timestamp sent = rs.getTimestamp("sent_at");
          return new SentMessage(rs.getLong("id"), rs.getString("channel"), rs.getString("purpose"),
              rs.getString("recipient_masked"), rs.getBoolean("secret") ? null : cipher.decrypt(rs.getString("body_enc")),
              rs.getString("status"), rs.getTimestamp("created_at").toInstant(), sent == null ? null : sent.toInstant());
        })
        .list();
  }
}
