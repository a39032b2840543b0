package io.pond.platform.demo;

import io.pond.platform.demo.DemoPerson.Segment;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The demo brand: a skincare-and-lifestyle brand selling on Tmall, JD, Douyin (抖店), its WeChat
 * mini-program shop (微信小店) and in stores, with a web shop for browsing. Its persons and calendar
 * are a pure function of {@link #seed()}: contributors draw from {@link #random(String, long)}, so the
 * same seed gives the same brand.
 *
 * <p>The calendar covers two years up to {@link #today()}; order days are weighted by the Chinese
 * retail year: 618 (June 1–18, peaking on the 18th), 双11 (Nov 1–11, peaking on the 11th), 双12, a dip
 * around the Spring Festival, and busier weekends.
 */
public final class DemoWorld {

  public static final String TAOBAO = "taobao";
  public static final String JD = "jd";
  public static final String DOUDIAN = "doudian";
  public static final String WECHAT_SHOP = "wechat_shop";
  public static final String NATIVE = "native";

  public static final String TMALL_SHOP = "tmall-flagship";
  public static final String JD_SHOP = "jd-flagship";
  public static final String DOUYIN_SHOP = "douyin-flagship";
  public static final String WECHAT_APPID = "wx5f2c9d1e0a7b3c41";
  public static final String STORE_SHOP = "store-sh-01";

  private static final String[] CITIES = {"上海", "北京", "杭州", "深圳", "广州", "成都", "南京", "武汉", "苏州", "西安", "重庆", "长沙"};

  private final int persons;
  private final long seed;
  private final LocalDate today;
  private final ZoneId zone;
  private final LocalDate[] days;
  private final double[] cumulativeWeight;

  public DemoWorld(int persons, long seed, LocalDate today, ZoneId zone) {
    if (persons < 1) {
      throw new IllegalArgumentException("persons must be at least 1");
    }
    this.persons = persons;
    this.seed = seed;
    this.today = today;
    this.zone = zone;
    LocalDate first = today.minusYears(2).plusDays(1);
    List<LocalDate> all = new ArrayList<>();
    for (LocalDate d = first; !d.isAfter(today); d = d.plusDays(1)) {
      all.add(d);
    }
    this.days = all.toArray(LocalDate[]::new);
    this.cumulativeWeight = new double[days.length];
    double sum = 0;
    for (int i = 0; i < days.length; i++) {
      sum += dayWeight(days[i]);
      cumulativeWeight[i] = sum;
    }
  }

  public int persons() {
    return persons;
  }

  public long seed() {
    return seed;
  }

  /** The last day of the demo's two years (the brand's today). */
  public LocalDate today() {
    return today;
  }

  public LocalDate firstDay() {
    return days[0];
  }

  /** The brand's time zone: local dates and shop hours are in it. */
  public ZoneId zone() {
    return zone;
  }

  /** A random source for one purpose and one key (a person's index), the same for the same seed. */
  public SplittableRandom random(String purpose, long key) {
    long h = seed * 0x9E3779B97F4A7C15L + purpose.hashCode() * 0xC2B2AE3D27D4EB4FL + key * 0x165667B19E3779F9L;
    return new SplittableRandom(mix(h));
  }

  /** A day of the two years, drawn by the retail calendar's weights. */
  public LocalDate seasonalDay(SplittableRandom random) {
    double x = random.nextDouble() * cumulativeWeight[cumulativeWeight.length - 1];
    int lo = 0;
    int hi = cumulativeWeight.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulativeWeight[mid] < x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return days[lo];
  }

  /** How busy a day is, relative to an ordinary weekday. */
  static double dayWeight(LocalDate d) {
    double w = d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY ? 1.2 : 1.0;
    MonthDay md = MonthDay.from(d);
    if (d.getMonthValue() == 6 && d.getDayOfMonth() <= 18) {
      w *= d.getDayOfMonth() == 18 ? 8 : 2.5; // 618
    } else if (d.getMonthValue() == 11 && d.getDayOfMonth() <= 11) {
      w *= d.getDayOfMonth() == 11 ? 14 : 3; // 双11
    } else if (md.equals(MonthDay.of(12, 12))) {
      w *= 4; // 双12
    } else if (d.getMonthValue() == 2 && d.getDayOfMonth() <= 15) {
      w *= 0.5; // around the Spring Festival: logistics stop, people travel
    }
    return w;
  }

  /** The person with this index (0 … persons − 1). */
  public DemoPerson person(int index) {
    SplittableRandom r = random("person", index);
    double s = r.nextDouble();
    Segment segment = s < 0.18 ? Segment.BROWSER : s < 0.65 ? Segment.ONE_OFF : s < 0.92 ? Segment.REGULAR : Segment.LOYAL;
    List<String> channels = new ArrayList<>(3);
    if (segment != Segment.BROWSER) {
      channels.add(salesChannel(r));
      double more = switch (segment) {
        case LOYAL -> 0.6;
        case REGULAR -> 0.35;
        default -> 0; // a one-off buyer buys on one channel
      };
      while (channels.size() < 3 && r.nextDouble() < more) {
        String c = salesChannel(r);
        if (!channels.contains(c)) {
          channels.add(c);
        }
        more /= 2;
      }
    }
    double phoneKnown = switch (segment) {
      case LOYAL -> 0.9;
      case REGULAR -> 0.7;
      case ONE_OFF -> 0.4;
      case BROWSER -> 0.1;
    };
    String phone = r.nextDouble() < phoneKnown || channels.contains(NATIVE) ? phone(index) : null;
    List<String> phoneOn = new ArrayList<>(channels.size());
    if (phone != null) {
      for (String c : channels) {
        double p = switch (c) {
          case TAOBAO -> 0.5; // bound as a brand member through Tmall's member connect (会员通)
          case JD, DOUDIAN -> 0.4;
          case WECHAT_SHOP -> 0.8; // mini-program sign-in with the WeChat phone number
          default -> 1.0; // a store member is known by phone
        };
        if (r.nextDouble() < p) {
          phoneOn.add(c);
        }
      }
    }
    boolean wechat = channels.contains(WECHAT_SHOP) || r.nextDouble() < (segment == Segment.BROWSER ? 0.4 : 0.3);
    boolean web = r.nextDouble() < (segment == Segment.BROWSER ? 0.6 : 0.2);
    boolean webLogin = web && phone != null && r.nextDouble() < 0.5;
    String id = token(index);
    return new DemoPerson(
        index,
        segment,
        List.copyOf(channels),
        phone,
        List.copyOf(phoneOn),
        wechat,
        web,
        webLogin,
        CITIES[r.nextInt(CITIES.length)],
        r.nextDouble() < 0.78 ? "female" : "male",
        1965 + r.nextInt(41),
        "AAH" + id + "Tb",
        "jd_" + id,
        "dy" + id,
        "o" + id + "Mp",
        "u" + id + "Wx",
        "anon-" + id,
        String.format(Locale.ROOT, "M%08d", index + 1));
  }

  private static String salesChannel(SplittableRandom r) {
    double c = r.nextDouble();
    return c < 0.42 ? TAOBAO : c < 0.62 ? DOUDIAN : c < 0.78 ? JD : c < 0.92 ? WECHAT_SHOP : NATIVE;
  }

  /** A unique mainland mobile number per person. */
  private String phone(int index) {
    long n = Math.floorMod(index * 7919L + seed * 104_729L, 1_000_000_000L);
    return String.format(Locale.ROOT, "+861%d%09d", 3 + Math.floorMod(index, 7), n);
  }

  /** A per-person token, unique for the seed, that looks like a platform id. */
  private String token(int index) {
    return Long.toString(mix(seed * 31 + index) & Long.MAX_VALUE, 36);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
