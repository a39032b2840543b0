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

  Points(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** One entry as shown: {@code kind} is earned, activated, redeemed, clawed_back, expired or tier. */
  public record PointsView(long id, String program, String kind, long points, String detail, Instant at) {}

  /** Stores an event once ({@code idemKey} names it; a redelivery changes nothing). */
  public void record(String idemKey, int person, String program, String kind, long points, String detail, Instant at) {
    jdbc.sql("INSERT INTO profile_points (idem_key, person_id, origin_person_id, program, kind, points, detail, at)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
          .params(idemKey, person, person, program, kind, points, detail == null ? null : detail.length() > 300
              ? detail.substring(0, 300) : detail, Timestamp.from(at))
        .update();
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
