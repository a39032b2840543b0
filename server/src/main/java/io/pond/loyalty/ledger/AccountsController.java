package io.pond.loyalty.ledger;

import io.pond.loyalty.program.Programs;
import io.pond.platform.errors.PondException;
import io.pond.platform.security.CurrentCaller;
import io.pond.platform.security.DataScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A program's accounts, paged (for the console's account list), and a reconciliation of the ledger
 * — the check {@code ./pond loyalty reconcile} runs — over a page of accounts at a time. A caller
 * limited to some channels sees the accounts of members who joined on one of them.
 */
@RestController
@RequestMapping("/api/v1/loyalty/programs/{program}")
@Tag(name = "Loyalty members")
class AccountsController {

  private final Programs programs;
  private final LedgerQueries queries;
  private final JdbcClient jdbc;

  AccountsController(Programs programs, LedgerQueries queries, JdbcClient jdbc) {
    this.programs = programs;
    this.queries = queries;
    this.jdbc = jdbc;
  }

  record AccountRow(long accountId, int personId, long available, long pending, long growth, String tier, String tierName, Instant tierSince,
      Instant joinedAt, String joinChannel) {}

  record AccountPage(List<AccountRow> items, long total, int offset, int limit) {}

  @GetMapping("/accounts")
  @Operation(summary = "The program's accounts, newest member first, optionally of one tier; paged with offset and limit (1-500)")
  AccountPage accounts(@PathVariable String program, @RequestParam(required = false) String tier,
      @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "50") int limit) {
    Programs.Program p = programs.get(program);
    if (offset < 0) {
      throw PondException.invalid("offset", "0 or more");
    }
    if (limit < 1 || limit > 500) {
      throw PondException.invalid("limit", "1-500");
    }
    var tiers = p.config().tiers();
    StringBuilder where = new StringBuilder(" WHERE a.program_id = :program");
    Map<String, Object> params = new HashMap<>();
    params.put("program", p.id());
    if (tier != null && !tier.isBlank()) {
      int level = -1;
      for (int i = 0; i < tiers.size(); i++) {
        if (tiers.get(i).code().equals(tier)) {
          level = i + 1;
        }
      }
      if (level < 0) {
        throw PondException.invalid("tier", "no tier '" + tier + "' in program " + program);
      }
      where.append(" AND a.tier = :tier");
      params.put("tier", level);
    }
    DataScope scope = CurrentCaller.channels();
    if (scope.isRestricted()) {
      where.append(" AND m.join_channel IN (:channels)");
      params.put("channels", scope.channels().orElseThrow());
    }
    String from = " FROM loyalty_account a LEFT JOIN loyalty_member m ON m.program_id = a.program_id AND m.person_id = a.person_id";
    long total = jdbc.sql("SELECT COUNT(*)" + from + where).params(params).query(Long.class).single();
    List<AccountRow> items = jdbc.sql("SELECT a.id, a.person_id, a.available, a.pending, a.growth, a.tier, a.tier_since, a.joined_at, m.join_channel"
            + from + where + " ORDER BY a.joined_at DESC, a.id DESC LIMIT " + limit + " OFFSET " + offset)
        .params(params)
        .query((rs, n) -> {
          int level = rs.getInt("tier");
          var t = level >= 1 && level <= tiers.size() ? tiers.get(level - 1) : null;
          return new AccountRow(rs.getLong("id"), rs.getInt("person_id"), rs.getLong("available"), rs.getLong("pending"), rs.getLong("growth"),
              t == null ? "level-" + level : t.code(), t == null ? null : t.name(), instant(rs.getObject("tier_since", OffsetDateTime.class)),
              instant(rs.getObject("joined_at", OffsetDateTime.class)), rs.getString("join_channel"));
        })
        .list();
    return new AccountPage(items, total, offset, limit);
  }

  record Reconciliation(int checked, List<LedgerQueries.Drift> drifts, Long nextAfter) {}

  @GetMapping("/reconciliation")
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR','ANALYST')")
  @Operation(summary = "Recompute up to `limit` (1-1000) accounts after account id `after` from their entries, lots and allocations; "
      + "answers the drifts found and the cursor of the next page (`nextAfter`, absent at the end)")
  Reconciliation reconcile(@PathVariable String program, @RequestParam(defaultValue = "0") long after,
      @RequestParam(defaultValue = "500") int limit) {
    Programs.Program p = programs.get(program);
    if (limit < 1 || limit > 1000) {
      throw PondException.invalid("limit", "1-1000");
    }
    List<Long> ids = jdbc.sql("SELECT id FROM loyalty_account WHERE program_id = ? AND id > ? ORDER BY id LIMIT ?")
        .params(p.id(), after, limit + 1)
        .query(Long.class)
        .list();
    boolean more = ids.size() > limit;
    List<Long> page = more ? ids.subList(0, limit) : ids;
    List<LedgerQueries.Drift> drifts = new ArrayList<>();
    page.forEach(id -> drifts.addAll(queries.reconcile(id)));
    return new Reconciliation(page.size(), drifts, more ? page.get(page.size() - 1) : null);
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
