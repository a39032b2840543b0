package io.pond.commerce.importing;

import static io.pond.commerce.importing.ExportColumns.*;

import io.pond.commerce.importing.RowSource.FileRow;
import io.pond.commerce.order.domain.Channel;
import io.pond.commerce.order.domain.Money;
import io.pond.commerce.order.domain.OrderKey;
import io.pond.commerce.order.domain.OrderLine;
import io.pond.commerce.order.domain.OrderMessage;
import io.pond.commerce.order.domain.OrderStatus;
import io.pond.commerce.order.domain.Refund;
import io.pond.commerce.order.domain.RefundState;
import io.pond.platform.Identifier;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns export rows into order messages. Consecutive rows with the same order id are the lines of one
 * order (exports with one row per sub-order repeat the order's fields on each). The order's modified
 * time is its latest event time in the row, so that importing the same file again changes nothing and
 * a later export of the same orders moves them forward.
 */
final class ExportRows {

  /** A row that could not be read, by its number in the file. */
  record BadRow(long row, String reason, String payload) {}

  private static final ZoneId PLATFORM_ZONE = ZoneId.of("Asia/Shanghai");
  private static final DateTimeFormatter LOCAL =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy[-][/]M[-][/]d")
          .optionalStart().appendLiteral(' ').optionalEnd()
          .optionalStart().appendLiteral('T').optionalEnd()
          .optionalStart().appendPattern("H:mm").optionalStart().appendPattern(":ss").optionalEnd().optionalEnd()
          .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
          .parseDefaulting(ChronoField.MINUTE_OF_HOUR, 0)
          .parseDefaulting(ChronoField.SECOND_OF_MINUTE, 0)
          .toFormatter();

  private final Channel channel;
  private final String defaultShop;
  private final String buyerScope;
  private final Consumer<OrderMessage> messages;
  private final Consumer<BadRow> bad;
  private Map<ExportColumns, Integer> columns;
  private List<String> header;

  private Pending pending;

  ExportRows(Channel channel, String defaultShop, String buyerScope, Consumer<OrderMessage> messages, Consumer<BadRow> bad) {
    this.channel = channel;
    this.defaultShop = defaultShop;
    this.buyerScope = buyerScope;
    this.messages = messages;
    this.bad = bad;
  }

  /** The header row sets the columns; a file without an order id column is refused as a whole. */
  void accept(FileRow row) {
    if (columns == null) {
      header = row.cells();
      columns = ExportColumns.locate(header);
      if (!columns.containsKey(ORDER_ID)) {
        throw new IllegalArgumentException("the first row has no order id column (订单编号, 订单号, order_id…); found: "
            + String.join(", ", header));
      }
      return;
    }
    try {
      Parsed p = parse(row);
      if (pending != null && !pending.key.equals(p.key)) {
        flush();
      }
      if (pending == null) {
        pending = new Pending(p);
      } else {
        pending.add(p);
      }
    } catch (IllegalArgumentException | DateTimeParseException e) {
      bad.accept(new BadRow(row.number(), e.getMessage(), payload(row)));
    }
  }

  /** Emits the last order; call at the end of the file. */
  void finish() {
    flush();
  }

  private void flush() {
    if (pending != null) {
      messages.accept(pending.build());
      pending = null;
    }
  }

  private record Parsed(OrderKey key, FileRow row, OrderStatus status, String rawStatus, Long paid, Long discount, Long shipping,
      Long refunded, OrderLine line, Instant created, Instant paidAt, Instant shipped, Instant completed, Instant modified,
      List<Identifier> buyers, String payload) {}

  private Parsed parse(FileRow row) {
    String orderId = row.cell(columns.get(ORDER_ID));
    if (orderId == null) {
      throw new IllegalArgumentException("订单编号/order id is empty");
    }
    if (orderId.length() > 64) {
      throw new IllegalArgumentException("order id is longer than 64 characters");
    }
    String shop = row.cell(columns.get(SHOP_ID));
    OrderKey key = new OrderKey(channel, shop == null ? defaultShop : shop, orderId);
    String rawStatus = row.cell(columns.get(STATUS));
    OrderStatus status = null;
    if (rawStatus != null) {
      status = ExportStatuses.of(rawStatus).orElseThrow(() -> new IllegalArgumentException("unknown order status '" + rawStatus + "'"));
    }
    Instant created = time(row, CREATED_AT);
    Instant paidAt = time(row, PAID_AT);
    Instant shipped = time(row, SHIPPED_AT);
    Instant completed = time(row, COMPLETED_AT);
    Instant modified = time(row, MODIFIED_AT);
    Instant latest = null;
    for (Instant t : new Instant[] {created, paidAt, shipped, completed, modified}) {
      if (t != null && (latest == null || t.isAfter(latest))) {
        latest = t;
      }
    }
    if (latest == null) {
      throw new IllegalArgumentException("the row has no time (下单时间, 付款时间, …)");
    }
    OrderLine line = null;
    String title = row.cell(columns.get(TITLE));
    String sku = row.cell(columns.get(SKU));
    if (title != null || sku != null) {
      int quantity = integer(row, QUANTITY, 1);
      if (quantity <= 0) {
        throw new IllegalArgumentException("quantity must be at least 1, was " + quantity);
      }
      Long unit = yuan(row, UNIT_PRICE);
      String lineId = row.cell(columns.get(LINE_ID));
      line = OrderLine.of(lineId == null ? "?" : lineId, sku, title, row.cell(columns.get(CATEGORY)), quantity, unit == null ? 0 : unit);
    }
    List<Identifier> buyers = new ArrayList<>(2);
    String buyer = row.cell(columns.get(BUYER_ID));
    if (buyer != null) {
      buyers.add(buyerIdentifier(buyer));
    }
    String phone = row.cell(columns.get(MEMBER_PHONE));
    if (phone != null) {
      if (phone.contains("*")) {
        throw new IllegalArgumentException("会员手机号 is masked ('" + phone + "'): a masked phone identifies nobody");
      }
      buyers.add(Identifier.global(Identifier.PHONE, phone));
    }
    return new Parsed(key, row, status, rawStatus, yuan(row, PAID), yuan(row, DISCOUNT), yuan(row, SHIPPING), yuan(row, REFUNDED),
        line, created, paidAt, shipped, completed, latest, buyers, payload(row));
  }

  private Identifier buyerIdentifier(String value) {
    return switch (channel) {
      case TAOBAO -> Identifier.scoped(Identifier.TAOBAO_OPEN_UID, buyerScope, value);
      case DOUDIAN -> Identifier.scoped(Identifier.DOUDIAN_OPEN_ID, buyerScope, value);
      case JD -> Identifier.scoped(Identifier.JD_OPEN_ID, buyerScope, value);
      case YOUZAN -> Identifier.global(Identifier.YOUZAN_OPEN_ID, value);
      case KUAISHOU -> Identifier.scoped(Identifier.KUAISHOU_OPEN_ID, buyerScope, value);
      case WECHAT_SHOP -> Identifier.scoped(Identifier.WECHAT_OPENID, buyerScope, value);
      case NATIVE -> Identifier.global(Identifier.MEMBER_NO, value);
    };
  }

  private Instant time(FileRow row, ExportColumns column) {
    String v = row.cell(columns.get(column));
    if (v == null) {
      return null;
    }
    Instant fast = fastLocalTime(v);
    if (fast != null) {
      return fast;
    }
    try {
      if (v.matches("\\d{5}(\\.\\d+)?")) { // an XLSX date cell without a date format: Excel's day serial
        double serial = Double.parseDouble(v);
        long seconds = Math.round(serial * 86_400);
        return LocalDateTime.of(1899, 12, 30, 0, 0).plusSeconds(seconds).atZone(PLATFORM_ZONE).toInstant();
      }
      if (v.endsWith("Z") || v.matches(".*[+-]\\d\\d:\\d\\d$")) {
        return java.time.OffsetDateTime.parse(v).toInstant();
      }
      String clean = v.replace("年", "-").replace("月", "-").replace("日", "");
      try {
        return LocalDateTime.parse(clean, LOCAL).atZone(PLATFORM_ZONE).toInstant();
      } catch (DateTimeParseException e) {
        return LocalDate.parse(clean).atStartOfDay(PLATFORM_ZONE).toInstant();
      }
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(header.get(columns.get(column)) + " is not a time: '" + v + "'");
    }
  }

  private static final java.time.ZoneOffset CHINA = java.time.ZoneOffset.ofHours(8);

  /**
   * PERF: the common {@code yyyy-MM-dd HH:mm:ss} (or {@code /}) parsed by hand; the general formatter
   * was the largest cost of reading an export. China has kept UTC+8 all year since 1992.
   */
  static Instant fastLocalTime(String v) {
    if (v.length() != 19 || (v.charAt(4) != '-' && v.charAt(4) != '/') || v.charAt(7) != v.charAt(4)
        || (v.charAt(10) != ' ' && v.charAt(10) != 'T') || v.charAt(13) != ':' || v.charAt(16) != ':') {
      return null;
    }
    int year = digits(v, 0, 4);
    int month = digits(v, 5, 7);
    int day = digits(v, 8, 10);
    int hour = digits(v, 11, 13);
    int minute = digits(v, 14, 16);
    int second = digits(v, 17, 19);
    if (year < 1992 || month < 1 || day < 1 || hour < 0 || minute < 0 || second < 0) {
      return null; // not digits, or a year that needs the full zone rules: the general parser decides
    }
    try {
      return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(CHINA);
    } catch (java.time.DateTimeException e) {
      return null;
    }
  }

  private static int digits(String s, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  private Long yuan(FileRow row, ExportColumns column) {
    String v = row.cell(columns.get(column));
    if (v == null) {
      return null;
    }
    try {
      return Money.yuanToFen(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(header.get(columns.get(column)) + ": " + e.getMessage());
    }
  }

  private int integer(FileRow row, ExportColumns column, int absent) {
    String v = row.cell(columns.get(column));
    if (v == null) {
      return absent;
    }
    try {
      return new java.math.BigDecimal(v).intValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(header.get(columns.get(column)) + " is not a whole number: '" + v + "'");
    }
  }

  private String payload(FileRow row) {
    StringBuilder json = new StringBuilder(256).append('{');
    List<String> cells = row.cells();
    for (int i = 0; i < Math.min(header == null ? 0 : header.size(), cells.size()); i++) {
      if (i > 0) {
        json.append(',');
      }
      quote(json, header.get(i)).append(':');
      quote(json, cells.get(i));
    }
    return json.append('}').toString();
  }

  private static StringBuilder quote(StringBuilder out, String s) {
    if (s == null) {
      return out.append("null");
    }
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"');
  }

  /** The rows of one order seen so far. */
  private static final class Pending {
    final OrderKey key;
    final Parsed first;
    final List<OrderLine> lines = new ArrayList<>();
    final List<Identifier> buyers = new ArrayList<>();
    final StringBuilder payload;
    Instant modified;
    int rows;

    Pending(Parsed p) {
      this.key = p.key;
      this.first = p;
      this.payload = new StringBuilder(p.payload);
      this.modified = p.modified;
      addLine(p);
      buyers.addAll(p.buyers);
      rows = 1;
    }

    void add(Parsed p) {
      rows++;
      if (rows == 2) {
        payload.insert(0, '[');
      }
      payload.append(',').append(p.payload);
      if (p.modified.isAfter(modified)) {
        modified = p.modified;
      }
      addLine(p);
      p.buyers.stream().filter(b -> !buyers.contains(b)).forEach(buyers::add);
    }

    private void addLine(Parsed p) {
      if (p.line != null) {
        OrderLine l = p.line;
        String id = "?".equals(l.lineId()) ? String.valueOf(lines.size() + 1) : l.lineId();
        lines.removeIf(existing -> existing.lineId().equals(id)); // a repeated sub-order row: the later one stands
        lines.add(new OrderLine(id, l.sku(), l.title(), l.category(), l.quantity(), l.unitPriceFen(), l.paidFen()));
      }
    }

    OrderMessage build() {
      Parsed f = first;
      OrderMessage.Builder m =
          OrderMessage.builder(key, modified)
              .status(f.status, f.rawStatus)
              .paidFen(f.paid)
              .discountFen(f.discount)
              .shippingFen(f.shipping)
              .createdAt(f.created)
              .paidAt(f.paidAt)
              .shippedAt(f.shipped)
              .completedAt(f.completed)
              .rawPayload(rows > 1 ? payload.append(']').toString() : payload.toString());
      if (!lines.isEmpty()) {
        m.lines(lines);
      }
      buyers.forEach(m::buyer);
      if (f.status != null && f.status.isEnded()) {
        m.endedAt(modified);
      }
      if (f.refunded != null && f.refunded > 0) {
        m.refund(new Refund("export", null, RefundState.REFUNDED, f.refunded, modified));
      }
      return m.build();
    }
  }
}
