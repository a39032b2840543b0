package io.pond.platform.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The common shape of a {@link PiiStore}: one table whose personal values sit in sealed columns, with
 * keyed-hash columns (if any) computed from the plain value of one of them. Goes through the rows that
 * hold a sealed value in key order (keyset pagination), re-seals every sealed column, recomputes every
 * hash from its decrypted value, and rewrites only rows that changed, one transaction per batch. A
 * second run changes nothing.
 *
 * <pre>{@code
 * new SealedColumns("message outbox", jdbc, tx, "message_outbox", List.of("id"),
 *     List.of("recipient_enc", "body_enc"), List.of(new SealedColumns.Hashed("recipient_hash", "recipient_enc")))
 * }</pre>
 */
public final class SealedColumns implements PiiStore {

  /** A column holding {@code keyedHash(decrypt(ofSealed))}. */
  public record Hashed(String column, String ofSealed) {}

  private final String name;
  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;
  private final String table;
  private final List<String> keys;
  private final List<String> sealed;
  private final List<Hashed> hashed;

  /**
   * @param keys the table's primary key columns (one or more), used to page and to update rows
   * @param sealed columns holding {@link PiiCipher#encrypt} ciphertexts (NULL allowed)
   * @param hashed columns holding keyed hashes of a sealed column's plain value
   */
  public SealedColumns(String name, JdbcTemplate jdbc, TransactionTemplate tx, String table, List<String> keys,
      List<String> sealed, List<Hashed> hashed) {
    if (keys.isEmpty() || sealed.isEmpty()) {
      throw new IllegalArgumentException("a sealed-columns store needs key columns and sealed columns");
    }
    for (Hashed h : hashed) {
      if (!sealed.contains(h.ofSealed())) {
        throw new IllegalArgumentException(h.column() + " is computed from " + h.ofSealed() + ", which is not a sealed column");
      }
    }
    this.name = name;
    this.jdbc = jdbc;
    this.tx = tx;
    this.table = table;
    this.keys = List.copyOf(keys);
    this.sealed = List.copyOf(sealed);
    this.hashed = List.copyOf(hashed);
  }

  @Override
  public String name() {
    return name;
  }

  private String holdsPii() {
    return "(" + sealed.stream().map(c -> c + " IS NOT NULL").collect(Collectors.joining(" OR ")) + ")";
  }

  @Override
  public long size() {
    Long count = jdbc.queryForObject("SELECT COUNT(*) FROM " + table + " WHERE " + holdsPii(), Long.class);
    return count == null ? 0 : count;
  }

  @Override
  public long rekey(PiiCipher cipher, int batchSize, LongConsumer progress) {
    List<String> columns = Stream.of(keys, sealed, hashed.stream().map(Hashed::column).toList())
        .flatMap(List::stream).toList();
    String orderBy = String.join(", ", keys);
    String select = "SELECT " + String.join(", ", columns) + " FROM " + table + " WHERE " + holdsPii();
    String after = keys.size() == 1 ? keys.get(0) + " > ?"
        : "(" + orderBy + ") > (" + keys.stream().map(k -> "?").collect(Collectors.joining(", ")) + ")";
    String update = "UPDATE " + table + " SET "
        + Stream.concat(sealed.stream(), hashed.stream().map(Hashed::column)).map(c -> c + " = ?").collect(Collectors.joining(", "))
        + " WHERE " + keys.stream().map(k -> k + " = ?").collect(Collectors.joining(" AND "));
    Object[] last = null;
    long done = 0;
    long changed = 0;
    while (true) {
      String sql = select + (last == null ? "" : " AND " + after) + " ORDER BY " + orderBy + " LIMIT ?";
      Object[] params = last == null ? new Object[] {batchSize} : append(last, batchSize);
      List<Object[]> rows = jdbc.query(sql, (rs, n) -> {
        Object[] row = new Object[columns.size()];
        for (int i = 0; i < row.length; i++) {
          row[i] = rs.getObject(i + 1);
        }
        return row;
      }, params);
      if (rows.isEmpty()) {
        return changed;
      }
      List<Object[]> updates = new ArrayList<>();
      for (Object[] row : rows) {
        Object[] next = rekeyed(cipher, row);
        if (next != null) {
          updates.add(next);
        }
      }
      if (!updates.isEmpty()) {
        tx.executeWithoutResult(s -> jdbc.batchUpdate(update, updates));
      }
      changed += updates.size();
      done += rows.size();
      Object[] tail = rows.get(rows.size() - 1);
      last = java.util.Arrays.copyOf(tail, keys.size());
      progress.accept(done);
    }
  }

  /** The update's parameters (new sealed values, new hashes, then the key), or null when nothing changes. */
  private Object[] rekeyed(PiiCipher cipher, Object[] row) {
    int k = keys.size();
    Object[] out = new Object[sealed.size() + hashed.size() + k];
    boolean dirty = false;
    for (int i = 0; i < sealed.size(); i++) {
      String old = (String) row[k + i];
      String next;
      try {
        next = old == null ? null : cipher.reseal(old);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where(row) + ": " + e.getMessage(), e);
      }
      out[i] = next;
      dirty |= old != null && !old.equals(next);
    }
    for (int h = 0; h < hashed.size(); h++) {
      String source = (String) out[sealed.indexOf(hashed.get(h).ofSealed())];
      String old = (String) row[k + sealed.size() + h];
      String next = source == null ? old : cipher.keyedHash(cipher.decrypt(source));
      out[sealed.size() + h] = next;
      dirty |= next != null && !next.equals(old);
    }
    System.arraycopy(row, 0, out, sealed.size() + hashed.size(), k);
    return dirty ? out : null;
  }

  private String where(Object[] row) {
    StringBuilder s = new StringBuilder(table);
    for (int i = 0; i < keys.size(); i++) {
      s.append(i == 0 ? " " : ", ").append(keys.get(i)).append(' ').append(row[i]);
    }
    return s.toString();
  }

  private static Object[] append(Object[] values, Object more) {
    Object[] out = java.util.Arrays.copyOf(values, values.length + 1);
    out[values.length] = more;
    return out;
  }
}
