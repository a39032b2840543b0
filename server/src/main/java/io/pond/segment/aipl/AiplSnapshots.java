package io.pond.segment.aipl;

import io.pond.segment.index.SegmentIndex;
import io.pond.segment.model.domain.AiplStage;
import io.pond.segment.model.domain.ModelTags;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.roaringbitmap.RoaringBitmap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * AIPL stages now (computed from the index), and daily snapshots of every stage's members
 * ({@code segment_aipl_snapshot}, serialized RoaringBitmaps) so that the flow between stages over time
 * can be shown as a transition matrix between two dates.
 */
@Component
public class AiplSnapshots {

  /** The row and column for persons in no stage on a date. */
  public static final String NONE = "none";

  private final SegmentIndex index;
  private final JdbcClient jdbc;

  AiplSnapshots(SegmentIndex index, JdbcClient jdbc) {
    this.index = index;
    this.jdbc = jdbc;
  }

  public Map<AiplStage, RoaringBitmap> now() {
    return index.read(i -> ModelTags.aipl(i, index.rules(), index.today()));
  }

  /** Stores today's stages (replacing a snapshot taken earlier today). Returns the date. */
  @Transactional
  public LocalDate snapshot() {
    LocalDate today = LocalDate.ofEpochDay(index.today());
    Map<AiplStage, RoaringBitmap> stages = now();
    jdbc.sql("DELETE FROM segment_aipl_snapshot WHERE snapshot_day = ?").param(today).update();
    stages.forEach((stage, members) -> jdbc
        .sql("INSERT INTO segment_aipl_snapshot (snapshot_day, stage, members, bitmap) VALUES (?, ?, ?, ?)")
        .params(today, stage.wire(), members.getCardinality(), bytes(members))
        .update());
    return today;
  }

  public boolean hasSnapshot(LocalDate day) {
    return jdbc.sql("SELECT COUNT(*) FROM segment_aipl_snapshot WHERE snapshot_day = ?").param(day).query(Integer.class).single() > 0;
  }

  public List<LocalDate> days() {
    return jdbc.sql("SELECT DISTINCT snapshot_day FROM segment_aipl_snapshot ORDER BY snapshot_day").query(LocalDate.class).list();
  }

  /** The stages of a snapshot; empty when there is none that day. */
  public Map<AiplStage, RoaringBitmap> at(LocalDate day) {
    Map<AiplStage, RoaringBitmap> stages = new EnumMap<>(AiplStage.class);
    jdbc.sql("SELECT stage, bitmap FROM segment_aipl_snapshot WHERE snapshot_day = ?").param(day)
        .query((rs, n) -> {
          stages.put(AiplStage.valueOf(rs.getString(1).toUpperCase(java.util.Locale.ROOT)), bitmap(rs.getBytes(2)));
          return null;
        }).list();
    return stages;
  }

  /**
   * How many persons moved from each stage on {@code from} to each stage on {@code to}; {@code none}
   * stands for no stage (not yet, or no longer, in any).
   */
  public static Map<String, Map<String, Integer>> transitions(Map<AiplStage, RoaringBitmap> from, Map<AiplStage, RoaringBitmap> to) {
    RoaringBitmap everyone = new RoaringBitmap();
    from.values().forEach(everyone::or);
    to.values().forEach(everyone::or);
    Map<String, RoaringBitmap> rows = withNone(from, everyone);
    Map<String, RoaringBitmap> columns = withNone(to, everyone);
    Map<String, Map<String, Integer>> matrix = new LinkedHashMap<>();
    rows.forEach((r, rb) -> {
      Map<String, Integer> row = new LinkedHashMap<>();
      columns.forEach((c, cb) -> {
        if (!(r.equals(NONE) && c.equals(NONE))) {
          row.put(c, RoaringBitmap.andCardinality(rb, cb));
        }
      });
      matrix.put(r, row);
    });
    return matrix;
  }

  private static Map<String, RoaringBitmap> withNone(Map<AiplStage, RoaringBitmap> stages, RoaringBitmap everyone) {
    Map<String, RoaringBitmap> out = new LinkedHashMap<>();
    RoaringBitmap none = everyone.clone();
    out.put(NONE, none);
    for (AiplStage stage : AiplStage.values()) {
      RoaringBitmap members = stages.getOrDefault(stage, new RoaringBitmap());
      out.put(stage.wire(), members);
      none.andNot(members);
    }
    return out;
  }

  static byte[] bytes(RoaringBitmap bitmap) {
    bitmap.runOptimize();
    ByteArrayOutputStream out = new ByteArrayOutputStream(bitmap.serializedSizeInBytes());
    try (DataOutputStream data = new DataOutputStream(out)) {
      bitmap.serialize(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static RoaringBitmap bitmap(byte[] bytes) {
    RoaringBitmap bitmap = new RoaringBitmap();
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      bitmap.deserialize(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bitmap;
  }
}
