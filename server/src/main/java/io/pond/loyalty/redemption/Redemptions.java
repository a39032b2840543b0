package io.pond.loyalty.redemption;

import io.pond.loyalty.PersonRef;
import io.pond.loyalty.ledger.PointsLedger;
import io.pond.loyalty.program.Programs;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;

/**
 * Spending points at a checkout (积分+现金兑换) and in the points mall: reserve → confirm / cancel. A
 * reservation takes the points at once (a REDEEM entry, so no one can spend them twice) and, for a
 * mall item, its stock; cancelling or letting it expire gives both back (a REVERSAL entry).
 * Stock is decremented with a conditional update, so an item is never oversold.
 */
@Component
public class Redemptions {

  private final JdbcClient jdbc;
  private final PointsLedger ledger;
  private final Programs programs;
  private final Clock clock;

  Redemptions(JdbcClient jdbc, PointsLedger ledger, Programs programs, Clock clock) {
    this.jdbc = jdbc;
    this.ledger = ledger;
    this.programs = programs;
    this.clock = clock;
  }

  public record Item(long id, String code, String name, long points, long cashFen, int stock) {}

  public record Reservation(
      long id, int personId, String businessId, long points, long cashFen, String itemCode, int quantity, String status,
      Instant expiresAt, long redeemEntryId, boolean replayed) {}

  public Item createItem(String programCode, String code, String name, long points, long cashFen, int stock) {
    Programs.Program program = programs.get(programCode);
    if (code == null || !code.matches("[A-Za-z0-9_-]{1,64}")) {
      throw PondException.invalid("code", "must be 1-64 letters, digits, '_' or '-'");
    }
    if (points <= 0) {
      throw PondException.invalid("points", "must be positive");
    }
    if (cashFen < 0) {
      throw PondException.invalid("cashFen", "must not be negative");
    }
    if (stock < 0) {
      throw PondException.invalid("stock", "must not be negative");
    }
    try {
      jdbc.sql("INSERT INTO loyalty_mall_item (program_id, code, name, points, cash_fen, stock, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
          .params(program.id(), code, name == null ? code : name, points, cashFen, stock, Timestamp.from(clock.instant()))
          .update();
    } catch (DuplicateKeyException e) {
      throw new PondException(ErrorCode.CONFLICT, "item " + code + " already exists", "code");
    }
    return item(program.id(), code).orElseThrow();
  }

  public List<Item> items(String programCode) {
    Programs.Program program = programs.get(programCode);
    return jdbc.sql("SELECT id, code, name, points, cash_fen, stock FROM loyalty_mall_item WHERE program_id = ? ORDER BY id")
        .param(program.id())
        .query((rs, n) -> new Item(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getInt(6)))
        .list();
  }

  private Optional<Item> item(long programId, String code) {
    return jdbc.sql("SELECT id, code, name, points, cash_fen, stock FROM loyalty_mall_item WHERE program_id = ? AND code = ?")
        .params(programId, code)
        .query((rs, n) -> new Item(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getInt(6)))
        .optional();
  }

  /** Raised inside the transaction to roll back the points already taken. */
  private static final class OutOfStock extends RuntimeException {
    OutOfStock(String item) {
      super(item, null, false, false);
    }
  }

  /**
   * Reserves points (and cash to be paid elsewhere, or a mall item's price times {@code quantity}).
   * Idempotent on {@code businessId} (e.g. the checkout id).
   */
  public Reservation reserve(
      String programCode, PersonRef person, String businessId, long points, long cashFen, String itemCode, int quantity, String actor) {
    if (businessId == null || businessId.isBlank() || businessId.length() > 200) {
      throw PondException.invalid("businessId", "must be 1-200 characters");
    }
    if (itemCode == null && points <= 0) {
      throw PondException.invalid("points", "must be positive");
    }
    if (cashFen < 0) {
      throw PondException.invalid("cashFen", "must not be negative");
    }
    if (quantity < 1 || quantity > 100) {
      throw PondException.invalid("quantity", "must be between 1 and 100");
    }
    Programs.Program program = programs.get(programCode);
    Item item =
        itemCode == null
            ? null
            : item(program.id(), itemCode).orElseThrow(() -> PondException.notFound("mall item", itemCode));
    long totalPoints = item == null ? points : item.points() * quantity;
    long totalCash = item == null ? cashFen : item.cashFen() * quantity;
    try {
      return ledger.withAccount(
          programCode,
          person,
          false,
          a -> {
            Optional<Reservation> existing = find(program.id(), businessId, true);
            if (existing.isPresent()) {
              if (existing.get().personId() != person.value()) {
                throw new PondException(ErrorCode.CONFLICT, "businessId " + businessId + " belongs to another member", "businessId");
              }
              return existing.get();
            }
            PointsLedger.Outcome outcome =
                a.redeem(
                    new PointsLedger.Key("checkout", "reservation", businessId),
                    totalPoints,
                    item == null ? "checkout " + businessId + " (" + totalCash + " fen in cash)" : "mall " + item.code() + " × " + quantity,
                    actor);
            if (outcome instanceof PointsLedger.Outcome.Rejected rejected) {
              throw new PondException(ErrorCode.INSUFFICIENT_POINTS, rejected.detail(), "points");
            }
            if (item != null) {
              int taken =
                  jdbc.sql("UPDATE loyalty_mall_item SET stock = stock - ? WHERE id = ? AND stock >= ?")
                      .params(quantity, item.id(), quantity)
                      .update();
              if (taken != 1) {
                throw new OutOfStock(item.code());
              }
            }
            jdbc.sql(
                    "INSERT INTO loyalty_reservation (account_id, program_id, business_id, points, cash_fen, item_id, quantity, status,"
                        + " redeem_entry_id, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'RESERVED', ?, ?, ?)")
                .params(
                    a.accountId(), program.id(), businessId, totalPoints, totalCash, item == null ? null : item.id(), quantity,
                    ((PointsLedger.Outcome.Posted) outcome).entryId(),
                    Timestamp.from(a.now().plus(Duration.ofMinutes(a.config().reservationTimeoutMinutes()))),
                    Timestamp.from(a.now()))
                .update(new GeneratedKeyHolder(), "id");
            return find(program.id(), businessId, false).orElseThrow();
          });
    } catch (OutOfStock e) {
      throw new PondException(ErrorCode.OUT_OF_STOCK, "item " + e.getMessage() + " has fewer than " + quantity + " left", "itemCode");
    }
  }

  private Optional<Reservation> find(long programId, String businessId, boolean replayed) {
    return jdbc.sql(
            "SELECT r.*, a.person_id, i.code AS item_code FROM loyalty_reservation r JOIN loyalty_account a ON a.id = r.account_id"
                + " LEFT JOIN loyalty_mall_item i ON i.id = r.item_id WHERE r.program_id = ? AND r.business_id = ?")
        .params(programId, businessId)
        .query(
            (rs, n) ->
                new Reservation(
                    rs.getLong("id"), rs.getInt("person_id"), rs.getString("business_id"), rs.getLong("points"),
                    rs.getLong("cash_fen"), rs.getString("item_code"), rs.getInt("quantity"), rs.getString("status"),
                    rs.getTimestamp("expires_at").toInstant(), rs.getLong("redeem_entry_id"), replayed))
        .optional();
  }

  private record Row(long accountId, long itemId, int quantity, String businessId) {}

  private Row row(long programId, String businessId) {
    return jdbc.sql("SELECT account_id, COALESCE(item_id, 0), quantity, business_id FROM loyalty_reservation WHERE program_id = ? AND business_id = ?")
        .params(programId, businessId)
        .query((rs, n) -> new Row(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getString(4)))
        .optional()
        .orElseThrow(() -> PondException.notFound("reservation", businessId));
  }

  /** Confirms a reservation (the checkout was paid); confirming twice is harmless. */
  public Reservation confirm(String programCode, String businessId) {
    return settle(programCode, businessId, "CONFIRMED");
  }

  /** Cancels a reservation and gives the points (and stock) back; cancelling twice is harmless. */
  public Reservation cancel(String programCode, String businessId) {
    return settle(programCode, businessId, "CANCELLED");
  }

  private Reservation settle(String programCode, String businessId, String target) {
    Programs.Program program = programs.get(programCode);
    Row row = row(program.id(), businessId);
    return ledger.withAccountId(
        row.accountId(),
        a -> {
          Reservation r = find(program.id(), businessId, false).orElseThrow();
          if (r.status().equals(target)) {
            return new Reservation(r.id(), r.personId(), r.businessId(), r.points(), r.cashFen(), r.itemCode(), r.quantity(), r.status(), r.expiresAt(), r.redeemEntryId(), true);
          }
          if (!r.status().equals("RESERVED")) {
            throw new PondException(ErrorCode.CONFLICT, "reservation " + businessId + " is " + r.status().toLowerCase(java.util.Locale.ROOT), "businessId");
          }
          boolean expired = !r.expiresAt().isAfter(a.now());
          String status = expired ? "EXPIRED" : target;
          if (!status.equals("CONFIRMED")) {
            release(a, r, row, status);
          }
          jdbc.sql("UPDATE loyalty_reservation SET status = ?, settled_at = ? WHERE id = ?").params(status, Timestamp.from(a.now()), r.id()).update();
          return find(program.id(), businessId, false).orElseThrow();
        });
  }

  private void release(PointsLedger.Locked a, Reservation r, Row row, String status) {
    a.reverse(r.redeemEntryId(), "reservation " + r.businessId() + " " + status.toLowerCase(java.util.Locale.ROOT), "system");
    if (row.itemId() != 0) {
      jdbc.sql("UPDATE loyalty_mall_item SET stock = stock + ? WHERE id = ?").params(row.quantity(), row.itemId()).update();
    }
  }

  /** Expires every reservation past its timeout, giving points and stock back; returns how many. */
  public int expireDue() {
    List<String[]> due =
        jdbc.sql("SELECT p.code, r.business_id FROM loyalty_reservation r JOIN loyalty_program p ON p.id = r.program_id WHERE r.status = 'RESERVED' AND r.expires_at <= ?")
            .param(Timestamp.from(clock.instant()))
            .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)})
            .list();
    int n = 0;
    for (String[] d : due) {
      n += "EXPIRED".equals(settle(d[0], d[1], "CANCELLED").status()) ? 1 : 0;
    }
    return n;
  }
}
