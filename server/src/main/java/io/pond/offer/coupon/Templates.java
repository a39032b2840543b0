package io.pond.offer.coupon;

import io.pond.offer.coupon.domain.CouponKind;
import io.pond.offer.coupon.domain.CouponTemplate;
import io.pond.offer.coupon.domain.Refusal;
import io.pond.offer.coupon.domain.Rule;
import io.pond.offer.coupon.domain.Scope;
import io.pond.offer.coupon.domain.Validity;
import io.pond.platform.audit.AuditLog;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import io.pond.platform.security.DataScope;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Coupon templates: validated on the way in (problem+json names the field), kept in memory once read
 * (claims read a template thousands of times a second), stock raised or lowered but never below what
 * was issued.
 */
@Component
public class Templates {

  static final Pattern CODE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern ITEM = Pattern.compile("[^,\\s][^,]{0,63}");

  private final JdbcClient jdbc;
  private final Clock clock;
  private final AuditLog audit;
  private final Map<Long, Template> byId = new ConcurrentHashMap<>();
  private final Map<String, Long> idByCode = new ConcurrentHashMap<>();

  Templates(JdbcClient jdbc, Clock clock, AuditLog audit) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.audit = audit;
  }

  /** A stored template: its rules, where its codes come from, and how many were issued. */
  public record Template(CouponTemplate rules, boolean pool, long issued, Instant createdAt) {
    public long id() {
      return rules.id();
    }

    public String code() {
      return rules.code();
    }
  }

  @Transactional
  public Template create(TemplateSpec s, String actor) {
    String code = s.code();
    if (code == null || !CODE.matcher(code).matches()) {
      throw PondException.invalid("code", "must be 1-64 letters, digits, '_' or '-'");
    }
    if (s.name() != null && s.name().length() > 200) {
      throw PondException.invalid("name", "must be at most 200 characters");
    }
    CouponKind kind = parse(CouponKind.class, s.kind(), "kind", null);
    Rule rule =
        new Rule(
            kind, orZero(s.amountOffFen()), orZero(s.thresholdFen()), s.payRatePermille() == null ? 0 : s.payRatePermille(),
            orZero(s.capFen()), orZero(s.specialPriceFen()), blankToNull(s.giftSku()), orZero(s.giftValueFen()));
    rule.problem().ifPresent(Templates::reject);
    Set<String> channels = items(s.channels(), "channels");
    for (String c : channels) {
      if (!DataScope.CHANNEL.matcher(c).matches()) {
        throw PondException.invalid("channels", "'" + c + "' is not a channel code (lower-case letters, digits, '-' or '_')");
      }
    }
    Scope scope = new Scope(channels, items(s.shops(), "shops"), items(s.skus(), "skus"), items(s.categories(), "categories"));
    if (kind == CouponKind.SPECIAL_PRICE && scope.skus().isEmpty()) {
      throw PondException.invalid("skus", "a special-price coupon names the products it prices");
    }
    Validity validity =
        s.validDays() == null
            ? Validity.absolute(s.validFrom(), s.validUntil())
            : new Validity(s.validFrom(), s.validUntil(), s.validDays(), s.validAfterDays() == null ? 0 : s.validAfterDays());
    validity.problem().ifPresent(Templates::reject);
    boolean pool = "pool".equals(s.codeSource());
    if (s.codeSource() != null && !pool && !"generated".equals(s.codeSource())) {
      throw PondException.invalid("codeSource", "must be generated or pool");
    }
    long stock;
    if (pool) {
      if (s.totalStock() != null && s.totalStock() != 0) {
        throw PondException.invalid("totalStock", "a pool template's stock is the number of codes imported into it");
      }
      stock = 0;
    } else {
      if (s.totalStock() == null || s.totalStock() < 1 || s.totalStock() > 1_000_000_000L) {
        throw PondException.invalid("totalStock", "must be between 1 and 1000000000");
      }
      stock = s.totalStock();
    }
    if (s.perMemberLimit() != null && (s.perMemberLimit() < 1 || s.perMemberLimit() > 1000)) {
      throw PondException.invalid("perMemberLimit", "must be between 1 and 1000, or absent for no limit");
    }
    Set<String> tiers = items(s.tiers(), "tiers");
    CouponTemplate.RefundPolicy refund =
        parse(CouponTemplate.RefundPolicy.class, s.refundPolicy(), "refundPolicy", CouponTemplate.RefundPolicy.FULL_REFUND);
    Instant now = clock.instant();
    try {
      jdbc.sql(
              "INSERT INTO offer_template (code, name, kind, amount_off_fen, threshold_fen, pay_rate_permille, cap_fen,"
                  + " special_price_fen, gift_sku, gift_value_fen, channels, shops, skus, categories, valid_from, valid_until,"
                  + " valid_days, valid_after_days, total_stock, issued, per_member_limit, member_only, tiers, new_customer_only,"
                  + " stackable, refund_policy, code_source, active, created_at, created_by)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, TRUE, ?, ?)")
          .params(
              code, s.name() == null ? code : s.name(), kind.name(), rule.amountOffFen(), rule.thresholdFen(), rule.payRatePermille(),
              rule.capFen(), rule.specialPriceFen(), rule.giftSku(), rule.giftValueFen(), join(scope.channels()), join(scope.shops()),
              join(scope.skus()), join(scope.categories()), ts(validity.from()), ts(validity.until()), validity.days(),
              validity.afterDays(), stock, s.perMemberLimit(), Boolean.TRUE.equals(s.memberOnly()), join(tiers),
              Boolean.TRUE.equals(s.newCustomerOnly()), Boolean.TRUE.equals(s.stackable()), refund.name(), pool ? "POOL" : "GENERATED",
              Timestamp.from(now), actor)
          .update();
    } catch (DuplicateKeyException e) {
      throw new PondException(ErrorCode.CONFLICT, "template " + code + " already exists", "code");
    }
    Template t = byCode(code);
    audit.record(actor, "offer.template.create", "template:" + code, kind + ", stock " + stock);
    return t;
  }

  /** The template with this code, read from the store (not the cache). */
  public Template byCode(String code) {
    return find("code = ?", code).orElseThrow(() -> PondException.notFound("template", code));
  }

  public Optional<Template> findByCode(String code) {
    Long id = idByCode.get(code);
    if (id != null) {
      return Optional.of(cached(id));
    }
    return find("code = ?", code);
  }

  /** The template as cached (its {@code issued} may lag; the claim path counts stock itself). */
  public Template cached(long id) {
    Template t = byId.get(id);
    if (t == null) {
      t = find("id = ?", id).orElseThrow(() -> PondException.notFound("template", id));
    }
    return t;
  }

  public List<Template> list() {
    return jdbc.sql("SELECT * FROM offer_template ORDER BY id").query(this::row).list();
  }

  /** Sets the total stock; it may not go below what was already issued. */
  @Transactional
  public Template setStock(String code, long totalStock, String actor) {
    Template t = byCode(code);
    if (t.pool()) {
      throw PondException.invalid("totalStock", "a pool template's stock is the number of codes imported into it");
    }
    if (totalStock < 1 || totalStock > 1_000_000_000L) {
      throw PondException.invalid("totalStock", "must be between 1 and 1000000000");
    }
    int updated = jdbc.sql("UPDATE offer_template SET total_stock = ? WHERE id = ? AND issued <= ?").params(totalStock, t.id(), totalStock).update();
    if (updated == 0) {
      throw PondException.invalid("totalStock", "must not be below the " + byCode(code).issued() + " coupons already issued");
    }
    audit.record(actor, "offer.template.stock", "template:" + code, t.rules().totalStock() + " → " + totalStock);
    return evict(t.id());
  }

  @Transactional
  public Template setActive(String code, boolean active, String actor) {
    Template t = byCode(code);
    jdbc.sql("UPDATE offer_template SET active = ? WHERE id = ?").params(active, t.id()).update();
    audit.record(actor, active ? "offer.template.resume" : "offer.template.pause", "template:" + code, null);
    return evict(t.id());
  }

  /** Forgets the cached copy (after a change); returns the stored one. */
  Template evict(long id) {
    byId.remove(id);
    return cached(id);
  }

  private Optional<Template> find(String where, Object key) {
    Optional<Template> t = jdbc.sql("SELECT * FROM offer_template WHERE " + where).param(key).query(this::row).optional();
    t.ifPresent(
        x -> {
          byId.put(x.id(), x);
          idByCode.put(x.code(), x.id());
        });
    return t;
  }

  private Template row(ResultSet rs, int n) throws SQLException {
    Integer days = (Integer) rs.getObject("valid_days");
    Integer limit = (Integer) rs.getObject("per_member_limit");
    Rule rule =
        new Rule(
            CouponKind.valueOf(rs.getString("kind")), rs.getLong("amount_off_fen"), rs.getLong("threshold_fen"),
            rs.getInt("pay_rate_permille"), rs.getLong("cap_fen"), rs.getLong("special_price_fen"), rs.getString("gift_sku"),
            rs.getLong("gift_value_fen"));
    Scope scope = new Scope(split(rs.getString("channels")), split(rs.getString("shops")), split(rs.getString("skus")), split(rs.getString("categories")));
    Validity validity = new Validity(instant(rs, "valid_from"), instant(rs, "valid_until"), days, rs.getInt("valid_after_days"));
    CouponTemplate rules =
        new CouponTemplate(
            rs.getLong("id"), rs.getString("code"), rs.getString("name"), rule, scope, validity, rs.getLong("total_stock"), limit,
            rs.getBoolean("member_only"), split(rs.getString("tiers")), rs.getBoolean("new_customer_only"), rs.getBoolean("stackable"),
            CouponTemplate.RefundPolicy.valueOf(rs.getString("refund_policy")), rs.getBoolean("active"));
    return new Template(rules, "POOL".equals(rs.getString("code_source")), rs.getLong("issued"), instant(rs, "created_at"));
  }

  private static void reject(Refusal r) {
    throw PondException.invalid(r.reason(), r.message());
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String value, String field, E fallback) {
    if (value == null || value.isBlank()) {
      if (fallback != null) {
        return fallback;
      }
      throw PondException.invalid(field, "must be one of " + names(type));
    }
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw PondException.invalid(field, "'" + value + "' is not one of " + names(type));
    }
  }

  private static String names(Class<? extends Enum<?>> type) {
    return Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
  }

  private static Set<String> items(List<String> values, String field) {
    if (values == null) {
      return Set.of();
    }
    if (values.size() > 1000) {
      throw PondException.invalid(field, "at most 1000 entries");
    }
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < values.size(); i++) {
      String v = values.get(i) == null ? "" : values.get(i).trim();
      if (!ITEM.matcher(v).matches()) {
        throw PondException.invalid(field + "[" + i + "]", "must be 1-64 characters without commas");
      }
      out.add(v);
    }
    return out;
  }

  static Set<String> split(String joined) {
    return joined == null || joined.isEmpty() ? Set.of() : new LinkedHashSet<>(List.of(joined.split(",")));
  }

  private static String join(Set<String> values) {
    return String.join(",", values);
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static Timestamp ts(Instant at) {
    return at == null ? null : Timestamp.from(at);
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }
}
