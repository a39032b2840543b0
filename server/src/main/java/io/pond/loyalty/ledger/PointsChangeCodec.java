package io.pond.loyalty.ledger;

import io.pond.loyalty.PersonRef;
import io.pond.loyalty.PointsActivated;
import io.pond.loyalty.PointsChange;
import io.pond.loyalty.PointsClawedBack;
import io.pond.loyalty.PointsEarned;
import io.pond.loyalty.PointsExpired;
import io.pond.loyalty.PointsRedeemed;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of a group commit's points events: a versioned binary encoding.
 *
 * <p>PERF: written by hand rather than as JSON, as commerce's order batches are: a batch is written on
 * the ledger's hot path, inside the transaction every caller of the batch waits for.
 */
final class PointsChangeCodec {

  private static final int VERSION = 1;
  private static final byte EARNED = 1;
  private static final byte ACTIVATED = 2;
  private static final byte REDEEMED = 3;
  private static final byte CLAWED_BACK = 4;
  private static final byte EXPIRED = 5;

  private PointsChangeCodec() {}

  static byte[] encode(List<PointsChange> changes) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 96 * changes.size());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeInt(changes.size());
      for (PointsChange c : changes) {
        write(out, c);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void write(DataOutputStream out, PointsChange change) throws IOException {
    switch (change) {
      case PointsEarned e -> {
        head(out, EARNED, e);
        out.writeLong(e.points());
        out.writeBoolean(e.pending());
        text(out, e.businessType());
        text(out, e.businessId());
      }
      case PointsActivated e -> {
        head(out, ACTIVATED, e);
        out.writeLong(e.points());
        text(out, e.orderKey());
      }
      case PointsRedeemed e -> {
        head(out, REDEEMED, e);
        out.writeLong(e.points());
        text(out, e.businessId());
      }
      case PointsClawedBack e -> {
        head(out, CLAWED_BACK, e);
        out.writeLong(e.points());
        out.writeLong(e.forgiven());
        out.writeLong(e.growth());
        text(out, e.orderKey());
      }
      case PointsExpired e -> {
        head(out, EXPIRED, e);
        out.writeLong(e.points());
      }
    }
  }

  private static void head(DataOutputStream out, byte type, PointsChange c) throws IOException {
    out.writeByte(type);
    text(out, c.program());
    out.writeInt(c.person().value());
    out.writeLong(c.entryId());
    out.writeLong(c.at().getEpochSecond());
    out.writeInt(c.at().getNano());
  }

  private static void text(DataOutputStream out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      out.writeUTF(s);
    }
  }

  static List<PointsChange> decode(byte[] blob) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(blob))) {
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new IllegalStateException("unknown points change batch version " + version);
      }
      int n = in.readInt();
      List<PointsChange> changes = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        changes.add(read(in));
      }
      return changes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static PointsChange read(DataInputStream in) throws IOException {
    byte type = in.readByte();
    String program = text(in);
    PersonRef person = new PersonRef(in.readInt());
    long entryId = in.readLong();
    Instant at = Instant.ofEpochSecond(in.readLong(), in.readInt());
    return switch (type) {
      case EARNED -> new PointsEarned(program, person, entryId, in.readLong(), in.readBoolean(), text(in), text(in), at);
      case ACTIVATED -> new PointsActivated(program, person, entryId, in.readLong(), text(in), at);
      case REDEEMED -> new PointsRedeemed(program, person, entryId, in.readLong(), text(in), at);
      case CLAWED_BACK -> new PointsClawedBack(program, person, entryId, in.readLong(), in.readLong(), in.readLong(), text(in), at);
      case EXPIRED -> new PointsExpired(program, person, entryId, in.readLong(), at);
      default -> throw new IllegalStateException("unknown points change type " + type);
    };
  }

  private static String text(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }
}
