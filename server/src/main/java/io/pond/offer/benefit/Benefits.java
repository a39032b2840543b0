package io.pond.offer.benefit;

import io.pond.offer.coupon.Templates;
import io.pond.offer.member.Members;
import io.pond.platform.audit.AuditLog;
import io.pond.platform.errors.PondException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Benefits (权益) of tiers and of paid-membership plans: a member discount rate, free shipping, a
 * birthday gift (a coupon template issued on the birthday), exclusive services (named, e.g. a personal
 * shopper), and coupons issued on reaching a tier. A tier's benefits are configured per loyalty program,
 * tiers lowest first — the order decides what a tier-up is.
 */
@Component
public class Benefits {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final JdbcClient jdbc;
  private final Templates templates;
  private final Members members;
  private final AuditLog audit;
  private final Clock clock;

  Benefits(JdbcClient jdbc, Templates templates, Members members, AuditLog audit, Clock clock) {
    this.jdbc = jdbc;
    this.templates = templates;
    this.members = members;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * What a tier or plan gives.
   *
   * @param discountRatePermille the member price as a share of the list price (950 = 9.5折); null: none
   * @param birthdayGift template issued on the member's birthday
   * @param upgradeCoupons templates issued once on reaching the tier (tiers only)
   */
  public record Package(
      Integer discountRatePermille, Boolean freeShipping, String birthdayGift, List<String> exclusiveServices, List<String> upgradeCoupons) {}

  public record TierPackage(String tier, Package benefits) {}

  /** Replaces the benefits of a program's tiers, given lowest tier first. */
  @Transactional
  public List<TierPackage> setTiers(String program, List<TierPackage> tiers, String actor) {
    name(program, "program");
    if (tiers == null || tiers.isEmpty()) {
      throw PondException.invalid("tiers", "list the program's tiers, lowest first");
    }
    jdbc.sql("DELETE FROM offer_benefit WHERE holder_kind = 'TIER' AND program = ?").param(program).update();
    for (int i = 0; i < tiers.size(); i++) {
      TierPackage t = tiers.get(i);
      String field = "tiers[" + i + "]";
      name(t.tier(), field + ".tier");
      store("TIER", program, t.tier(), i + 1, t.benefits(), field);
    }
    audit.record(actor, "offer.benefits.tiers", "program:" + program, tiers.size() + " tiers");
    return tiers(program);
  }

  /** Replaces a paid-membership plan's benefits. */
  @Transactional
  public Package setPlan(String plan, Package benefits, String actor) {
    name(plan, "plan");
    jdbc.sql("DELETE FROM offer_benefit WHERE holder_kind = 'PLAN' AND holder = ?").param(plan).update();
    store("PLAN", "", plan, 0, benefits, "");
    audit.record(actor, "offer.benefits.plan", "plan:" + plan, null);
    return plan(plan).orElseThrow();
  }

  private void store(String holderKind, String program, String holder, int level, Package p, String field) {
    String prefix = field.isEmpty() ? "" : field + ".";
    Package b = p == null ? new Package(null, false, null, List.of(), List.of()) : p;
    insert(holderKind, program, holder, level, "TIER_MEMBER", null, null, null); // marks the tier even without benefits
    if (b.discountRatePermille() != null) {
      if (b.discountRatePermille() < 1 || b.discountRatePermille() > 999) {
        throw PondException.invalid(prefix + "discountRatePermille", "must be between 1 and 999 (950 = pay 95%)");
      }
      insert(holderKind, program, holder, level, "DISCOUNT_RATE", b.discountRatePermille(), null, null);
    }
    if (Boolean.TRUE.equals(b.freeShipping())) {
      insert(holderKind, program, holder, level, "FREE_SHIPPING", null, null, null);
    }
    if (b.birthdayGift() != null) {
      template(b.birthdayGift(), prefix + "birthdayGift");
      insert(holderKind, program, holder, level, "BIRTHDAY_GIFT", null, b.birthdayGift(), null);
    }
    List<String> services = b.exclusiveServices() == null ? List.of() : b.exclusiveServices();
    for (int i = 0; i < services.size(); i++) {
      String s = services.get(i);
      if (s == null || s.isBlank() || s.length() > 500) {
        throw PondException.invalid(prefix + "exclusiveServices[" + i + "]", "must be 1-500 characters");
      }
      insert(holderKind, program, holder, level, "EXCLUSIVE_SERVICE", null, null, s.strip());
    }
    List<String> upgrade = b.upgradeCoupons() == null ? List.of() : b.upgradeCoupons();
    if (!upgrade.isEmpty() && "PLAN".equals(holderKind)) {
      throw PondException.invalid("upgradeCoupons", "plans have no upgrades; tiers do");
    }
    for (int i = 0; i < upgrade.size(); i++) {
      template(upgrade.get(i), prefix + "upgradeCoupons[" + i + "]");
      insert(holderKind, program, holder, level, "UPGRADE_COUPON", null, upgrade.get(i), null);
    }
  }

  private void template(String code, String field) {
    if (code == null || templates.findByCode(code).isEmpty()) {
      throw PondException.invalid(field, "no coupon template " + code);
    }
  }

  private void insert(String holderKind, String program, String holder, int level, String kind, Integer rate, String template, String description) {
    jdbc.sql("INSERT INTO offer_benefit (holder_kind, program, holder, level, kind, rate_permille, template_code, description) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .params(holderKind, program, holder, level, kind, rate, template, description)
        .update();
  }

  private record Row(String holder, int level, String kind, Integer rate, String template, String description) {}

  private List<Row> rows(String holderKind, String program, String holder) {
    return jdbc.sql("SELECT holder, level, kind, rate_permille, template_code, description FROM offer_benefit WHERE holder_kind = ? AND program = ?"
            + (holder == null ? "" : " AND holder = ?") + " ORDER BY level, id")
        .params(holder == null ? new Object[] {holderKind, program} : new Object[] {holderKind, program, holder})
        .query((rs, n) -> new Row(rs.getString(1), rs.getInt(2), rs.getString(3), (Integer) rs.getObject(4), rs.getString(5), rs.getString(6)))
        .list();
  }

  private static Package fold(List<Row> rows) {
    Integer rate = null;
    boolean shipping = false;
    String birthday = null;
    List<String> services = new ArrayList<>();
    List<String> upgrade = new ArrayList<>();
    for (Row r : rows) {
      switch (r.kind()) {
        case "DISCOUNT_RATE" -> rate = r.rate();
        case "FREE_SHIPPING" -> shipping = true;
        case "BIRTHDAY_GIFT" -> birthday = r.template();
        case "EXCLUSIVE_SERVICE" -> services.add(r.description());
        case "UPGRADE_COUPON" -> upgrade.add(r.template());
        default -> {}
      }
    }
    return new Package(rate, shipping, birthday, List.copyOf(services), List.copyOf(upgrade));
  }

  public List<TierPackage> tiers(String program) {
    List<Row> rows = rows("TIER", program, null);
    List<TierPackage> out = new ArrayList<>();
    rows.stream().map(Row::holder).distinct().forEach(tier -> out.add(new TierPackage(tier, fold(rows.stream().filter(r -> r.holder().equals(tier)).toList()))));
    return out;
  }

  public Optional<Package> plan(String plan) {
    List<Row> rows = rows("PLAN", "", plan);
    return rows.isEmpty() ? Optional.empty() : Optional.of(fold(rows));
  }

  /** The tier's position in its program (lowest 1), when its benefits are configured. */
  public Optional<Integer> level(String program, String tier) {
    return jdbc.sql("SELECT MIN(level) FROM offer_benefit WHERE holder_kind = 'TIER' AND program = ? AND holder = ?")
        .params(program, tier)
        .query((rs, n) -> (Integer) rs.getObject(1))
        .optional();
  }

  /** One benefit a member has, and where it comes from ({@code tier:program/L2}, {@code plan:plus}). */
  public record Held(String source, String kind, Integer ratePermille, String templateCode, String description) {}

  /**
   * A member's benefits now, and the summary that checkout needs: the best member discount rate and
   * whether shipping is free.
   */
  public record MemberBenefits(int personId, Map<String, String> tiers, Set<String> plans, Integer discountRatePermille, boolean freeShipping,
      List<Held> benefits) {}

  public MemberBenefits of(int personId) {
    Instant now = clock.instant();
    Map<String, String> tiers = members.tiers(personId);
    Set<String> plans = members.plans(personId, now);
    List<Held> held = new ArrayList<>();
    tiers.forEach((program, tier) -> rows("TIER", program, tier).forEach(r -> add(held, "tier:" + program + "/" + tier, r)));
    plans.stream().sorted().forEach(plan -> rows("PLAN", "", plan).forEach(r -> add(held, "plan:" + plan, r)));
    Integer rate = held.stream().filter(h -> h.kind().equals("DISCOUNT_RATE")).map(Held::ratePermille).min(Comparator.naturalOrder()).orElse(null);
    boolean shipping = held.stream().anyMatch(h -> h.kind().equals("FREE_SHIPPING"));
    return new MemberBenefits(personId, tiers, plans, rate, shipping, held);
  }

  private static void add(List<Held> out, String source, Row r) {
    if (!r.kind().equals("TIER_MEMBER")) {
      out.add(new Held(source, r.kind(), r.rate(), r.template(), r.description()));
    }
  }

  /** Birthday-gift templates of the member's tiers and plans now. */
  public List<String> birthdayGifts(int personId) {
    return of(personId).benefits().stream().filter(h -> h.kind().equals("BIRTHDAY_GIFT")).map(Held::templateCode).distinct().toList();
  }

  /** Templates issued on reaching this tier. */
  public List<String> upgradeCoupons(String program, String tier) {
    return rows("TIER", program, tier).stream().filter(r -> r.kind().equals("UPGRADE_COUPON")).map(Row::template).toList();
  }

  private static void name(String value, String field) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw PondException.invalid(field, "must be 1-64 letters, digits, '_' or '-'");
    }
  }
}
