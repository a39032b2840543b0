package io.pond.commerce.order;

import io.pond.commerce.OrderContactErasure;
import io.pond.platform.Identifier;
import java.util.Collection;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** {@link OrderContactErasure}: scrubs raw payloads and personal buyer identifiers, keeps the money. */
@Component
class OrderContactEraser implements OrderContactErasure {

  private final JdbcTemplate jdbc;
  private final OrderPii pii;

  OrderContactEraser(JdbcTemplate jdbc, OrderPii pii) {
    this.jdbc = jdbc;
    this.pii = pii;
  }

  @Override
  @Transactional
  public int eraseContacts(Collection<Long> orderIds, String pseudonym) {
    String note = note(pseudonym);
    int changed = 0;
    for (List<Long> chunk : OrderRows.chunks(List.copyOf(orderIds))) {
      String in = OrderRows.placeholders(chunk.size());
      Object[] noteAndIds = new Object[chunk.size() + 2];
      noteAndIds[0] = note;
      noteAndIds[1] = note;
      for (int i = 0; i < chunk.size(); i++) {
        noteAndIds[i + 2] = chunk.get(i);
      }
      changed += jdbc.update(
          "UPDATE commerce_order SET raw_payload = ? WHERE (raw_payload IS NULL OR raw_payload <> ?) AND id IN (" + in + ")",
          noteAndIds);
      Object[] ids = new Object[chunk.size() + 2];
      ids[0] = Identifier.PHONE;
      ids[1] = Identifier.EMAIL;
      for (int i = 0; i < chunk.size(); i++) {
        ids[i + 2] = chunk.get(i);
      }
      jdbc.update("DELETE FROM commerce_order_buyer WHERE id_type IN (?, ?) AND order_id IN (" + in + ")", ids);
    }
    return changed;
  }

  @Override
  public int eraseDeadLetters(Collection<String> values, String pseudonym) {
    if (values.isEmpty()) {
      return 0;
    }
    // PERF: payloads are sealed, so every dead letter is opened here; erasures are rare and dead letters few
    List<Object[]> hits = new java.util.ArrayList<>();
    long after = 0;
    while (true) {
      List<Object[]> rows = jdbc.query("SELECT id, payload FROM commerce_dead_letter WHERE id > ? ORDER BY id LIMIT 1000",
          (rs, n) -> new Object[] {rs.getLong(1), rs.getString(2)}, after);
      for (Object[] row : rows) {
        String payload = pii.openPayload((String) row[1]);
        if (values.stream().anyMatch(payload::contains)) {
          hits.add(new Object[] {note(pseudonym), row[0]});
        }
      }
      if (rows.size() < 1000) {
        break;
      }
      after = (Long) rows.getLast()[0];
    }
    if (!hits.isEmpty()) {
      jdbc.batchUpdate("UPDATE commerce_dead_letter SET payload = ? WHERE id = ?", hits);
    }
    return hits.size();
  }

  private static String note(String pseudonym) {
    return "{\"erased\":true,\"pseudonym\":\"" + pseudonym.replace("\"", "") + "\"}";
  }
}
