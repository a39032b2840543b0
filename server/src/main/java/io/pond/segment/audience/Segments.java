package io.pond.segment.audience;

import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import io.pond.platform.security.DataScope;
import io.pond.platform.security.SalesChannels;
import io.pond.segment.expression.ExpressionJson;
import io.pond.segment.expression.domain.Evaluator;
import io.pond.segment.expression.domain.Expression;
import io.pond.segment.index.SegmentIndex;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.roaringbitmap.RoaringBitmap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * Saved segments (人群): definitions in {@code segment_definition}, evaluated on the bitmap index
 * whenever asked, so a count is always as current as the index. Also evaluates unsaved expressions
 * (preview) and the overlap between segments.
 */
@Component
public class Segments implements ExpressionJson.Vocabulary {

  public static final Pattern CODE = Pattern.compile("[a-z0-9][a-z0-9_:.-]{0,99}");

  private final JdbcClient jdbc;
  private final SegmentIndex index;
  private final Clock clock;
  private final Map<String, Expression> expressions = new ConcurrentHashMap<>();
  private volatile boolean loaded;

  Segments(JdbcClient jdbc, SegmentIndex index, Clock clock) {
    this.jdbc = jdbc;
    this.index = index;
    this.clock = clock;
  }

  /** A saved segment. */
  public record Segment(String code, String name, JsonNode expression, String createdBy, Instant createdAt, Instant updatedAt) {}

  public Segment create(String code, String name, JsonNode expression, String actor) {
    requireCode(code);
    if (find(code).isPresent()) {
      throw new PondException(ErrorCode.CONFLICT, "segment " + code + " exists already", "code");
    }
    Expression parsed = ExpressionJson.parse(expression, "/expression", this);
    refuseCycle(code, parsed);
    Instant now = clock.instant();
    jdbc.sql("INSERT INTO segment_definition (code, name, expression, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)")
        .params(code, name == null ? code : name, ExpressionJson.write(expression), actor, now.atOffset(ZoneOffset.UTC),
            now.atOffset(ZoneOffset.UTC))
        .update();
    expressions.put(code, parsed);
    return get(code);
  }

  public Segment update(String code, String name, JsonNode expression) {
    Segment existing = get(code);
    Expression parsed = ExpressionJson.parse(expression, "/expression", this);
    refuseCycle(code, parsed);
    jdbc.sql("UPDATE segment_definition SET name = ?, expression = ?, updated_at = ? WHERE code = ?")
        .params(name == null ? existing.name() : name, ExpressionJson.write(expression),
            clock.instant().atOffset(ZoneOffset.UTC), code)
        .update();
    expressions.put(code, parsed);
    return get(code);
  }

  @Transactional
  public void delete(String code) {
    get(code);
    List<String> users = list().stream().filter(s -> !s.code().equals(code))
        .filter(s -> references(parsed(s.code()), code)).map(Segment::code).toList();
    if (!users.isEmpty()) {
      throw new PondException(ErrorCode.CONFLICT, "segment " + code + " is used by " + users, "code");
    }
    jdbc.sql("DELETE FROM segment_definition WHERE code = ?").param(code).update();
    expressions.remove(code);
  }

  public Segment get(String code) {
    return find(code).orElseThrow(() -> PondException.notFound("segment", code));
  }

  public Optional<Segment> find(String code) {
    return jdbc.sql("SELECT code, name, expression, created_by, created_at, updated_at FROM segment_definition WHERE code = ?")
        .param(code).query((rs, n) -> row(rs)).optional();
  }

  public List<Segment> list() {
    return jdbc.sql("SELECT code, name, expression, created_by, created_at, updated_at FROM segment_definition ORDER BY code")
        .query((rs, n) -> row(rs)).list();
  }

  private static Segment row(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Segment(rs.getString(1), rs.getString(2), ExpressionJson.tree(rs.getString(3)), rs.getString(4),
        rs.getObject(5, java.time.OffsetDateTime.class).toInstant(), rs.getObject(6, java.time.OffsetDateTime.class).toInstant());
  }

  /** The parsed expression of a saved segment. */
  public Expression parsed(String code) {
    return stored(code).orElseThrow(() -> PondException.notFound("segment", code));
  }

  private Optional<Expression> stored(String code) {
    if (!loaded) {
      for (Segment s : list()) {
        expressions.putIfAbsent(s.code(), ExpressionJson.parseStored(ExpressionJson.write(s.expression()), this));
      }
      loaded = true;
    }
    return Optional.ofNullable(expressions.get(code));
  }

  /** The members of an expression now. */
  public RoaringBitmap evaluate(Expression expression) {
    stored(""); // load saved segments before taking the index's lock
    return index.read(i -> new Evaluator(i, index.today(), this::stored).evaluate(expression));
  }

  public RoaringBitmap members(String code) {
    return evaluate(parsed(code));
  }

  /** How many persons match an expression now (counted without building the members where it can). */
  public long count(Expression expression) {
    stored(""); // load saved segments before taking the index's lock
    return index.read(i -> new Evaluator(i, index.today(), this::stored).count(expression));
  }

  public long count(String code) {
    return count(parsed(code));
  }

  /** Up to {@code size} members chosen at random (seeded, so a repeat shows the same sample). */
  public static List<Integer> sample(RoaringBitmap members, int size, long seed) {
    int cardinality = members.getCardinality();
    List<Integer> out = new ArrayList<>();
    if (cardinality <= size) {
      members.forEach((int p) -> out.add(p));
      return out;
    }
    SplittableRandom random = new SplittableRandom(seed);
    Set<Integer> ranks = new HashSet<>();
    while (ranks.size() < size) {
      ranks.add(random.nextInt(cardinality));
    }
    ranks.stream().sorted().forEach(r -> out.add(members.select(r)));
    return out;
  }

  private void refuseCycle(String code, Expression expression) {
    Set<String> seen = new HashSet<>();
    List<String> stack = new ArrayList<>(List.of(code));
    if (references(expression, code)) {
      throw PondException.invalid("/expression", "segment " + code + " refers to itself");
    }
    List<String> pending = new ArrayList<>(referenced(expression));
    while (!pending.isEmpty()) {
      String next = pending.remove(pending.size() - 1);
      if (next.equals(code)) {
        throw PondException.invalid("/expression", "segment " + code + " refers to itself through " + stack);
      }
      if (seen.add(next)) {
        stack.add(next);
        stored(next).ifPresent(e -> pending.addAll(referenced(e)));
      }
    }
  }

  private static boolean references(Expression e, String code) {
    return referenced(e).contains(code);
  }

  static Set<String> referenced(Expression e) {
    Set<String> out = new HashSet<>();
    collect(e, out);
    return out;
  }

  private static void collect(Expression e, Set<String> out) {
    switch (e) {
      case Expression.And a -> a.all().forEach(x -> collect(x, out));
      case Expression.Or o -> o.any().forEach(x -> collect(x, out));
      case Expression.Not n -> collect(n.expression(), out);
      case Expression.InSegment s -> out.add(s.segment());
      default -> { }
    }
  }

  private static void requireCode(String code) {
    if (code == null || !CODE.matcher(code).matches()) {
      throw PondException.invalid("code", "a code of lower-case letters, digits, '_', ':', '.', '-' (at most 100)");
    }
  }

  // ---- vocabulary -----------------------------------------------------------------------------

  @Override
  public boolean tagExists(String tag) {
    return jdbc.sql("SELECT COUNT(*) FROM segment_tag WHERE code = ?").param(tag).query(Integer.class).single() > 0;
  }

  @Override
  public boolean segmentExists(String code) {
    return stored(code).isPresent();
  }

  @Override
  public List<String> channelTypes(String channel) {
    for (String spelling : SalesChannels.spellings(channel)) {
      List<String> types = index.properties().channels().get(spelling);
      if (types != null) {
        return types;
      }
    }
    return List.of();
  }

  /**
   * The expression as a caller sees it: for a caller limited to some channels, only the persons present
   * on them (holding an identifier of their types, as {@link io.pond.identity.PersonVisibility} rules).
   * Applied by the API to counts, samples and overlaps, never to what is stored (rule tags, audiences).
   */
  public static Expression scoped(Expression expression, DataScope scope) {
    if (!scope.isRestricted()) {
      return expression;
    }
    return new Expression.And(List.of(expression, new Expression.Channel("scope", List.copyOf(SalesChannels.identifierTypes(scope)))));
  }

  /** The persons a caller limited to some channels may see; empty (no restriction) for a caller who sees every channel. */
  public Optional<RoaringBitmap> visible(DataScope scope) {
    return scope.isRestricted() ? Optional.of(evaluate(scoped(new Expression.And(List.of()), scope))) : Optional.empty();
  }

  @Override
  public boolean propertyIndexed(String property) {
    return index.properties().indexedProperties().contains(property);
  }

  @Override
  public int maxDays() {
    return index.properties().retentionDays();
  }
}
