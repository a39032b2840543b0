package io.pond.segment.tag;

import io.pond.identity.PersonId;
import io.pond.identity.Persons;
import io.pond.platform.Identifier;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import io.pond.segment.audience.Segments;
import io.pond.segment.expression.ExpressionJson;
import io.pond.segment.expression.domain.Expression;
import io.pond.segment.index.Facts;
import io.pond.segment.index.SegmentIndex;
import io.pond.segment.model.domain.AiplStage;
import io.pond.segment.model.domain.ModelTags;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.roaringbitmap.RoaringBitmap;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Tags (标签): manual ones set by operators (one by one or from a file), rule tags (a segment
 * expression materialised and refreshed on a schedule) and model tags (AIPL stage, lifecycle, RFM
 * group) recomputed from the index. Every assignment and removal is kept in {@code segment_tag_history}.
 */
@Component
public class Tags {

  public static final String MANUAL = "manual";
  public static final String RULE = "rule";
  public static final String MODEL = "model";

  private final JdbcClient jdbc;
  private final JdbcTemplate template;
  private final SegmentIndex index;
  private final Segments segments;
  private final Persons persons;
  private final Clock clock;
  private final TransactionTemplate tx;
  private final Facts facts;

  Tags(JdbcClient jdbc, JdbcTemplate template, SegmentIndex index, Segments segments, Persons persons, Clock clock,
      TransactionTemplate tx, Facts facts) {
    this.facts = facts;
    this.jdbc = jdbc;
    this.template = template;
    this.index = index;
    this.segments = segments;
    this.persons = persons;
    this.clock = clock;
    this.tx = tx;
  }

  public record Tag(String code, String name, String kind, JsonNode expression, String createdBy, Instant createdAt,
      Instant refreshedAt) {}

  /** Model tags exist from the start, so expressions may name them before the first refresh. */
  @EventListener(ApplicationReadyEvent.class)
  @Order(0)
  void defineModelTags() {
    tx.executeWithoutResult(s -> modelTagCodes().forEach(code -> {
      if (find(code).isEmpty()) {
        insert(code, code, MODEL, null, "system");
      }
    }));
  }

  static List<String> modelTagCodes() {
    List<String> codes = new ArrayList<>();
    for (AiplStage stage : AiplStage.values()) {
      codes.add(stage.tag());
    }
    codes.addAll(List.of("lifecycle:new", "lifecycle:active", "lifecycle:silent", "lifecycle:churned"));
    ModelTags.RFM_GROUPS.keySet().forEach(g -> codes.add("rfm:" + g));
    return codes;
  }

  @Transactional
  public Tag create(String code, String name, String kind, JsonNode expression, String actor) {
    if (code == null || !Segments.CODE.matcher(code).matches() || code.startsWith("aipl:") || code.startsWith("lifecycle:")
        || code.startsWith("rfm:")) {
      throw PondException.invalid("code",
          "a code of lower-case letters, digits, '_', ':', '.', '-' (at most 100), not starting with aipl:, lifecycle: or rfm:");
    }
    if (!MANUAL.equals(kind) && !RULE.equals(kind)) {
      throw PondException.invalid("kind", "'manual' or 'rule' (model tags are built in)");
    }
    if (find(code).isPresent()) {
      throw new PondException(ErrorCode.CONFLICT, "tag " + code + " exists already", "code");
    }
    if (RULE.equals(kind)) {
      if (expression == null) {
        throw PondException.invalid("expression", "a rule tag needs an expression");
      }
      Expression parsed = ExpressionJson.parse(expression, "/expression", segments);
      if (mentionsTag(parsed, code)) {
        throw PondException.invalid("/expression", "a rule tag cannot depend on itself");
      }
    } else if (expression != null) {
      throw PondException.invalid("expression", "only rule tags have an expression");
    }
    insert(code, name == null ? code : name, kind, expression == null ? null : ExpressionJson.write(expression), actor);
    return get(code);
  }

  private void insert(String code, String name, String kind, String expression, String actor) {
    jdbc.sql("INSERT INTO segment_tag (code, name, kind, expression, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)")
        .params(code, name, kind, expression, actor, now()).update();
  }

  @Transactional
  public Tag updateRule(String code, String name, JsonNode expression) {
    Tag tag = get(code);
    if (!RULE.equals(tag.kind())) {
      throw new PondException(ErrorCode.CONFLICT, "tag " + code + " is a " + tag.kind() + " tag; only rule tags have an expression", "code");
    }
    Expression parsed = ExpressionJson.parse(expression, "/expression", segments);
    if (mentionsTag(parsed, code)) {
      throw PondException.invalid("/expression", "a rule tag cannot depend on itself");
    }
    jdbc.sql("UPDATE segment_tag SET name = ?, expression = ? WHERE code = ?")
        .params(name == null ? tag.name() : name, ExpressionJson.write(expression), code).update();
    return get(code);
  }

  public Tag get(String code) {
    return find(code).orElseThrow(() -> PondException.notFound("tag", code));
  }

  public Optional<Tag> find(String code) {
    return jdbc.sql("SELECT code, name, kind, expression, created_by, created_at, refreshed_at FROM segment_tag WHERE code = ?")
        .param(code).query((rs, n) -> row(rs)).optional();
  }

  public List<Tag> list() {
    return jdbc.sql("SELECT code, name, kind, expression, created_by, created_at, refreshed_at FROM segment_tag ORDER BY code")
        .query((rs, n) -> row(rs)).list();
  }

  private static Tag row(java.sql.ResultSet rs) throws java.sql.SQLException {
    String expression = rs.getString(4);
    OffsetDateTime refreshed = rs.getObject(7, OffsetDateTime.class);
    return new Tag(rs.getString(1), rs.getString(2), rs.getString(3), expression == null ? null : ExpressionJson.tree(expression),
        rs.getString(5), rs.getObject(6, OffsetDateTime.class).toInstant(), refreshed == null ? null : refreshed.toInstant());
  }

  /** Members now, from the index. */
  public RoaringBitmap members(String code) {
    get(code);
    return index.read(i -> i.tag(code));
  }

  /** What a change of members did. */
  public record Change(int added, int removed) {}

  /** Puts a manual tag on persons (already tagged ones are left alone). */
  @Transactional
  public Change assign(String code, Collection<Integer> personIds, String source) {
    requireManual(code);
    RoaringBitmap target = index.read(i -> i.tag(code));
    personIds.forEach(target::add);
    return apply(code, target, source);
  }

  @Transactional
  public Change unassign(String code, Collection<Integer> personIds, String source) {
    requireManual(code);
    RoaringBitmap target = index.read(i -> i.tag(code));
    personIds.forEach(target::remove);
    return apply(code, target, source);
  }

  private void requireManual(String code) {
    Tag tag = get(code);
    if (!MANUAL.equals(tag.kind())) {
      throw new PondException(ErrorCode.CONFLICT, "tag " + code + " is a " + tag.kind() + " tag; it is computed, not set", "code");
    }
  }

  /** A line of an import that was not used. */
  public record Rejected(int line, String reason) {}

  public record Import(int added, int alreadyTagged, int lines, List<Rejected> rejected) {}

  /**
   * Tags the persons listed in a CSV file: one per line, either a person id, or an identifier as
   * {@code type,value} or {@code type,scope,value} (resolved through OneID). A header line and blank
   * lines are skipped; lines that name no known person (or, with {@code visible}, no person in it) are
   * reported, the others kept.
   */
  @Transactional
  public Import importCsv(String code, Reader csv, String source, Optional<RoaringBitmap> visible) {
    requireManual(code);
    List<Integer> found = new ArrayList<>();
    List<Rejected> rejected = new ArrayList<>();
    int lines = 0;
    try (BufferedReader reader = new BufferedReader(csv)) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        String text = line.strip();
        if (text.isEmpty() || (number == 1 && (text.startsWith("person") || text.startsWith("type")))) {
          continue;
        }
        lines++;
        if (rejected.size() > 1000) {
          continue;
        }
        String[] cells = text.split(",", -1);
        Optional<Integer> person = resolve(cells);
        if (person.isPresent() && visible.map(v -> v.contains(person.get())).orElse(true)) {
          found.add(person.get());
        } else {
          rejected.add(new Rejected(number, "no person for '" + text + "'"));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    RoaringBitmap target = index.read(i -> i.tag(code));
    found.forEach(target::add);
    Change change = apply(code, target, source);
    int distinct = new java.util.HashSet<>(found).size();
    return new Import(change.added(), distinct - change.added(), lines, rejected);
  }

  private Optional<Integer> resolve(String[] cells) {
    for (int k = 0; k < cells.length; k++) {
      cells[k] = cells[k].strip().replace("\"", "");
    }
    if (cells.length == 1 && cells[0].matches("\\d{1,10}")) {
      long id = Long.parseLong(cells[0]);
      if (id <= 0 || id > Integer.MAX_VALUE) {
        return Optional.empty();
      }
      return persons.current(PersonId.of((int) id)).map(PersonId::value);
    }
    Identifier identifier = cells.length == 2 ? Identifier.global(cells[0], cells[1])
        : cells.length == 3 ? Identifier.scoped(cells[0], cells[1], cells[2]) : null;
    if (identifier == null || identifier.value().isEmpty()) {
      return Optional.empty();
    }
    return persons.personOf(identifier).map(PersonId::value);
  }

  /** Recomputes a rule tag from its expression. */
  @Transactional
  public Change refreshRule(String code) {
    Tag tag = get(code);
    if (!RULE.equals(tag.kind())) {
      throw new PondException(ErrorCode.CONFLICT, "tag " + code + " is not a rule tag", "code");
    }
    RoaringBitmap target = segments.evaluate(ExpressionJson.parseStored(ExpressionJson.write(tag.expression()), segments));
    Change change = apply(code, target, "rule");
    jdbc.sql("UPDATE segment_tag SET refreshed_at = ? WHERE code = ?").params(now(), code).update();
    return change;
  }

  /** Recomputes the model tags (AIPL, lifecycle, RFM) from the index. */
  @Transactional
  public Map<String, Change> refreshModels() {
    Map<String, RoaringBitmap> computed = index.read(i -> ModelTags.compute(i, index.rules(), index.today()));
    Map<String, Change> changes = new LinkedHashMap<>();
    computed.forEach((code, members) -> changes.put(code, apply(code, members, "model")));
    jdbc.sql("UPDATE segment_tag SET refreshed_at = ? WHERE kind = 'model'").params(now()).update();
    return changes;
  }

  /** Refreshes every rule tag (in code order), then the model tags. */
  public Map<String, Change> refreshAll() {
    Map<String, Change> changes = new LinkedHashMap<>();
    for (Tag tag : list()) {
      if (RULE.equals(tag.kind())) {
        changes.put(tag.code(), tx.execute(s -> refreshRule(tag.code())));
      }
    }
    changes.putAll(tx.execute(s -> refreshModels()));
    return changes;
  }

  /** Makes the stored members equal {@code target}: inserts, deletes and history; the index follows at commit. */
  private Change apply(String code, RoaringBitmap target, String source) {
    RoaringBitmap current = index.read(i -> i.tag(code));
    RoaringBitmap added = RoaringBitmap.andNot(target, current);
    RoaringBitmap removed = RoaringBitmap.andNot(current, target);
    OffsetDateTime at = now();
    List<Object[]> adds = new ArrayList<>();
    List<Object[]> addHistory = new ArrayList<>();
    added.forEach((int p) -> {
      adds.add(new Object[] {code, p, at});
      addHistory.add(new Object[] {code, p, "added", source, at});
    });
    List<Object[]> removes = new ArrayList<>();
    List<Object[]> removeHistory = new ArrayList<>();
    removed.forEach((int p) -> {
      removes.add(new Object[] {code, p});
      removeHistory.add(new Object[] {code, p, "removed", source, at});
    });
    List<Integer> addedIds = new ArrayList<>();
    added.forEach((int p) -> addedIds.add(p));
    facts.touch(addedIds);
    template.batchUpdate("INSERT INTO segment_tag_member (tag_code, person_id, since) VALUES (?, ?, ?)", adds);
    template.batchUpdate("DELETE FROM segment_tag_member WHERE tag_code = ? AND person_id = ?", removes);
    template.batchUpdate("INSERT INTO segment_tag_history (tag_code, person_id, action, source, changed_at) VALUES (?, ?, ?, ?, ?)", addHistory);
    template.batchUpdate("INSERT INTO segment_tag_history (tag_code, person_id, action, source, changed_at) VALUES (?, ?, ?, ?, ?)", removeHistory);
    RoaringBitmap members = target.clone();
    index.afterCommit(i -> i.replaceTag(code, members));
    return new Change(added.getCardinality(), removed.getCardinality());
  }

  /** A person's tags now, with since when. */
  public record Held(String tag, String kind, Instant since) {}

  public List<Held> tagsOf(int person) {
    return jdbc.sql("""
        SELECT m.tag_code, t.kind, m.since FROM segment_tag_member m JOIN segment_tag t ON t.code = m.tag_code
        WHERE m.person_id = ? ORDER BY m.tag_code""")
        .param(person).query((rs, n) -> new Held(rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant()))
        .list();
  }

  /** One entry of a tag's history. */
  public record HistoryEntry(String tag, int personId, String action, String source, Instant at) {}

  public List<HistoryEntry> history(String tag, Integer person, int limit) {
    StringBuilder sql = new StringBuilder("SELECT tag_code, person_id, action, source, changed_at FROM segment_tag_history WHERE 1 = 1");
    List<Object> params = new ArrayList<>();
    if (tag != null) {
      sql.append(" AND tag_code = ?");
      params.add(tag);
    }
    if (person != null) {
      sql.append(" AND person_id = ?");
      params.add(person);
    }
    sql.append(" ORDER BY id DESC LIMIT ").append(Math.max(1, Math.min(limit, 1000)));
    return jdbc.sql(sql.toString()).params(params)
        .query((rs, n) -> new HistoryEntry(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
            rs.getObject(5, OffsetDateTime.class).toInstant()))
        .list();
  }

  private static boolean mentionsTag(Expression e, String code) {
    return switch (e) {
      case Expression.And a -> a.all().stream().anyMatch(x -> mentionsTag(x, code));
      case Expression.Or o -> o.any().stream().anyMatch(x -> mentionsTag(x, code));
      case Expression.Not n -> mentionsTag(n.expression(), code);
      case Expression.HasTag t -> t.tag().equals(code);
      default -> false;
    };
  }

  private OffsetDateTime now() {
    return clock.instant().atOffset(ZoneOffset.UTC);
  }
}
