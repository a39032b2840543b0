package io.pond.loyalty;

import io.pond.loyalty.program.Programs;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Aggregates of a program's members for dashboards (the analytics module). A member is a person with
 * an account in the program; the channel of a member is the channel they joined on (入会, {@code
 * loyalty_member.join_channel}) — accounts opened without joining through a channel have none, and a
 * caller limited to some channels does not see them. Member GMV is read from loyalty's own view of
 * commerce's orders: an order is a member's when its buyer had an account in the program when it was
 * paid. Days are local dates in the given zone, as epoch days.
 */
@Component
public class MembershipStatistics {

  /** Members who joined on one local day on one channel ({@code null}: no channel known). */
  public record JoinDay(long epochDay, String channel, long members) {}

  /** Members in one tier now. */
  public record TierCount(String tier, String name, int level, long members) {}

  /** Paid orders of one local day: those of members and those of everybody else, in fen. */
  public record GmvDay(long epochDay, long memberOrders, long memberFen, long otherOrders, long otherFen) {}

  private final JdbcClient jdbc;
  private final Programs programs;

  MembershipStatistics(JdbcClient jdbc, Programs programs) {
    this.jdbc = jdbc;
    this.programs = programs;
  }

  /** Program codes, oldest first (the first is the default of a dashboard). */
  public List<String> programs() {
    return programs.list().stream().map(Programs.Program::code).toList();
  }

  public boolean exists(String program) {
    return programs.find(program).isPresent();
  }

  /** Members who joined with {@code from <= joined_at < to}, by local day and channel. */
  public List<JoinDay> joinedByDay(String program, Instant from, Instant to, ZoneId zone, Optional<Set<String>> channels) {
    long programId = programs.get(program).id();
    Map<String, long[]> sums = new HashMap<>();
    for (Stretch s : Stretch.split(from, to, zone)) {
      StringBuilder sql = new StringBuilder(
          "SELECT d, channel, COUNT(*) AS members FROM ("
              + " SELECT CAST(FLOOR((EXTRACT(EPOCH FROM a.joined_at) + " + s.offsetSeconds() + ") / 86400) AS BIGINT) AS d,"
              + " m.join_channel AS channel FROM loyalty_account a LEFT JOIN loyalty_member m"
              + " ON m.program_id = a.program_id AND m.person_id = a.person_id"
              + " WHERE a.program_id = :program AND a.joined_at >= :from AND a.joined_at < :to");
      Map<String, Object> params = params(programId, s.from(), s.to());
      if (!scope(sql, params, channels, "m.join_channel")) {
        return List.of();
      }
      sql.append(") x GROUP BY d, channel");
      jdbc.sql(sql.toString()).params(params).query((RowCallbackHandler) rs -> {
        String channel = rs.getString("channel");
        sums.computeIfAbsent(rs.getLong("d") + "\u0000" + (channel == null ? "" : channel), k -> new long[1])[0] += rs.getLong("members");
      });
    }
    List<JoinDay> days = new ArrayList<>();
    sums.forEach((key, v) -> {
      int cut = key.indexOf('\u0000');
      String channel = key.substring(cut + 1);
      days.add(new JoinDay(Long.parseLong(key.substring(0, cut)), channel.isEmpty() ? null : channel, v[0]));
    });
    days.sort(Comparator.comparingLong(JoinDay::epochDay).thenComparing(JoinDay::channel, Comparator.nullsFirst(Comparator.naturalOrder())));
    return days;
  }

  /** Members who had joined before {@code at}. */
  public long membersBefore(String program, Instant at, Optional<Set<String>> channels) {
    long programId = programs.get(program).id();
    StringBuilder sql = new StringBuilder(
        "SELECT COUNT(*) FROM loyalty_account a LEFT JOIN loyalty_member m ON m.program_id = a.program_id AND m.person_id = a.person_id"
            + " WHERE a.program_id = :program AND a.joined_at < :to");
    Map<String, Object> params = params(programId, null, at);
    if (!scope(sql, params, channels, "m.join_channel")) {
      return 0;
    }
    return jdbc.sql(sql.toString()).params(params).query(Long.class).single();
  }

  /** Members per tier now, every tier of the program's current configuration listed (lowest first). */
  public List<TierCount> tiers(String program, Optional<Set<String>> channels) {
    Programs.Program p = programs.get(program);
    StringBuilder sql = new StringBuilder(
        "SELECT a.tier, COUNT(*) AS members FROM loyalty_account a LEFT JOIN loyalty_member m"
            + " ON m.program_id = a.program_id AND m.person_id = a.person_id WHERE a.program_id = :program");
    Map<String, Object> params = params(p.id(), null, null);
    Map<Integer, Long> byLevel = new HashMap<>();
    if (scope(sql, params, channels, "m.join_channel")) {
      sql.append(" GROUP BY a.tier");
      jdbc.sql(sql.toString()).params(params).query((RowCallbackHandler) rs -> byLevel.put(rs.getInt("tier"), rs.getLong("members")));
    }
    List<TierCount> tiers = new ArrayList<>();
    var configured = p.config().tiers();
    for (int i = 0; i < configured.size(); i++) {
      tiers.add(new TierCount(configured.get(i).code(), configured.get(i).name(), i + 1, byLevel.getOrDefault(i + 1, 0L)));
    }
    byLevel.forEach((level, n) -> {
      if (level < 1 || level > configured.size()) {
        tiers.add(new TierCount("level-" + level, "level " + level, level, n)); // a level the current configuration no longer has
      }
    });
    return tiers;
  }

  /** Paid orders with {@code from <= paid_at < to} by local day, split into members' and others'. */
  public List<GmvDay> gmvByMembership(String program, Instant from, Instant to, ZoneId zone, Optional<Set<String>> channels) {
    long programId = programs.get(program).id();
    Map<Long, long[]> sums = new LinkedHashMap<>();
    for (Stretch s : Stretch.split(from, to, zone)) {
      StringBuilder sql = new StringBuilder(
          "SELECT d, member, COUNT(*) AS orders, SUM(paid_fen) AS paid FROM ("
              + " SELECT CAST(FLOOR((EXTRACT(EPOCH FROM o.paid_at) + " + s.offsetSeconds() + ") / 86400) AS BIGINT) AS d,"
              + " CASE WHEN EXISTS (SELECT 1 FROM loyalty_account a WHERE a.program_id = :program AND a.person_id = o.person_id"
              + " AND a.joined_at <= o.paid_at) THEN 1 ELSE 0 END AS member, COALESCE(o.paid_fen, 0) AS paid_fen"
              + " FROM loyalty_order o WHERE o.paid_at >= :from AND o.paid_at < :to");
      Map<String, Object> params = params(programId, s.from(), s.to());
      if (!scope(sql, params, channels, "o.channel")) {
        return List.of();
      }
      sql.append(") x GROUP BY d, member");
      jdbc.sql(sql.toString()).params(params).query((RowCallbackHandler) rs -> {
        long[] v = sums.computeIfAbsent(rs.getLong("d"), k -> new long[4]);
        int at = rs.getInt("member") == 1 ? 0 : 2;
        v[at] += rs.getLong("orders");
        v[at + 1] += rs.getLong("paid");
      });
    }
    return sums.entrySet().stream()
        .map(e -> new GmvDay(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2], e.getValue()[3]))
        .sorted(Comparator.comparingLong(GmvDay::epochDay))
        .toList();
  }

  private static Map<String, Object> params(long programId, Instant from, Instant to) {
    Map<String, Object> params = new HashMap<>();
    params.put("program", programId);
    if (from != null) {
      params.put("from", OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
    }
    if (to != null) {
      params.put("to", OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
    }
    return params;
  }

  /** Adds the channel restriction; false when the caller may see no channel at all. */
  private static boolean scope(StringBuilder sql, Map<String, Object> params, Optional<Set<String>> channels, String column) {
    if (channels.isEmpty()) {
      return true;
    }
    if (channels.get().isEmpty()) {
      return false;
    }
    sql.append(" AND ").append(column).append(" IN (:channels)");
    params.put("channels", channels.get());
    return true;
  }

  /** A stretch of time over which a zone keeps one UTC offset. */
  private record Stretch(Instant from, Instant to, int offsetSeconds) {
    static List<Stretch> split(Instant from, Instant to, ZoneId zone) {
      List<Stretch> stretches = new ArrayList<>();
      var rules = zone.getRules();
      Instant start = from;
      while (start.isBefore(to)) {
        var next = rules.nextTransition(start);
        Instant end = next == null || !next.getInstant().isBefore(to) ? to : next.getInstant();
        stretches.add(new Stretch(start, end, rules.getOffset(start).getTotalSeconds()));
        start = end;
      }
      return stretches;
    }
  }
}
