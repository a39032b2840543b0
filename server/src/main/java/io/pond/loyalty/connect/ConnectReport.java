package io.pond.loyalty.connect;

import io.pond.loyalty.program.Programs;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The member-connect reconciliation report: for every bound binding with a connector, our points and
 * tier next to the last state the channel acknowledged, and what is still on the way.
 */
@Component
public class ConnectReport {

  private final JdbcClient jdbc;
  private final Programs programs;

  ConnectReport(JdbcClient jdbc, Programs programs) {
    this.jdbc = jdbc;
    this.programs = programs;
  }

  /**
   * One binding. {@code status}: {@code in_sync} (the channel acknowledged our current points and
   * tier), {@code pending} (pushes are on their way), {@code failed} (a push was given up),
   * {@code never_synced}, or {@code drift} (the channel acknowledged something else and nothing is
   * queued — run a sweep or look for a change made outside Pond).
   */
  public record Line(
      String program, String connector, long bindingId, int personId, String channel, String shop, String channelMemberId, long points,
      String tier, Long ackedPoints, String ackedTier, Instant ackedAt, int pending, int dead, String status) {}

  public List<Line> lines(String programCode, boolean onlyDiffering) {
    String where = programCode == null ? "" : " AND b.program_id = " + programs.get(programCode).id();
    List<Line> lines =
        jdbc.sql(
                "SELECT p.code program, c.code connector, c.id connector_id, b.id, b.person_id, b.channel, b.shop, b.channel_member_id,"
                    + " a.available, a.tier, b.acked_points, b.acked_tier, b.acked_at,"
                    + " (SELECT COUNT(*) FROM loyalty_connect_outbox o WHERE o.binding_id = b.id AND o.connector_id = c.id AND o.state = 'PENDING') pending,"
                    + " (SELECT COUNT(*) FROM loyalty_connect_outbox o WHERE o.binding_id = b.id AND o.connector_id = c.id AND o.state = 'DEAD') dead"
                    + " FROM loyalty_binding b JOIN loyalty_program p ON p.id = b.program_id"
                    + " JOIN loyalty_connector c ON c.program_id = b.program_id AND c.channel = b.channel AND (c.shop = b.shop OR c.shop = '*')"
                    + " JOIN loyalty_account a ON a.program_id = b.program_id AND a.person_id = b.person_id"
                    + " WHERE b.state = 'BOUND' AND c.enabled = TRUE" + where + " ORDER BY p.code, c.code, b.id")
            .query(
                (rs, n) -> {
                  String program = rs.getString("program");
                  long points = Math.max(0, rs.getLong("available"));
                  String tier = programs.get(program).config().tier(rs.getInt("tier")).code();
                  Long ackedPoints = (Long) rs.getObject("acked_points", Long.class);
                  String ackedTier = rs.getString("acked_tier");
                  Timestamp ackedAt = rs.getTimestamp("acked_at");
                  int pending = rs.getInt("pending");
                  int dead = rs.getInt("dead");
                  String status;
                  if (ackedPoints != null && ackedPoints == points && tier.equals(ackedTier)) {
                    status = "in_sync";
                  } else if (dead > 0) {
                    status = "failed";
                  } else if (pending > 0) {
                    status = "pending";
                  } else if (ackedPoints == null) {
                    status = "never_synced";
                  } else {
                    status = "drift";
                  }
                  return new Line(program, rs.getString("connector"), rs.getLong("id"), rs.getInt("person_id"), rs.getString("channel"),
                      rs.getString("shop"), rs.getString("channel_member_id"), points, tier, ackedPoints, ackedTier,
                      ackedAt == null ? null : ackedAt.toInstant(), pending, dead, status);
                })
            .list();
    return onlyDiffering ? lines.stream().filter(l -> !l.status().equals("in_sync")).toList() : lines;
  }
}
