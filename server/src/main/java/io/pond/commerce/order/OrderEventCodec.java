package io.pond.commerce.order;

import io.pond.commerce.OrderCancelled;
import io.pond.commerce.OrderCompleted;
import io.pond.commerce.OrderEvent;
import io.pond.commerce.OrderPaid;
import io.pond.commerce.OrderPlaced;
import io.pond.commerce.OrderRefunded;
import io.pond.platform.Identifier;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * The stored form of a bulk-load chunk's order events: a versioned, deflated binary encoding.
 *
 * <p>PERF: written by hand rather than as JSON. Jackson took more time serialising a chunk's events
 * (and far more reading them back: records and instants through reflection and text) than H2 took to
 * store the chunk's orders.
 */
final class OrderEventCodec {

  private static final int VERSION = 1;
  private static final byte PLACED = 1;
  private static final byte PAID = 2;
  private static final byte COMPLETED = 3;
  private static final byte CANCELLED = 4;
  private static final byte REFUNDED = 5;

  private OrderEventCodec() {}

  static byte[] encode(List<OrderEvent> events) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 15);
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    try (DataOutputStream out = new DataOutputStream(new DeflaterOutputStream(bytes, deflater, 1 << 15))) {
      out.writeByte(VERSION);
      out.writeInt(events.size());
      for (OrderEvent e : events) {
        write(out, e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deflater.end();
    }
    return bytes.toByteArray();
  }

  static List<OrderEvent> decode(byte[] blob) {
    try (DataInputStream in = new DataInputStream(new InflaterInputStream(new ByteArrayInputStream(blob), new java.util.zip.Inflater(), 1 << 15))) {
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new IllegalStateException("unknown order event batch version " + version);
      }
      int n = in.readInt();
      List<OrderEvent> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(read(in));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(DataOutputStream out, OrderEvent e) throws IOException {
    out.writeByte(
        switch (e) {
          case OrderPlaced x -> PLACED;
          case OrderPaid x -> PAID;
          case OrderCompleted x -> COMPLETED;
          case OrderCancelled x -> CANCELLED;
          case OrderRefunded x -> REFUNDED;
        });
    out.writeLong(e.orderId());
    out.writeUTF(e.channel());
    out.writeUTF(e.shopId());
    out.writeUTF(e.platformOrderId());
    List<Identifier> buyers = e.buyers() == null ? List.of() : e.buyers();
    out.writeShort(buyers.size());
    for (Identifier b : buyers) {
      out.writeUTF(b.type());
      out.writeUTF(b.scope());
      out.writeUTF(b.value());
    }
    switch (e) {
      case OrderPlaced p -> {
        out.writeUTF(p.status());
        out.writeLong(p.paidFen());
        instant(out, p.placedAt());
      }
      case OrderPaid p -> {
        out.writeLong(p.paidFen());
        out.writeLong(p.discountFen());
        out.writeLong(p.shippingFen());
        instant(out, p.paidAt());
        out.writeShort(p.categories().size());
        for (String category : p.categories()) {
          out.writeUTF(category);
        }
      }
      case OrderCompleted c -> {
        out.writeLong(c.paidFen());
        out.writeLong(c.refundedFen());
        instant(out, c.completedAt());
      }
      case OrderCancelled c -> {
        out.writeUTF(c.status());
        out.writeBoolean(c.wasPaid());
        out.writeLong(c.paidFen());
        out.writeLong(c.refundedFen());
        instant(out, c.cancelledAt());
      }
      case OrderRefunded r -> {
        out.writeLong(r.paidFen());
        out.writeLong(r.refundedFen());
        out.writeLong(r.totalRefundedFen());
        instant(out, r.refundedAt());
      }
    }
  }

  private static OrderEvent read(DataInputStream in) throws IOException {
    byte tag = in.readByte();
    long orderId = in.readLong();
    String channel = in.readUTF();
    String shop = in.readUTF();
    String platformOrderId = in.readUTF();
    int nBuyers = in.readShort();
    List<Identifier> buyers = new ArrayList<>(nBuyers);
    for (int i = 0; i < nBuyers; i++) {
      buyers.add(new Identifier(in.readUTF(), in.readUTF(), in.readUTF()));
    }
    return switch (tag) {
      case PLACED -> new OrderPlaced(orderId, channel, shop, platformOrderId, buyers, in.readUTF(), in.readLong(), instant(in));
      case PAID -> {
        long paid = in.readLong();
        long discount = in.readLong();
        long shipping = in.readLong();
        Instant paidAt = instant(in);
        int nCategories = in.readShort();
        List<String> categories = new ArrayList<>(nCategories);
        for (int i = 0; i < nCategories; i++) {
          categories.add(in.readUTF());
        }
        yield new OrderPaid(orderId, channel, shop, platformOrderId, buyers, paid, discount, shipping, paidAt, categories);
      }
      case COMPLETED -> new OrderCompleted(orderId, channel, shop, platformOrderId, buyers, in.readLong(), in.readLong(), instant(in));
      case CANCELLED ->
          new OrderCancelled(orderId, channel, shop, platformOrderId, buyers, in.readUTF(), in.readBoolean(), in.readLong(), in.readLong(),
              instant(in));
      case REFUNDED ->
          new OrderRefunded(orderId, channel, shop, platformOrderId, buyers, in.readLong(), in.readLong(), in.readLong(), instant(in));
      default -> throw new IllegalStateException("unknown order event tag " + tag);
    };
  }

  private static void instant(DataOutputStream out, Instant t) throws IOException {
    out.writeBoolean(t != null);
    if (t != null) {
      out.writeLong(t.getEpochSecond());
      out.writeInt(t.getNano());
    }
  }

  private static Instant instant(DataInputStream in) throws IOException {
    return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
  }
}
