package io.pond.offer.coupon;

import io.pond.offer.coupon.domain.Coupon;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The coupons a person holds (卡券包), as domain coupons for checkout and as views for the API. */
@Component
public class Wallet {

  private final JdbcClient jdbc;
  private final Templates templates;

  Wallet(JdbcClient jdbc, Templates templates) {
    this.jdbc = jdbc;
    this.templates = templates;
  }

  /**
   * A coupon as its holder sees it. {@code status}: {@code ISSUED} (usable within its window),
   * {@code LOCKED} (held by a checkout), {@code REDEEMED} (used on {@code orderKey}).
   */
  public record View(
      long id, String code, String template, String templateName, String kind, String status, String source, Instant validFrom,
      Instant validUntil, Instant issuedAt, String orderKey, Long discountFen, boolean expired) {}

  public List<View> of(int personId, Instant now) {
    return jdbc.sql(
            "SELECT c.*, t.code AS template_code, t.name AS template_name, t.kind FROM offer_coupon c JOIN offer_template t ON t.id = c.template_id"
                + " WHERE c.person_id = ? ORDER BY c.id DESC LIMIT 1000")
        .param(personId)
        .query((rs, n) -> {
          Instant until = rs.getTimestamp("valid_until").toInstant();
          Object discount = rs.getObject("discount_fen");
          return new View(
              rs.getLong("id"), rs.getString("code"), rs.getString("template_code"), rs.getString("template_name"), rs.getString("kind"),
              rs.getString("status"), rs.getString("source"), rs.getTimestamp("valid_from").toInstant(), until,
              rs.getTimestamp("issued_at").toInstant(), rs.getString("order_key"), discount == null ? null : ((Number) discount).longValue(),
              "ISSUED".equals(rs.getString("status")) && !until.isAfter(now));
        })
        .list();
  }

  /** Unused coupons the person holds whose window has not ended. */
  public List<Coupon> usable(int personId, Instant now) {
    return jdbc.sql("SELECT id, template_id, code, valid_from, valid_until FROM offer_coupon WHERE person_id = ? AND status = 'ISSUED' AND valid_until > ?")
        .params(personId, Timestamp.from(now))
        .query((rs, n) -> new Coupon(
            rs.getLong(1), rs.getString(3), templates.cached(rs.getLong(2)).rules(), rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant()))
        .list();
  }

  /** A coupon with its status, as checkout needs it. */
  public record Held(Coupon coupon, int personId, String status) {}

  /** The person's coupon with this code (codes are unique per template; a person rarely holds two alike). */
  public List<Held> byCode(int personId, String code) {
    return jdbc.sql("SELECT id, template_id, code, valid_from, valid_until, person_id, status FROM offer_coupon WHERE code = ? AND person_id = ? ORDER BY id")
        .params(code, personId)
        .query((rs, n) -> new Held(
            new Coupon(rs.getLong(1), rs.getString(3), templates.cached(rs.getLong(2)).rules(), rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant()),
            rs.getInt(6), rs.getString(7)))
        .list();
  }
}
