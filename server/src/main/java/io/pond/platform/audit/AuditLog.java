package io.pond.platform.audit;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Who did what, when: every administrative change (keys, users, merges, adjustments) is recorded
 * here in the transaction that made it.
 */
@Component
public class AuditLog {

  private final JdbcClient jdbc;
  private final Clock clock;

  AuditLog(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  public record Entry(long id, Instant at, String actor, String action, String target, String detail) {}

  @Transactional(propagation = Propagation.MANDATORY)
  public void record(String actor, String action, String target, String detail) {
    jdbc.sql("INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)")
        .params(Timestamp.from(clock.instant()), actor, action, target, detail)
        .update();
  }

  /** Newest first; {@code beforeId} pages backwards (null for the newest page). */
  public List<Entry> list(Long beforeId, int limit) {
    return jdbc.sql(
            "SELECT id, at, actor, action, target, detail FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?")
        .params(beforeId == null ? Long.MAX_VALUE : beforeId, limit)
        .query(
            (rs, n) ->
                new Entry(
                    rs.getLong("id"),
                    rs.getTimestamp("at").toInstant(),
                    rs.getString("actor"),
                    rs.getString("action"),
                    rs.getString("target"),
                    rs.getString("detail")))
        .list();
  }
}
