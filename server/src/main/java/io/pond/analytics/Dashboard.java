package io.pond.analytics;

import io.pond.commerce.OrderStatistics;
import io.pond.loyalty.MembershipStatistics;
import io.pond.platform.errors.PondException;
import io.pond.platform.security.DataScope;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.stereotype.Service;

/**
 * Builds the dashboard for a range of local dates (both inclusive) in the brand's time zone (the zone
 * of the injected clock), by day or by ISO week (a week is named by its Monday; the first and last
 * weeks may be cut by the range). Money in fen.
 */
@Service
public class Dashboard {

  /** The longest range one request may ask for, in days. */
  static final int MAX_DAYS = 366;

  public enum Granularity { DAY, WEEK }

  public record View(
      LocalDate from, LocalDate to, String zone, Granularity granularity, String program, List<String> programs,
      Members members, Gmv gmv, Membership membership, List<Tier> tiers) {}

  /** {@code before}: members at the start of the range; {@code total}: at its end. */
  public record Members(long before, long added, long total, List<MemberPeriod> series, Map<String, Long> addedByChannel) {}

  public record MemberPeriod(LocalDate period, long added, long total) {}

  public record Gmv(long orders, long paidFen, long refundedFen, List<ChannelGmv> byChannel, List<GmvPeriod> series) {}

  public record ChannelGmv(String channel, long orders, long paidFen, long refundedFen) {}

  public record GmvPeriod(LocalDate period, long orders, long paidFen, Map<String, Long> paidFenByChannel) {}

  public record Membership(long memberOrders, long memberFen, long otherOrders, long otherFen, List<MembershipPeriod> series) {}

  public record MembershipPeriod(LocalDate period, long memberFen, long otherFen) {}

  public record Tier(String tier, String name, long members) {}

  private final OrderStatistics orders;
  private final MembershipStatistics members;
  private final Clock clock;

  Dashboard(OrderStatistics orders, MembershipStatistics members, Clock clock) {
    this.orders = orders;
    this.members = members;
    this.clock = clock;
  }

  /** The local date today in the brand's time zone. */
  public LocalDate today() {
    return LocalDate.now(clock);
  }

  public View build(LocalDate from, LocalDate to, Granularity granularity, String program, DataScope scope) {
    if (to.isBefore(from)) {
      throw PondException.invalid("to", "'to' is on or after 'from'");
    }
    if (from.plusDays(MAX_DAYS).isBefore(to.plusDays(1))) {
      throw PondException.invalid("to", "a range of at most " + MAX_DAYS + " days");
    }
    List<String> programs = members.programs();
    if (program != null && !members.exists(program)) {
      throw PondException.invalid("program", "no loyalty program '" + program + "'");
    }
    String chosen = program != null ? program : programs.isEmpty() ? null : programs.get(0);
    ZoneId zone = clock.getZone();
    var start = from.atStartOfDay(zone).toInstant();
    var end = to.plusDays(1).atStartOfDay(zone).toInstant();
    Optional<Set<String>> channels = scope.channels();

    // GMV by channel
    TreeMap<LocalDate, long[]> gmvTotals = periods(from, to, granularity, 2);
    TreeMap<LocalDate, Map<String, Long>> gmvChannels = new TreeMap<>();
    gmvTotals.keySet().forEach(p -> gmvChannels.put(p, new TreeMap<>()));
    Map<String, long[]> byChannel = new TreeMap<>();
    long orderCount = 0;
    long paid = 0;
    long refunded = 0;
    for (OrderStatistics.ChannelDay d : orders.paidByDay(start, end, zone, channels)) {
      LocalDate period = period(LocalDate.ofEpochDay(d.epochDay()), granularity, from);
      long[] t = gmvTotals.get(period);
      t[0] += d.orders();
      t[1] += d.paidFen();
      gmvChannels.get(period).merge(d.channel(), d.paidFen(), Long::sum);
      long[] c = byChannel.computeIfAbsent(d.channel(), k -> new long[3]);
      c[0] += d.orders();
      c[1] += d.paidFen();
      c[2] += d.refundedFen();
      orderCount += d.orders();
      paid += d.paidFen();
      refunded += d.refundedFen();
    }
    List<GmvPeriod> gmvSeries = new ArrayList<>();
    gmvTotals.forEach((p, t) -> gmvSeries.add(new GmvPeriod(p, t[0], t[1], gmvChannels.get(p))));
    List<ChannelGmv> channelList = new ArrayList<>();
    byChannel.forEach((ch, c) -> channelList.add(new ChannelGmv(ch, c[0], c[1], c[2])));
    channelList.sort((a, b) -> Long.compare(b.paidFen(), a.paidFen()));
    Gmv gmv = new Gmv(orderCount, paid, refunded, channelList, gmvSeries);

    if (chosen == null) {
      return new View(from, to, zone.getId(), granularity, null, programs,
          new Members(0, 0, 0, List.of(), Map.of()), gmv, new Membership(0, 0, 0, 0, List.of()), List.of());
    }

    // member growth
    long before = members.membersBefore(chosen, start, channels);
    TreeMap<LocalDate, long[]> added = periods(from, to, granularity, 1);
    Map<String, Long> addedByChannel = new TreeMap<>();
    long addedTotal = 0;
    for (MembershipStatistics.JoinDay d : members.joinedByDay(chosen, start, end, zone, channels)) {
      added.get(period(LocalDate.ofEpochDay(d.epochDay()), granularity, from))[0] += d.members();
      addedByChannel.merge(d.channel() == null ? "unknown" : d.channel(), d.members(), Long::sum);
      addedTotal += d.members();
    }
    List<MemberPeriod> memberSeries = new ArrayList<>();
    long running = before;
    for (var e : added.entrySet()) {
      running += e.getValue()[0];
      memberSeries.add(new MemberPeriod(e.getKey(), e.getValue()[0], running));
    }
    Members memberView = new Members(before, addedTotal, before + addedTotal, memberSeries, addedByChannel);

    // members' GMV and the others'
    TreeMap<LocalDate, long[]> split = periods(from, to, granularity, 2);
    long mOrders = 0;
    long mFen = 0;
    long oOrders = 0;
    long oFen = 0;
    for (MembershipStatistics.GmvDay d : members.gmvByMembership(chosen, start, end, zone, channels)) {
      long[] v = split.get(period(LocalDate.ofEpochDay(d.epochDay()), granularity, from));
      v[0] += d.memberFen();
      v[1] += d.otherFen();
      mOrders += d.memberOrders();
      mFen += d.memberFen();
      oOrders += d.otherOrders();
      oFen += d.otherFen();
    }
    List<MembershipPeriod> splitSeries = new ArrayList<>();
    split.forEach((p, v) -> splitSeries.add(new MembershipPeriod(p, v[0], v[1])));

    List<Tier> tiers = members.tiers(chosen, channels).stream().map(t -> new Tier(t.tier(), t.name(), t.members())).toList();
    return new View(from, to, zone.getId(), granularity, chosen, programs, memberView, gmv,
        new Membership(mOrders, mFen, oOrders, oFen, splitSeries), tiers);
  }

  /** Every period of the range, each with {@code width} zeroed sums. */
  private static TreeMap<LocalDate, long[]> periods(LocalDate from, LocalDate to, Granularity granularity, int width) {
    TreeMap<LocalDate, long[]> periods = new TreeMap<>();
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      periods.putIfAbsent(period(d, granularity, from), new long[width]);
    }
    return periods;
  }

  /** The period a day falls in: the day, or the Monday of its week (the range's first day for a cut first week). */
  static LocalDate period(LocalDate day, Granularity granularity, LocalDate from) {
    if (granularity == Granularity.DAY) {
      return day;
    }
    LocalDate monday = day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    return monday.isBefore(from) ? from : monday;
  }
}
