package io.pond.offer.coupon;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** What became of a template's coupons: how many are held, locked, redeemed or expired, and the money they took off. */
@RestController
@RequestMapping("/api/v1/offers")
@Tag(name = "Coupons")
class CouponStatsController {

  private final Templates templates;
  private final JdbcClient jdbc;
  private final Clock clock;

  CouponStatsController(Templates templates, JdbcClient jdbc, Clock clock) {
    this.templates = templates;
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /**
   * @param byStatus coupons by status ({@code ISSUED} still usable, {@code LOCKED}, {@code REDEEMED}); unused coupons
   *     past their validity count as {@code EXPIRED} instead of {@code ISSUED}
   * @param bySource coupons by how they were issued ({@code claim}, {@code grant:…}, {@code bulk}, …)
   * @param redemptionRate redeemed / issued, 0 when none was issued
   */
  record Stats(String template, long issued, long remaining, Map<String, Long> byStatus, Map<String, Long> bySource, long redeemedDiscountFen,
      double redemptionRate) {}

  @GetMapping("/templates/{code}/stats")
  @Operation(summary = "A template's coupons by status and source, the discount its redeemed coupons gave, and its redemption rate")
  Stats stats(@PathVariable String code) {
    Templates.Template t = templates.byCode(code);
    OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    Map<String, Long> byStatus = new TreeMap<>();
    long[] discount = new long[1];
    jdbc.sql("SELECT s, COUNT(*) AS n, SUM(d) AS d FROM (SELECT CASE WHEN status = 'ISSUED' AND valid_until <= ? THEN 'EXPIRED' ELSE status END AS s,"
            + " COALESCE(discount_fen, 0) AS d FROM offer_coupon WHERE template_id = ?) x GROUP BY s")
        .params(now, t.id())
        .query((RowCallbackHandler) rs -> {
          byStatus.put(rs.getString("s"), rs.getLong("n"));
          if ("REDEEMED".equals(rs.getString("s"))) {
            discount[0] = rs.getLong("d");
          }
        });
    Map<String, Long> bySource = new TreeMap<>();
    jdbc.sql("SELECT source, COUNT(*) AS n FROM offer_coupon WHERE template_id = ? GROUP BY source")
        .param(t.id())
        .query((RowCallbackHandler) rs -> bySource.put(rs.getString("source"), rs.getLong("n")));
    long issued = byStatus.values().stream().mapToLong(Long::longValue).sum();
    long redeemed = byStatus.getOrDefault("REDEEMED", 0L);
    return new Stats(t.rules().code(), issued, t.rules().totalStock() - t.issued(), byStatus, bySource, discount[0],
        issued == 0 ? 0 : (double) redeemed / issued);
  }
}
