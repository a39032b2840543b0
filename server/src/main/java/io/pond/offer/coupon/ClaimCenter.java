package io.pond.offer.coupon;

import io.pond.offer.MemberCoupons;
import io.pond.offer.coupon.domain.ClaimPolicy;
import io.pond.offer.coupon.domain.CouponTemplate;
import io.pond.offer.coupon.domain.Refusal;
import io.pond.offer.member.Members;
import io.pond.platform.audit.AuditLog;
import io.pond.platform.errors.PondException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The claim center (领券中心): which templates members may claim for themselves, and {@link
 * MemberCoupons} — a member's coupons and claims — over the wallet and {@link Issuing}.
 */
@Service
public class ClaimCenter implements MemberCoupons {

  private final JdbcClient jdbc;
  private final Templates templates;
  private final Issuing issuing;
  private final Members members;
  private final AuditLog audit;
  private final Clock clock;

  ClaimCenter(JdbcClient jdbc, Templates templates, Issuing issuing, Members members, AuditLog audit, Clock clock) {
    this.jdbc = jdbc;
    this.templates = templates;
    this.issuing = issuing;
    this.members = members;
    this.audit = audit;
    this.clock = clock;
  }

  /** A listed template. */
  public record Listed(String template, String name, int position, Instant listedAt, String listedBy) {}

  /** Templates in the claim center, in order. */
  public List<Listed> listed() {
    return jdbc.sql(
            "SELECT t.code, t.name, c.position, c.listed_at, c.listed_by FROM offer_claim_center c JOIN offer_template t ON t.id = c.template_id"
                + " ORDER BY c.position, t.code")
        .query((rs, n) -> new Listed(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getTimestamp(4).toInstant(), rs.getString(5)))
        .list();
  }

  /** Lists a template (or moves it to {@code position}); idempotent. */
  @Transactional
  public Listed list(String templateCode, Integer position, String actor) {
    Templates.Template t = templates.byCode(templateCode);
    if (position != null && (position < 0 || position > 100_000)) {
      throw PondException.invalid("position", "must be between 0 and 100000");
    }
    int pos = position == null
        ? jdbc.sql("SELECT COALESCE(MAX(position), 0) + 1 FROM offer_claim_center").query(Integer.class).single()
        : position;
    int updated = position == null ? 0 : jdbc.sql("UPDATE offer_claim_center SET position = ? WHERE template_id = ?").params(pos, t.id()).update();
    boolean known = jdbc.sql("SELECT COUNT(*) FROM offer_claim_center WHERE template_id = ?").param(t.id()).query(Long.class).single() > 0;
    if (!known) {
      try {
        jdbc.sql("INSERT INTO offer_claim_center (template_id, position, listed_at, listed_by) VALUES (?, ?, ?, ?)")
            .params(t.id(), pos, Timestamp.from(clock.instant()), actor)
            .update();
      } catch (DuplicateKeyException concurrent) {
        // listed meanwhile: same outcome
      }
      audit.record(actor, "offer.claim_center.list", "template:" + t.code(), "position " + pos);
    } else if (updated > 0) {
      audit.record(actor, "offer.claim_center.move", "template:" + t.code(), "position " + pos);
    }
    return listed().stream().filter(l -> l.template().equals(t.code())).findFirst().orElseThrow();
  }

  /** Takes a template out of the claim center; coupons already claimed stay. Answers whether it was listed. */
  @Transactional
  public boolean unlist(String templateCode, String actor) {
    Templates.Template t = templates.byCode(templateCode);
    boolean removed = jdbc.sql("DELETE FROM offer_claim_center WHERE template_id = ?").param(t.id()).update() > 0;
    if (removed) {
      audit.record(actor, "offer.claim_center.unlist", "template:" + t.code(), null);
    }
    return removed;
  }

  // ---- MemberCoupons ------------------------------------------------------------------------------

  @Override
  public List<Coupon> coupons(int personId) {
    Instant now = clock.instant();
    return jdbc.sql(
            "SELECT c.template_id, c.code, c.status, c.source, c.valid_from, c.valid_until, c.issued_at, c.used_at, c.order_key, c.discount_fen"
                + " FROM offer_coupon c WHERE c.person_id = ? ORDER BY c.id DESC LIMIT 500")
        .param(personId)
        .query((rs, n) -> coupon(rs, now))
        .list();
  }

  private Coupon coupon(ResultSet rs, Instant now) throws SQLException {
    Templates.Template t = templates.cached(rs.getLong("template_id"));
    Instant until = rs.getTimestamp("valid_until").toInstant();
    String stored = rs.getString("status");
    String status =
        switch (stored) {
          case "ISSUED" -> until.isAfter(now) ? "available" : "expired";
          case "LOCKED" -> "locked";
          case "REDEEMED" -> "used";
          default -> stored.toLowerCase(Locale.ROOT);
        };
    Timestamp usedAt = rs.getTimestamp("used_at");
    Object discount = rs.getObject("discount_fen");
    return new Coupon(
        rs.getString("code"), t.code(), t.rules().name(), terms(t.rules()), status, rs.getString("source"),
        rs.getTimestamp("valid_from").toInstant(), until, rs.getTimestamp("issued_at").toInstant(),
        usedAt == null ? null : usedAt.toInstant(), rs.getString("order_key"), discount == null ? null : ((Number) discount).longValue());
  }

  private static Terms terms(CouponTemplate r) {
    var rule = r.rule();
    return new Terms(r.kind().name().toLowerCase(Locale.ROOT), rule.amountOffFen(), rule.thresholdFen(), rule.payRatePermille(),
        rule.capFen(), rule.specialPriceFen(), rule.giftSku());
  }

  @Override
  public List<Claimable> claimable(int personId) {
    Instant now = clock.instant();
    ClaimPolicy.Person person = members.person(personId);
    List<Claimable> out = new ArrayList<>();
    for (Listed l : listed()) {
      Templates.Template t = templates.byCode(l.template());
      CouponTemplate r = t.rules();
      int held = jdbc.sql("SELECT COUNT(*) FROM offer_coupon WHERE template_id = ? AND person_id = ?")
          .params(t.id(), personId)
          .query(Integer.class)
          .single();
      long remaining = Math.max(0, r.totalStock() - t.issued());
      Optional<Refusal> refusal = ClaimPolicy.refusal(r, person, now, true);
      String why = refusal.map(Refusal::reason).orElse(null);
      if (why == null && r.perMemberLimit() != null && held >= r.perMemberLimit()) {
        why = "limit_reached";
      }
      if (why == null && remaining == 0) {
        why = "out_of_stock";
      }
      out.add(new Claimable(
          t.code(), r.name(), terms(r), remaining, r.perMemberLimit(), held, r.memberOnly(), r.tiers().stream().sorted().toList(),
          r.newCustomerOnly(), r.validity().from(), r.validity().until(), r.validity().days(), why == null, why));
    }
    return out;
  }

  @Override
  public Claimed claim(int personId, String template, String requestId) {
    if (requestId == null || requestId.isBlank() || requestId.length() > 100) {
      throw PondException.invalid("requestId", "must be 1-100 characters");
    }
    if (template == null || listed().stream().noneMatch(l -> l.template().equals(template))) {
      throw PondException.notFound("template in the claim center", template);
    }
    // the key names the member: another member's request id never replays this member's coupon
    IssueOutcome.Issued issued = Issuing.orThrow(issuing.claim(template, personId, "member:" + personId + ":" + requestId));
    Coupon coupon = coupons(personId).stream()
        .filter(c -> c.code().equals(issued.coupon().code()) && c.template().equals(template))
        .findFirst()
        .orElseThrow();
    return new Claimed(coupon, issued.replayed());
  }
}
