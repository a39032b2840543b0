package io.pond.offer.issuance;

import io.pond.offer.Audience;
import io.pond.offer.coupon.IssueOutcome;
import io.pond.offer.coupon.Issuing;
import io.pond.offer.coupon.Templates;
import io.pond.platform.audit.AuditLog;
import io.pond.platform.errors.PondException;
import jakarta.annotation.PreDestroy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issuing a template to many persons at once: a list (JSON or an uploaded CSV of person ids) or an
 * {@link Audience} (a segment, once the segment module provides one). The persons are written down
 * with the job, so progress is {@code processed / total}; the job runs in the background in chunks,
 * each person issued with the key {@code bulk:<job>:<person>}, so a job resumed after a crash or a
 * pause issues nobody twice. Creating a job is idempotent on its key.
 */
@Component
public class BulkIssuance {

  private static final Logger log = LoggerFactory.getLogger(BulkIssuance.class);
  private static final int CHUNK = 500;
  private static final int MAX_PERSONS = 5_000_000;

  private final JdbcClient jdbc;
  private final JdbcTemplate jdbcTemplate;
  private final TransactionTemplate transactions;
  private final Templates templates;
  private final Issuing issuing;
  private final List<Audience> audiences;
  private final AuditLog audit;
  private final Clock clock;
  private final ExecutorService runner = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<Long, Future<?>> running = new ConcurrentHashMap<>();

  BulkIssuance(
      JdbcClient jdbc, JdbcTemplate jdbcTemplate, PlatformTransactionManager transactions, Templates templates, Issuing issuing,
      List<Audience> audiences, AuditLog audit, Clock clock) {
    this.jdbc = jdbc;
    this.jdbcTemplate = jdbcTemplate;
    this.transactions = new TransactionTemplate(transactions);
    this.templates = templates;
    this.issuing = issuing;
    this.audiences = audiences;
    this.audit = audit;
    this.clock = clock;
  }

  /** Progress of a job. {@code status}: RUNNING, PAUSED, DONE. */
  public record Job(long id, String idempotencyKey, String template, String source, String status, int total, int processed, int issued,
      int refused, Instant createdAt, String createdBy, Instant updatedAt, boolean replayed) {}

  /** Starts a job for a list of persons. */
  public Job start(String idempotencyKey, String templateCode, List<Integer> personIds, String source, String actor) {
    Optional<Job> existing = byKey(idempotencyKey);
    if (existing.isPresent()) {
      return existing.get();
    }
    key(idempotencyKey);
    if (personIds == null || personIds.isEmpty()) {
      throw PondException.invalid("personIds", "list at least one person");
    }
    BitSet persons = new BitSet();
    for (int i = 0; i < personIds.size(); i++) {
      Integer p = personIds.get(i);
      if (p == null || p <= 0) {
        throw PondException.invalid("personIds[" + i + "]", "must be a positive person id");
      }
      persons.set(p);
    }
    return create(idempotencyKey, templateCode, persons, source, actor);
  }

  /** Starts a job for a CSV of person ids (first column; a header line is skipped; bad lines are refused by number). */
  public Job startFromCsv(String idempotencyKey, String templateCode, InputStream csv, String fileName, String actor) {
    Optional<Job> existing = byKey(idempotencyKey);
    if (existing.isPresent()) {
      return existing.get();
    }
    key(idempotencyKey);
    BitSet persons = new BitSet();
    List<String> bad = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(csv, StandardCharsets.UTF_8))) {
      String line;
      int n = 0;
      while ((line = in.readLine()) != null) {
        n++;
        String field = line.split(",", 2)[0].replace("\uFEFF", "").replace("\"", "").strip();
        if (field.isEmpty() || n == 1 && !field.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          int p = Integer.parseInt(field);
          if (p <= 0) {
            throw new NumberFormatException();
          }
          persons.set(p);
        } catch (NumberFormatException e) {
          if (bad.size() < 20) {
            bad.add(String.valueOf(n));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!bad.isEmpty()) {
      throw PondException.invalid("file", "lines " + String.join(", ", bad) + " are not person ids; fix the file and upload it again");
    }
    if (persons.isEmpty()) {
      throw PondException.invalid("file", "the file lists no person ids");
    }
    return create(idempotencyKey, templateCode, persons, "upload:" + (fileName == null ? "file" : fileName), actor);
  }

  /** Starts a job for an audience named {@code kind:reference} (e.g. {@code segment:vip}). */
  public Job startFromAudience(String idempotencyKey, String templateCode, String audience, String actor) {
    Optional<Job> existing = byKey(idempotencyKey);
    if (existing.isPresent()) {
      return existing.get();
    }
    key(idempotencyKey);
    int colon = audience == null ? -1 : audience.indexOf(':');
    String kind = colon < 0 ? "" : audience.substring(0, colon);
    String reference = colon < 0 ? "" : audience.substring(colon + 1);
    Audience source =
        audiences.stream().filter(a -> a.kind().equals(kind)).findFirst()
            .orElseThrow(() -> PondException.invalid("audience", "no audience source '" + kind + "'; known: "
                + String.join(", ", audiences.stream().map(Audience::kind).toList())));
    if (!source.exists(reference)) {
      throw PondException.invalid("audience", "no " + kind + " '" + reference + "'");
    }
    BitSet persons = new BitSet();
    source.persons(reference, p -> {
      if (p > 0) {
        persons.set(p);
      }
    });
    if (persons.isEmpty()) {
      throw PondException.invalid("audience", kind + " '" + reference + "' has no persons");
    }
    return create(idempotencyKey, templateCode, persons, audience, actor);
  }

  private static void key(String idempotencyKey) {
    if (idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > 200) {
      throw PondException.invalid("idempotencyKey", "give an idempotency key of 1-200 characters");
    }
  }

  private Job create(String idempotencyKey, String templateCode, BitSet persons, String source, String actor) {
    Templates.Template t = templates.byCode(templateCode);
    if (persons.cardinality() > MAX_PERSONS) {
      throw PondException.invalid("personIds", "at most " + MAX_PERSONS + " persons per job");
    }
    Instant now = clock.instant();
    Long id = transactions.execute(status -> {
      int inserted =
          jdbc.sql("INSERT INTO offer_issue_job (idempotency_key, template_id, source, status, total, processed, issued, refused, created_at, created_by,"
                  + " updated_at) VALUES (?, ?, ?, 'RUNNING', ?, 0, 0, 0, ?, ?, ?) ON CONFLICT DO NOTHING")
              .params(idempotencyKey, t.id(), source.length() > 300 ? source.substring(0, 300) : source, persons.cardinality(), Timestamp.from(now), actor,
                  Timestamp.from(now))
              .update();
      if (inserted == 0) {
        return null;
      }
      long jobId = jdbc.sql("SELECT id FROM offer_issue_job WHERE idempotency_key = ?").param(idempotencyKey).query(Long.class).single();
      List<Object[]> rows = new ArrayList<>(CHUNK);
      int seq = 0;
      for (int p = persons.nextSetBit(0); p >= 0; p = persons.nextSetBit(p + 1)) {
        rows.add(new Object[] {jobId, ++seq, p});
        if (rows.size() == 5_000) {
          jdbcTemplate.batchUpdate("INSERT INTO offer_issue_job_item (job_id, seq, person_id, status) VALUES (?, ?, ?, 'PENDING')", rows);
          rows.clear();
        }
      }
      if (!rows.isEmpty()) {
        jdbcTemplate.batchUpdate("INSERT INTO offer_issue_job_item (job_id, seq, person_id, status) VALUES (?, ?, ?, 'PENDING')", rows);
      }
      audit.record(actor, "offer.bulk.start", "template:" + templateCode, "job " + jobId + ", " + persons.cardinality() + " persons from " + source);
      return jobId;
    });
    if (id == null) {
      return byKey(idempotencyKey).orElseThrow();
    }
    run(id);
    return get(id);
  }

  public Job get(long id) {
    return find("j.id = ?", id).orElseThrow(() -> PondException.notFound("issue job", id));
  }

  private Optional<Job> byKey(String key) {
    return key == null ? Optional.empty() : find("j.idempotency_key = ?", key).map(j -> new Job(
        j.id(), j.idempotencyKey(), j.template(), j.source(), j.status(), j.total(), j.processed(), j.issued(), j.refused(), j.createdAt(),
        j.createdBy(), j.updatedAt(), true));
  }

  public List<Job> list() {
    return jdbc.sql(SELECT + " ORDER BY j.id DESC LIMIT 100").query(this::row).list();
  }

  private static final String SELECT = "SELECT j.*, t.code AS template_code FROM offer_issue_job j JOIN offer_template t ON t.id = j.template_id";

  private Optional<Job> find(String where, Object arg) {
    return jdbc.sql(SELECT + " WHERE " + where).param(arg).query(this::row).optional();
  }

  private Job row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
    return new Job(rs.getLong("id"), rs.getString("idempotency_key"), rs.getString("template_code"), rs.getString("source"), rs.getString("status"),
        rs.getInt("total"), rs.getInt("processed"), rs.getInt("issued"), rs.getInt("refused"), rs.getTimestamp("created_at").toInstant(),
        rs.getString("created_by"), rs.getTimestamp("updated_at").toInstant(), false);
  }

  public record Item(int seq, int personId, String status, String reason) {}

  /** Persons of a job with a status ({@code PENDING}, {@code ISSUED}, {@code REFUSED}), in order. */
  public List<Item> items(long jobId, String status, int afterSeq, int limit) {
    return jdbc.sql("SELECT seq, person_id, status, reason FROM offer_issue_job_item WHERE job_id = ? AND status = ? AND seq > ? ORDER BY seq LIMIT ?")
        .params(jobId, status, afterSeq, limit)
        .query((rs, n) -> new Item(rs.getInt(1), rs.getInt(2), rs.getString(3), rs.getString(4)))
        .list();
  }

  public Job pause(long id, String actor) {
    get(id);
    jdbc.sql("UPDATE offer_issue_job SET status = 'PAUSED', updated_at = ? WHERE id = ? AND status = 'RUNNING'").params(Timestamp.from(clock.instant()), id).update();
    return get(id);
  }

  /** Continues a paused (or interrupted) job where it stopped. */
  public Job resume(long id, String actor) {
    get(id);
    jdbc.sql("UPDATE offer_issue_job SET status = 'RUNNING', updated_at = ? WHERE id = ? AND status = 'PAUSED'").params(Timestamp.from(clock.instant()), id).update();
    run(id);
    return get(id);
  }

  /** Jobs that were running when the server stopped continue after it starts. */
  @EventListener(ApplicationReadyEvent.class)
  void resumeInterrupted() {
    for (long id : jdbc.sql("SELECT id FROM offer_issue_job WHERE status = 'RUNNING'").query(Long.class).list()) {
      run(id);
    }
  }

  private void run(long id) {
    running.compute(id, (k, f) -> f != null && !f.isDone() ? f : runner.submit(() -> work(id)));
  }

  /** Waits until the job stops running (tests, the CLI). */
  public Job await(long id, long timeoutMs) throws Exception {
    Future<?> f = running.get(id);
    if (f != null) {
      f.get(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    return get(id);
  }

  private void work(long jobId) {
    try {
      Job job = get(jobId);
      while (true) {
        String status = jdbc.sql("SELECT status FROM offer_issue_job WHERE id = ?").param(jobId).query(String.class).single();
        if (!status.equals("RUNNING")) {
          return;
        }
        List<Item> chunk = items(jobId, "PENDING", 0, CHUNK);
        if (chunk.isEmpty()) {
          jdbc.sql("UPDATE offer_issue_job SET status = 'DONE', updated_at = ? WHERE id = ? AND status = 'RUNNING'").params(Timestamp.from(clock.instant()), jobId).update();
          return;
        }
        // issue the chunk concurrently, so the claim writer commits it in a few groups
        List<Future<IssueOutcome>> outcomes = new ArrayList<>(chunk.size());
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
          for (Item item : chunk) {
            outcomes.add(pool.submit(() -> issuing.grant(job.template(), item.personId(), "bulk:" + jobId, "bulk:" + jobId + ":" + item.personId())));
          }
        }
        List<Object[]> updates = new ArrayList<>(chunk.size());
        int issued = 0;
        int refused = 0;
        for (int i = 0; i < chunk.size(); i++) {
          IssueOutcome o;
          try {
            o = outcomes.get(i).get();
          } catch (java.util.concurrent.ExecutionException e) {
            o = new IssueOutcome.Refused("error", String.valueOf(e.getCause().getMessage()));
          }
          if (o instanceof IssueOutcome.Refused r) {
            refused++;
            updates.add(new Object[] {"REFUSED", r.reason() + ": " + cut(r.message()), jobId, chunk.get(i).seq()});
          } else {
            issued++;
            updates.add(new Object[] {"ISSUED", null, jobId, chunk.get(i).seq()});
          }
        }
        int doneIssued = issued;
        int doneRefused = refused;
        transactions.executeWithoutResult(s -> {
          jdbcTemplate.batchUpdate("UPDATE offer_issue_job_item SET status = ?, reason = ? WHERE job_id = ? AND seq = ? AND status = 'PENDING'", updates);
          jdbc.sql("UPDATE offer_issue_job SET processed = processed + ?, issued = issued + ?, refused = refused + ?, updated_at = ? WHERE id = ?")
              .params(chunk.size(), doneIssued, doneRefused, Timestamp.from(clock.instant()), jobId)
              .update();
        });
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("Issue job {} stopped; it resumes at the next start or on POST …/resume", jobId, e);
    }
  }

  private static String cut(String s) {
    return s == null ? "" : s.length() > 250 ? s.substring(0, 250) : s;
  }

  @PreDestroy
  void stop() {
    runner.shutdownNow();
  }
}
