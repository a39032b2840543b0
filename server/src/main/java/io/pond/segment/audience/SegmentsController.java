package io.pond.segment.audience;

import io.pond.platform.audit.AuditLog;
import io.pond.platform.errors.PondException;
import io.pond.platform.security.Actors;
import io.pond.platform.security.CurrentCaller;
import io.pond.segment.expression.ExpressionJson;
import io.pond.segment.expression.domain.Expression;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.roaringbitmap.RoaringBitmap;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/segments")
@Tag(name = "Segments", description = "Segments (人群) as JSON expressions over tags, traits, metrics, tier, channels, consents, "
    + "behaviour and orders, evaluated on in-memory bitmaps: counts, overlap, samples")
class SegmentsController {

  static final String READERS = "hasAnyRole('ADMIN','OPERATOR','ANALYST')";
  static final String WRITERS = "hasAnyRole('ADMIN','OPERATOR')";

  private final Segments segments;
  private final AuditLog audit;

  SegmentsController(Segments segments, AuditLog audit) {
    this.segments = segments;
    this.audit = audit;
  }

  record SegmentRequest(String code, String name, JsonNode expression) {}

  record PreviewRequest(JsonNode expression, Integer sample) {}

  record SegmentView(String code, String name, JsonNode expression, long count, String createdBy, Instant createdAt,
      Instant updatedAt, double tookMs) {}

  record CountView(long count, List<Integer> sample, double tookMs) {}

  record OverlapRequest(List<String> segments) {}

  record OverlapView(Map<String, Long> counts, List<Pair> pairs, long union, long all, double tookMs) {
    record Pair(String a, String b, long both) {}
  }

  private SegmentView view(Segments.Segment s) {
    long started = System.nanoTime();
    long count = segments.count(scoped(segments.parsed(s.code())));
    return new SegmentView(s.code(), s.name(), s.expression(), count, s.createdBy(), s.createdAt(), s.updatedAt(),
        (System.nanoTime() - started) / 1e6);
  }

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize(WRITERS)
  @Transactional
  @Operation(summary = "Save a segment; the expression is validated (problem+json field = JSON pointer of the bad node)")
  SegmentView create(@RequestBody SegmentRequest request) {
    requireExpression(request.expression());
    Segments.Segment s = segments.create(request.code(), request.name(), request.expression(), Actors.current());
    audit.record(Actors.current(), "segment.created", "segment:" + s.code(), ExpressionJson.write(request.expression()));
    return view(s);
  }

  @PutMapping("/{code}")
  @PreAuthorize(WRITERS)
  @Transactional
  @Operation(summary = "Change a segment's name or expression")
  SegmentView update(@PathVariable String code, @RequestBody SegmentRequest request) {
    requireExpression(request.expression());
    Segments.Segment s = segments.update(code, request.name(), request.expression());
    audit.record(Actors.current(), "segment.updated", "segment:" + code, ExpressionJson.write(request.expression()));
    return view(s);
  }

  @DeleteMapping("/{code}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @PreAuthorize(WRITERS)
  @Transactional
  @Operation(summary = "Delete a segment that no other segment uses")
  void delete(@PathVariable String code) {
    segments.delete(code);
    audit.record(Actors.current(), "segment.deleted", "segment:" + code, "");
  }

  @GetMapping
  @Operation(summary = "Every segment with its current count")
  List<SegmentView> list() {
    return segments.list().stream().map(this::view).toList();
  }

  @GetMapping("/{code}")
  @Operation(summary = "A segment with its current count and the time the count took")
  SegmentView get(@PathVariable String code) {
    return view(segments.get(code));
  }

  @GetMapping("/{code}/sample")
  @PreAuthorize(READERS)
  @Operation(summary = "Up to `size` members (person ids) chosen at random")
  CountView sample(@PathVariable String code, @RequestParam(defaultValue = "20") int size) {
    long started = System.nanoTime();
    RoaringBitmap members = segments.evaluate(scoped(segments.parsed(code)));
    return new CountView(members.getLongCardinality(), Segments.sample(members, clamp(size), code.hashCode()),
        (System.nanoTime() - started) / 1e6);
  }

  @PostMapping("/preview")
  @PreAuthorize(READERS)
  @Operation(summary = "Count (and sample) an unsaved expression")
  CountView preview(@RequestBody PreviewRequest request) {
    requireExpression(request.expression());
    long started = System.nanoTime();
    Expression expression = scoped(ExpressionJson.parse(request.expression(), "/expression", segments));
    int size = request.sample() == null ? 0 : clamp(request.sample());
    if (size == 0) { // a count alone is counted without building the members
      return new CountView(segments.count(expression), List.of(), (System.nanoTime() - started) / 1e6);
    }
    RoaringBitmap members = segments.evaluate(expression);
    return new CountView(members.getLongCardinality(), Segments.sample(members, size, 42), (System.nanoTime() - started) / 1e6);
  }

  @PostMapping("/overlap")
  @Operation(summary = "Counts of several segments, of every pair's intersection and of their union")
  OverlapView overlap(@RequestBody OverlapRequest request) {
    if (request.segments() == null || request.segments().size() < 2 || request.segments().size() > 20) {
      throw PondException.invalid("segments", "name 2-20 segments");
    }
    long started = System.nanoTime();
    Map<String, RoaringBitmap> members = new LinkedHashMap<>();
    for (int i = 0; i < request.segments().size(); i++) {
      String code = request.segments().get(i);
      if (segments.find(code).isEmpty()) {
        throw PondException.invalid("/segments/" + i, "no segment '" + code + "'");
      }
      members.put(code, segments.evaluate(scoped(segments.parsed(code))));
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    members.forEach((k, v) -> counts.put(k, v.getLongCardinality()));
    List<OverlapView.Pair> pairs = new ArrayList<>();
    List<String> codes = new ArrayList<>(members.keySet());
    RoaringBitmap union = new RoaringBitmap();
    for (int i = 0; i < codes.size(); i++) {
      union.or(members.get(codes.get(i)));
      for (int j = i + 1; j < codes.size(); j++) {
        pairs.add(new OverlapView.Pair(codes.get(i), codes.get(j),
            RoaringBitmap.andCardinality(members.get(codes.get(i)), members.get(codes.get(j)))));
      }
    }
    long all = segments.count(scoped(new Expression.And(List.of())));
    return new OverlapView(counts, pairs, union.getLongCardinality(), all, (System.nanoTime() - started) / 1e6);
  }

  /** Counts, samples and overlaps cover only the persons the caller's channels may see. */
  private static Expression scoped(Expression expression) {
    return Segments.scoped(expression, CurrentCaller.channels());
  }

  static void requireExpression(JsonNode expression) {
    if (expression == null || expression.isNull()) {
      throw PondException.invalid("/expression", "an expression is required");
    }
  }

  private static int clamp(int size) {
    if (size < 0 || size > 1000) {
      throw PondException.invalid("size", "0-1000");
    }
    return size;
  }
}
