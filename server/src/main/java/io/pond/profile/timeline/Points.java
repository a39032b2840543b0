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

  /** PostgreSQL: a batch of entries is one statement over arrays. */
  private final boolean postgres;

  Points(JdbcClient jdbc, org.springframework.jdbc.core.JdbcTemplate batch) {
    this.jdbc = jdbc;
    this.batch = batch;
    this.postgres =
        Boolean.TRUE.equals(batch.execute((java.sql.Connection c) -> c.getMetaData().getDatabaseProductName().startsWith("PostgreSQL")));
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
    if (postgres && entries.size() > 1) {
      insertArrays(entries);
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

  /**
   * PERF (PostgreSQL): one statement for a group commit's entries; a JDBC batch executes the insert once
   * per row (about 23 µs of PostgreSQL CPU each).
   */
  private void insertArrays(List<Entry> entries) {
    int n = entries.size();
    String[] keys = new String[n];
    Integer[] persons = new Integer[n];
    String[] programs = new String[n];
    String[] kinds = new String[n];
    Long[] points = new Long[n];
    String[] details = new String[n];
    Timestamp[] at = new Timestamp[n];
    for (int i = 0; i < n; i++) {
      Entry e = entries.get(i);
      keys[i] = e.idemKey();
      persons[i] = e.person();
      programs[i] = e.program();
      kinds[i] = e.kind();
      points[i] = e.points();
      details[i] = cut(e.detail());
      at[i] = Timestamp.from(e.at());
    }
    batch.execute(
        (java.sql.Connection c) -> {
          try (java.sql.PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO profile_points (idem_key, person_id, origin_person_id, program, kind, points, detail, at)"
                      + " SELECT k, p, p, g, t, v, d, a FROM unnest(?::varchar[], ?::int[], ?::varchar[], ?::varchar[], ?::bigint[],"
                      + " ?::varchar[], ?::timestamptz[]) AS s (k, p, g, t, v, d, a) ON CONFLICT DO NOTHING")) {
            ps.setObject(1, keys);
            ps.setObject(2, persons);
            ps.setObject(3, programs);
            ps.setObject(4, kinds);
            ps.setObject(5, points);
            ps.setObject(6, details);
            ps.setArray(7, c.createArrayOf("timestamptz", at));
            return ps.executeUpdate();
          }
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
