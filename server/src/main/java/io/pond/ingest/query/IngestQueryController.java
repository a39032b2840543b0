package io.pond.ingest.query;

import io.pond.ingest.EventEnvelope;
import io.pond.ingest.log.EventPii;
import io.pond.platform.apikey.ApiKeys;
import io.pond.platform.apikey.domain.ApiKey;
import io.pond.platform.errors.PondException;
import io.pond.platform.security.CurrentCaller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Events by identifier, dead letters and per-source statistics, for operators. */
@RestController
@Tag(name = "Ingestion: events and statistics")
class IngestQueryController {

  static final int MAX_PAGE_SIZE = 500;

  private final IngestQueries queries;
  private final ApiKeys keys;
  private final EventPii pii;

  IngestQueryController(IngestQueries queries, ApiKeys keys, EventPii pii) {
    this.queries = queries;
    this.keys = keys;
    this.pii = pii;
  }

  @Operation(summary = "Events that carry an identifier (type, scope, value), newest first; personal data masked"
      + " unless the caller may see it (admin)")
  @GetMapping("/api/v1/events")
  IngestQueries.Page<EventEnvelope> events(
      @RequestParam String type,
      @RequestParam(required = false, defaultValue = "") String scope,
      @RequestParam String value,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    checkPage(page, size);
    IngestQueries.Page<EventEnvelope> found = queries.eventsByIdentifier(type, scope, value, page, size);
    return CurrentCaller.maySeePii() ? found : found.map(pii::masked);
  }

  @Operation(summary = "Records refused inside accepted requests, with the reason and the raw record (admins only:"
      + " it may hold personal data), newest first")
  @GetMapping("/api/v1/ingest/dead-letters")
  IngestQueries.Page<IngestQueries.DeadLetterView> deadLetters(
      @RequestParam(required = false) Long source,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    checkPage(page, size);
    IngestQueries.Page<IngestQueries.DeadLetterView> found = queries.deadLetters(source, page, size);
    return CurrentCaller.maySeePii() ? found : found.map(IngestQueries.DeadLetterView::withoutRaw);
  }

  /** One source's counts, with its name. */
  record SourceStatsView(
      long sourceId, String source, long accepted, long deduplicated, long rejected, Map<String, Long> rejectedByReason) {}

  @Operation(summary = "Per-source counts of accepted, deduplicated and rejected (by reason) events")
  @GetMapping("/api/v1/ingest/stats")
  List<SourceStatsView> stats() {
    Map<Long, String> names =
        keys.sources().stream().collect(Collectors.toMap(ApiKey.Source::id, ApiKey.Source::name, (a, b) -> a));
    return queries.stats().stream()
        .map(s -> new SourceStatsView(s.sourceId(), names.getOrDefault(s.sourceId(), "?"), s.accepted(),
            s.deduplicated(), s.rejected(), s.rejectedByReason()))
        .toList();
  }

  private static void checkPage(int page, int size) {
    if (page < 0) {
      throw PondException.invalid("page", "page must be 0 or more");
    }
    if (size < 1 || size > MAX_PAGE_SIZE) {
      throw PondException.invalid("size", "size must be between 1 and " + MAX_PAGE_SIZE);
    }
  }
}
