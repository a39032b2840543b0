package io.pond.loyalty.program.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How many points and how much growth an order earns, and why: the rate of the most specific rule per
 * line, the tier multiplier, the best promotion of the local day, then the per-order and per-day caps.
 */
public final class EarningPolicy {

  private EarningPolicy() {}

  public record Line(String category, long paidFen) {}

  public record OrderFacts(String channel, String shop, List<Line> lines, Instant paidAt) {
    public long paidFen() {
      return lines.stream().mapToLong(Line::paidFen).sum();
    }
  }

  /**
   * @param points what the order earns after multipliers and caps
   * @param growth growth value (not multiplied, not capped)
   * @param multiplier tier × promotion multiplier applied
   * @param rule a sentence an operator can read: which rates, multipliers and caps made the number
   */
  public record Award(long points, long growth, BigDecimal multiplier, String rule) {}

  public static Award forOrder(ProgramConfig config, OrderFacts order, int tierLevel, long earnedToday, ZoneId zone) {
    ProgramConfig.Earning earning = config.earning();
    long base = 0;
    List<String> why = new ArrayList<>();
    for (Line line : order.lines()) {
      ProgramConfig.Rule rule = bestRule(earning.rules(), order.channel(), order.shop(), line.category());
      BigDecimal rate = rule == null ? earning.pointsPerYuan() : rule.pointsPerYuan();
      base += PointsMath.perYuan(line.paidFen(), rate);
      why.add(describe(rule, rate, line));
    }
    ProgramConfig.Tier tier = config.tier(tierLevel);
    LocalDate day = LocalDate.ofInstant(order.paidAt(), zone);
    ProgramConfig.Promotion promotion =
        earning.promotions().stream()
            .filter(p -> !day.isBefore(p.from()) && !day.isAfter(p.to() == null ? p.from() : p.to()))
            .filter(p -> p.channel() == null || p.channel().equals(order.channel()))
            .max(Comparator.comparing(ProgramConfig.Promotion::multiplier))
            .orElse(null);
    BigDecimal multiplier = tier.multiplier().multiply(promotion == null ? BigDecimal.ONE : promotion.multiplier());
    long points = PointsMath.times(base, multiplier);
    StringBuilder rule = new StringBuilder(String.join("; ", why));
    rule.append(" = ").append(base).append(" × tier ").append(tier.code()).append(' ').append(tier.multiplier().stripTrailingZeros().toPlainString());
    if (promotion != null) {
      rule.append(" × promotion ")
          .append(promotion.name() == null ? day.toString() : promotion.name())
          .append(' ')
          .append(promotion.multiplier().stripTrailingZeros().toPlainString());
    }
    if (earning.perOrderCap() != null && points > earning.perOrderCap()) {
      points = earning.perOrderCap();
      rule.append("; capped at ").append(points).append(" per order");
    }
    if (earning.perDayCap() != null) {
      long room = Math.max(0, earning.perDayCap() - earnedToday);
      if (points > room) {
        points = room;
        rule.append("; capped at ").append(earning.perDayCap()).append(" per day (").append(earnedToday).append(" earned today)");
      }
    }
    long growth = PointsMath.perYuan(order.paidFen(), earning.growthPerYuan());
    return new Award(points, growth, multiplier.stripTrailingZeros(), rule.toString());
  }

  static ProgramConfig.Rule bestRule(List<ProgramConfig.Rule> rules, String channel, String shop, String category) {
    ProgramConfig.Rule best = null;
    for (ProgramConfig.Rule r : rules) {
      boolean matches =
          (r.channel() == null || r.channel().equals(channel))
              && (r.shop() == null || r.shop().equals(shop))
              && (r.category() == null || r.category().equals(category));
      if (matches && (best == null || r.specificity() > best.specificity())) {
        best = r;
      }
    }
    return best;
  }

  private static String describe(ProgramConfig.Rule rule, BigDecimal rate, Line line) {
    String where =
        rule == null
            ? "base rate"
            : "rule"
                + (rule.channel() == null ? "" : " channel=" + rule.channel())
                + (rule.shop() == null ? "" : " shop=" + rule.shop())
                + (rule.category() == null ? "" : " category=" + rule.category());
    return (line.category() == null ? "line" : line.category())
        + " "
        + line.paidFen()
        + " fen at "
        + rate.stripTrailingZeros().toPlainString()
        + "/yuan ("
        + where
        + ")";
  }
}
