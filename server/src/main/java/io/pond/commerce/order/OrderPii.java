package io.pond.commerce.order;

import io.pond.platform.Identifier;
import io.pond.platform.pii.PiiCipher;
import io.pond.platform.pii.PiiStore;
import io.pond.platform.pii.SealedDocuments;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Personal data in the order store, sealed at rest (docs/pii.md): a buyer's phone or e-mail is kept as
 * a keyed hash ({@code id_value}, what searches match) next to its sealed value ({@code value_enc});
 * raw payloads (receiver names, phones and addresses) are deflated and sealed; so are the event
 * batches of bulk loads, which carry the buyers. Other buyer identifiers (platform ids) stay plain.
 *
 * <p>Values stored before sealing existed (plain phones, plain payloads, unsealed batches) are still
 * read, and {@link #rekey} (run by {@code ./pond pii rotate-key}, or {@code --resume} under the
 * current key) seals them.
 */
@Component
class OrderPii implements PiiStore {

  /** A hashed buyer value: this prefix, then the keyed hash (as identity's match keys). */
  static final String HASHED = "h:";

  /** A sealed event batch starts with this byte (an unsealed one with zlib's header byte, 0x78). */
  static final byte SEALED_BATCH = (byte) 0xA5;

  private final PiiCipher cipher;
  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;

  OrderPii(PiiCipher cipher, JdbcTemplate jdbc, TransactionTemplate tx) {
    this.cipher = cipher;
    this.jdbc = jdbc;
    this.tx = tx;
  }

  // --- raw payloads

  String sealPayload(String payload) {
    return SealedDocuments.seal(cipher, payload);
  }

  /**
   * A dead letter's payload as stored: sealed, and short enough for the column ({@code max}
   * characters) — the plain text is cut until its sealed form fits (incompressible text grows by a third).
   */
  String sealDeadLetter(String payload, int max) {
    String plain = payload.length() <= max ? payload : payload.substring(0, max);
    String sealed = sealPayload(plain);
    while (sealed.length() > max) {
      plain = plain.substring(0, plain.length() * 2 / 3);
      sealed = sealPayload(plain);
    }
    return sealed;
  }

  String openPayload(String stored) {
    return SealedDocuments.open(cipher, stored); // as it is when stored before sealing, or an erasure's note
  }

  // --- buyer identifiers

  /** What {@code commerce_order_buyer.id_value} holds: the keyed hash of a personal value, else the value. */
  String storedValue(Identifier buyer) {
    return buyer.personalData() ? HASHED + cipher.keyedHash(buyer.value()) : buyer.value();
  }

  /** What {@code commerce_order_buyer.value_enc} holds: the sealed personal value, else null. */
  String sealedValue(Identifier buyer) {
    return buyer.personalData() ? cipher.encrypt(buyer.value()) : null;
  }

  Identifier openBuyer(String type, String scope, String storedValue, String sealedValue) {
    return new Identifier(type, scope, sealedValue == null ? storedValue : cipher.decrypt(sealedValue));
  }

  /** The stored values a search for this buyer matches (during a rotation a hash may be under an older key). */
  List<String> storedValuesOf(Identifier buyer) {
    if (!buyer.personalData()) {
      return List.of(buyer.value());
    }
    List<String> out = new ArrayList<>();
    cipher.keyedHashesUnderEveryKey(buyer.value()).forEach(h -> out.add(HASHED + h));
    out.add(buyer.value()); // stored before sealing
    return out;
  }

  // --- event batches

  byte[] sealBatch(byte[] events) {
    return withMarker(cipher.encryptBytes(events));
  }

  byte[] openBatch(byte[] stored) {
    return isSealedBatch(stored) ? cipher.decryptBytes(ciphertextOf(stored)) : stored;
  }

  private static boolean isSealedBatch(byte[] stored) {
    return stored.length > 0 && stored[0] == SEALED_BATCH;
  }

  private static String ciphertextOf(byte[] sealedBatch) {
    return new String(sealedBatch, 1, sealedBatch.length - 1, StandardCharsets.US_ASCII);
  }

  // --- re-keying

  @Override
  public String name() {
    return "commerce orders";
  }

  @Override
  public long size() {
    return count("SELECT COUNT(*) FROM commerce_order_buyer WHERE value_enc IS NOT NULL OR id_type IN (?, ?)", Identifier.PHONE,
        Identifier.EMAIL)
        + count("SELECT COUNT(*) FROM commerce_order WHERE raw_payload IS NOT NULL")
        + count("SELECT COUNT(*) FROM commerce_event_batch")
        + count("SELECT COUNT(*) FROM commerce_dead_letter");
  }

  private long count(String sql, Object... args) {
    Long n = jdbc.queryForObject(sql, Long.class, args);
    return n == null ? 0 : n;
  }

  /**
   * Seals every personal value with the current key: values under an older key are sealed again and
   * their hashes recomputed, values stored in clear are sealed. One transaction per batch; a second run
   * changes nothing.
   */
  @Override
  public long rekey(PiiCipher ring, int batchSize, LongConsumer progress) {
    long[] done = {0};
    long changed = rekeyBuyers(ring, batchSize, done, progress);
    changed += rekeyDocuments("commerce_order", "raw_payload", ring, batchSize, done, progress);
    changed += rekeyDocuments("commerce_dead_letter", "payload", ring, batchSize, done, progress);
    changed += rekeyBatches(ring, done, progress);
    return changed;
  }

  private long rekeyBuyers(PiiCipher ring, int batchSize, long[] done, LongConsumer progress) {
    long changed = 0;
    long after = 0;
    while (true) {
      List<Long> orders = jdbc.queryForList(
          "SELECT DISTINCT order_id FROM commerce_order_buyer WHERE order_id > ? AND (value_enc IS NOT NULL OR id_type IN (?, ?))"
              + " ORDER BY order_id LIMIT ?", Long.class, after, Identifier.PHONE, Identifier.EMAIL, batchSize);
      if (orders.isEmpty()) {
        return changed;
      }
      after = orders.getLast();
      String in = OrderRows.placeholders(orders.size());
      List<Object[]> updates = new ArrayList<>();
      jdbc.query(
          "SELECT order_id, id_type, id_scope, id_value, value_enc FROM commerce_order_buyer WHERE order_id IN (" + in + ")"
              + " AND (value_enc IS NOT NULL OR id_type IN ('" + Identifier.PHONE + "', '" + Identifier.EMAIL + "'))",
          rs -> {
            String stored = rs.getString(4);
            String sealed = rs.getString(5);
            String value = sealed == null ? stored : ring.decrypt(sealed);
            String nextSealed = sealed == null ? ring.encrypt(value) : ring.reseal(sealed);
            String nextStored = HASHED + ring.keyedHash(value);
            if (!nextStored.equals(stored) || !nextSealed.equals(sealed)) {
              updates.add(new Object[] {nextStored, nextSealed, rs.getLong(1), rs.getString(2), rs.getString(3), stored});
            }
          },
          orders.toArray());
      if (!updates.isEmpty()) {
        tx.executeWithoutResult(s -> jdbc.batchUpdate(
            "UPDATE commerce_order_buyer SET id_value = ?, value_enc = ? WHERE order_id = ? AND id_type = ? AND id_scope = ?"
                + " AND id_value = ?", updates));
      }
      changed += updates.size();
      done[0] += orders.size();
      progress.accept(done[0]);
    }
  }

  /** The raw documents of {@code table.column} (payloads, dead letters) re-sealed; erasure notes left alone. */
  private long rekeyDocuments(String table, String column, PiiCipher ring, int batchSize, long[] done, LongConsumer progress) {
    long changed = 0;
    long after = 0;
    while (true) {
      List<Object[]> rows = jdbc.query(
          "SELECT id, " + column + " FROM " + table + " WHERE id > ? AND " + column + " IS NOT NULL ORDER BY id LIMIT ?",
          (rs, n) -> new Object[] {rs.getLong(1), rs.getString(2)}, after, batchSize);
      if (rows.isEmpty()) {
        return changed;
      }
      after = (Long) rows.getLast()[0];
      List<Object[]> updates = new ArrayList<>();
      for (Object[] row : rows) {
        String stored = (String) row[1];
        String next = isErasureNote(stored) ? stored : SealedDocuments.reseal(ring, stored);
        if (!next.equals(stored)) {
          updates.add(new Object[] {next, row[0]});
        }
      }
      if (!updates.isEmpty()) {
        tx.executeWithoutResult(s -> jdbc.batchUpdate("UPDATE " + table + " SET " + column + " = ? WHERE id = ?", updates));
      }
      changed += updates.size();
      done[0] += rows.size();
      progress.accept(done[0]);
    }
  }

  private long rekeyBatches(PiiCipher ring, long[] done, LongConsumer progress) {
    long changed = 0;
    for (Long id : jdbc.queryForList("SELECT id FROM commerce_event_batch ORDER BY id", Long.class)) {
      List<byte[]> blobs = jdbc.query("SELECT events FROM commerce_event_batch WHERE id = ?", (rs, n) -> rs.getBytes(1), id);
      if (blobs.isEmpty()) {
        continue;
      }
      byte[] stored = blobs.getFirst();
      byte[] next;
      if (isSealedBatch(stored)) {
        String sealed = ciphertextOf(stored);
        String resealed = ring.reseal(sealed);
        next = resealed.equals(sealed) ? stored : withMarker(resealed);
      } else {
        next = withMarker(ring.encryptBytes(stored));
      }
      if (next != stored) {
        tx.executeWithoutResult(s -> jdbc.update("UPDATE commerce_event_batch SET events = ? WHERE id = ?", next, id));
        changed++;
      }
      done[0]++;
      progress.accept(done[0]);
    }
    return changed;
  }

  private static byte[] withMarker(String sealed) {
    byte[] bytes = sealed.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[bytes.length + 1];
    out[0] = SEALED_BATCH;
    System.arraycopy(bytes, 0, out, 1, bytes.length);
    return out;
  }

  /** The note {@link OrderContactEraser} leaves instead of an erased payload: nothing personal in it. */
  private static boolean isErasureNote(String stored) {
    return stored.startsWith("{\"erased\":true,");
  }
}
