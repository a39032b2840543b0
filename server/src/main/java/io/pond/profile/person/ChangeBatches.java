package io.pond.profile.person;

import io.pond.profile.ProfileChangeBatches;
import io.pond.platform.storage.DecodedBatches;
import io.pond.profile.ProfileChanged;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stores a batch of profile changes as one deflated JSON row (in the caller's transaction) and reads it
 * back, decoded once for all the listeners of its {@code ProfilesChanged} ({@link DecodedBatches}).
 */
@Component
class ChangeBatches implements ProfileChangeBatches {

  private static final TypeReference<List<ProfileChanged>> LIST = new TypeReference<>() {};

  private final JdbcTemplate jdbc;
  private final JsonMapper json;
  private final Clock clock;
  private final DecodedBatches<ProfileChanged> decoded = new DecodedBatches<>(8);

  ChangeBatches(JdbcTemplate jdbc, JsonMapper json, Clock clock) {
    this.jdbc = jdbc;
    this.json = json;
    this.clock = clock;
  }

  long store(List<ProfileChanged> changes) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DeflaterOutputStream out = new DeflaterOutputStream(bytes)) {
      json.writeValue(out, changes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] blob = bytes.toByteArray();
    GeneratedKeyHolder key = new GeneratedKeyHolder();
    Timestamp now = Timestamp.from(clock.instant());
    jdbc.update(c -> {
      PreparedStatement ps = c.prepareStatement(
          "INSERT INTO profile_change_batch (change_count, changes, created_at) VALUES (?, ?, ?)", new String[] {"id"});
      ps.setInt(1, changes.size());
      ps.setBytes(2, blob);
      ps.setTimestamp(3, now);
      return ps;
    }, key);
    return key.getKey().longValue();
  }

  @Override
  public List<ProfileChanged> changes(long batchId) {
    return decoded.get(batchId, this::read);
  }

  private List<ProfileChanged> read(long batchId) {
    List<byte[]> blobs = jdbc.query("SELECT changes FROM profile_change_batch WHERE id = ?", (rs, n) -> rs.getBytes(1), batchId);
    if (blobs.isEmpty()) {
      return List.of();
    }
    try (InflaterInputStream in = new InflaterInputStream(new ByteArrayInputStream(blobs.getFirst()))) {
      return json.readValue(in, LIST);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes batches older than the retention; returns how many. */
  int prune() {
    decoded.clear();
    Instant before = clock.instant().minus(Duration.ofDays(RETENTION_DAYS));
    return jdbc.update("DELETE FROM profile_change_batch WHERE created_at < ?", Timestamp.from(before));
  }
}
