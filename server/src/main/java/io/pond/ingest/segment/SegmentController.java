package io.pond.ingest.segment;

import io.pond.ingest.envelope.domain.IngestLimits;
import io.pond.ingest.intake.Intake;
import io.pond.ingest.intake.Parsed;
import io.pond.ingest.intake.RecordException;
import io.pond.ingest.intake.RequestBodies;
import io.pond.ingest.intake.Source;
import io.pond.ingest.intake.WriteKeys;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Segment HTTP Tracking API, as spoken by Segment's and RudderStack's SDKs: {@code /v1/<type>}
 * for one message, {@code /v1/batch} and {@code /v1/import} for many. Served by
 * {@link SegmentServlet} (outside Spring MVC, for speed); this controller documents the API and
 * answers the same way.
 */
@RestController
@Tag(name = "Ingestion: Segment API")
class SegmentController {

  private final Intake intake;
  private final WriteKeys writeKeys;
  private final SegmentBody reader;
  private final SegmentMapper mapper;
  private final Clock clock;
  private final IngestLimits limits = IngestLimits.SEGMENT;

  SegmentController(Intake intake, WriteKeys writeKeys, JsonMapper json, Clock clock) {
    this.intake = intake;
    this.writeKeys = writeKeys;
    this.reader = new SegmentBody(json);
    this.mapper = new SegmentMapper();
    this.clock = clock;
  }

  @Operation(summary = "Receive Segment messages: identify, track, page, screen, group, alias, batch, import")
  @PostMapping({"/v1/{type:identify|track|page|screen|group|alias|batch|import}",
      "/v1/{type:identify|track|page|screen|group|alias|batch|import}/"})
  Map<String, Object> receive(@PathVariable String type, HttpServletRequest request) {
    return handle(type, request);
  }

  /** Handles one Segment request; the answer is serialized as JSON, a PondException as problem+json. */
  Map<String, Object> handle(String type, HttpServletRequest request) {
    Instant receivedAt = clock.instant();
    byte[] body = RequestBodies.read(request, limits);
    boolean batch = type.equals("batch") || type.equals("import");
    // PERF: streamed straight into plain values, no JsonNode tree (see SegmentBody).
    SegmentBody.Read read = reader.read(body, batch);
    Map<String, Object> root = read.top();
    String key = WriteKeys.fromBasic(request.getHeader(HttpHeaders.AUTHORIZATION));
    if (key == null) {
      key = SegmentMapper.text(root, "writeKey");
    }
    Source source = writeKeys.authenticate(key);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("success", true);
    if (!batch) {
      root.remove("writeKey");
      if (limits.checkEvent(body.length).isPresent()) {
        throw new PondException(
            ErrorCode.PAYLOAD_TOO_LARGE, "an event may be at most " + limits.maxEventBytes() + " bytes");
      }
      Parsed parsed = mapper.map(0, root, reader.rawMessage(body), type, SegmentMapper.Defaults.none(), source.id(),
          receivedAt);
      Intake.Result result = intake.take(source, "segment", receivedAt, List.of(parsed), false);
      if (!result.rejected().isEmpty()) {
        Parsed.Refused r = result.rejected().getFirst();
        throw new PondException(ErrorCode.VALIDATION_FAILED, r.rejection().detail(), r.rejection().field());
      }
      answer.put("deduplicated", result.deduplicated() > 0);
      return answer;
    }
    List<SegmentBody.Item> items = read.items();
    if (items == null) {
      throw PondException.invalid("batch", "a batch request needs a 'batch' array");
    }
    if (items.size() > limits.maxBatchEvents()) {
      throw new PondException(
          ErrorCode.PAYLOAD_TOO_LARGE,
          "a batch may hold at most " + limits.maxBatchEvents() + " events (had " + items.size() + ")",
          "batch");
    }
    SegmentMapper.Defaults defaults;
    try {
      defaults = new SegmentMapper.Defaults(SegmentMapper.map(root, "context"), root.get("integrations"),
          SegmentMapper.instant(root, "sentAt"));
    } catch (RecordException e) {
      throw PondException.invalid(e.rejection().field(), e.rejection().detail());
    }
    List<Parsed> parsed = new ArrayList<>(items.size());
    int i = 0;
    for (SegmentBody.Item item : items) {
      parsed.add(mapper.map(i++, item.value(), item.raw(), null, defaults, source.id(), receivedAt));
    }
    Intake.Result result = intake.take(source, "segment", receivedAt, parsed, false);
    answer.put("accepted", result.accepted());
    answer.put("deduplicated", result.deduplicated());
    answer.put("rejected", result.rejected().stream().map(SegmentController::report).toList());
    return answer;
  }

  static Map<String, Object> report(Parsed.Refused r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("index", r.index());
    m.put("reason", r.rejection().reason());
    if (r.rejection().field() != null) {
      m.put("field", r.rejection().field());
    }
    m.put("detail", r.rejection().detail());
    return m;
  }
}
