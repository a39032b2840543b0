package io.pond.profile.timeline;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Points and tier events heard from loyalty, kept per person for the timeline and the export. */
@Component
public class Points {

  private final JdbcClient jdbc;
  private final org.springframework.jdbc.core.JdbcTemplate batch;

  Points(JdbcClient jdbc, org.springframework.jdbc.core.JdbcTemplate batch) {
    this.jdbc = jdbc;
    this.batch = batch;
  }

  /** One entry as shown: {@code kind} is earned, activated, redeemed, clawed_back, expired or tier. */
  public record PointsView(long id, String program, String kind, long points, String detail, Instant at) {}

  private static final String INSERT =
      "INSERT INTO profile_points (idem_key, person_id, origin_person_id, program, kind, points, detail, at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

  /** One event to store; {@code idemKey} names it, so that a redelivery changes nothing. */
  public record Entry(String idemKey, int person, String program, String kind, long points, String detail, Instant at) {}

  /** Stores events once each ({@code idemKey} names one; a redelivery changes nothing), with one JDBC batch. */
  public void recordAll(List<Entry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    batch.batchUpdate(
        INSERT,
        entries,
        entries.size(),
        (ps, e) -> {
          ps.setString(1, e.idemKey());
          ps.setInt(2, e.person());
          ps.setInt(3, e.person());
          ps.setString(4, e.program());
          ps.setString(5, e.kind());
          ps.setLong(6, e.points());
          ps.setString(7, cut(e.detail()));
          ps.setTimestamp(8, Timestamp.from(e.at()));
        });
  }

  private static String cut(String detail) {
    return detail == null || detail.length() <= 300 ? detail : detail.substring(0, 300);
  }

  public List<PointsView> latest(int person, int limit) {
    return jdbc.sql("SELECT id, program, kind, points, detail, at FROM profile_points WHERE person_id = ?"
            + " ORDER BY at DESC, id DESC LIMIT ?")
        .params(person, limit)
        .query((rs, n) -> new PointsView(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5),
            rs.getTimestamp(6).toInstant()))
        .list();
  }

  public void moveAll(int from, int to) {
    jdbc.sql("UPDATE profile_points SET person_id = ? WHERE person_id = ?").params(to, from).update();
  }

  /** After a split: entries first recorded for the restored person go back to it. */
  public void giveBack(int from, int restored) {
    jdbc.sql("UPDATE profile_points SET person_id = ? WHERE person_id = ? AND origin_person_id = ?")
        .params(restored, from, restored).update();
  }
}
