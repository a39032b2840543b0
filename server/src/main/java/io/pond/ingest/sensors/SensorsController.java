package io.pond.ingest.sensors;

import io.pond.ingest.envelope.domain.IngestLimits;
import io.pond.ingest.intake.Intake;
import io.pond.ingest.intake.JsonFields;
import io.pond.ingest.intake.Parsed;
import io.pond.ingest.intake.Source;
import io.pond.ingest.intake.WriteKeys;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import io.pond.platform.errors.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sensors Data (神策) ingestion at {@code /sa}: form fields {@code data} (one record) or
 * {@code data_list} (an array), base64, gzip-compressed when {@code gzip=1}; {@code GET /sa.gif} for
 * single web events. The {@code token} parameter carries a write key. Debug mode ({@code /sa/debug},
 * {@code /debug}) refuses a request with any bad record, and {@code Dry-Run: true} only validates.
 */
@RestController
@Tag(name = "Ingestion: Sensors Data")
class SensorsController {

  private final Intake intake;
  private final WriteKeys writeKeys;
  private final JsonMapper json;
  private final SensorsMapper mapper;
  private final Clock clock;
  private final IngestLimits limits = IngestLimits.SEGMENT;

  SensorsController(Intake intake, WriteKeys writeKeys, JsonMapper json, Clock clock) {
    this.intake = intake;
    this.writeKeys = writeKeys;
    this.json = json;
    this.mapper = new SensorsMapper(new JsonFields(json));
    this.clock = clock;
  }

  @Operation(summary = "Receive Sensors Data records (form fields data / data_list, gzip=0|1)")
  @RequestMapping(path = {"/sa", "/sa/", "/sa.gif"}, method = {RequestMethod.POST, RequestMethod.GET})
  ResponseEntity<?> receive(HttpServletRequest request) {
    return handle(request, false);
  }

  @Operation(summary = "Sensors Data debug mode: any bad record refuses the request; Dry-Run: true only validates")
  @RequestMapping(path = {"/sa/debug", "/debug"}, method = {RequestMethod.POST, RequestMethod.GET})
  ResponseEntity<?> debug(HttpServletRequest request) {
    return handle(request, true);
  }

  private ResponseEntity<?> handle(HttpServletRequest request, boolean debug) {
    Instant receivedAt = clock.instant();
    if (request.getContentLengthLong() > limits.maxBatchBytes() * 2L) { // base64 inflates by a third
      throw new PondException(ErrorCode.PAYLOAD_TOO_LARGE, "the request body is larger than the limit");
    }
    Source source = writeKeys.authenticate(request.getParameter("token"));
    String project = request.getParameter("project");
    boolean gzip = "1".equals(request.getParameter("gzip"));
    boolean dryRun = "true".equalsIgnoreCase(request.getHeader("Dry-Run"));
    JsonNode records;
    String dataList = request.getParameter("data_list");
    String data = request.getParameter("data");
    if (dataList != null) {
      records = decode("data_list", dataList, gzip);
    } else if (data != null) {
      records = decode("data", data, gzip);
    } else {
      throw PondException.invalid("data", "send the records as 'data' or 'data_list'");
    }
    List<JsonNode> items = new ArrayList<>();
    if (records.isArray()) {
      records.values().forEach(items::add);
    } else {
      items.add(records);
    }
    if (items.size() > limits.maxBatchEvents()) {
      throw new PondException(
          ErrorCode.PAYLOAD_TOO_LARGE, "at most " + limits.maxBatchEvents() + " records per request", "data_list");
    }
    List<Parsed> parsed = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      parsed.add(mapper.map(i, items.get(i), project, source.id(), receivedAt));
    }
    Optional<Parsed.Refused> refused = debug ? intake.firstRefusal(source, parsed) : Optional.empty();
    if (refused.isPresent()) {
      Parsed.Refused r = refused.get();
      ProblemDetail problem = Problems.of(ErrorCode.VALIDATION_FAILED, r.rejection().detail(), r.rejection().field());
      problem.setProperty("reason", r.rejection().reason());
      problem.setProperty("index", r.index());
      return ResponseEntity.badRequest().body(problem);
    }
    Intake.Result result = intake.take(source, "sensors", receivedAt, parsed, dryRun);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("code", 0);
    answer.put("dryRun", dryRun);
    answer.put("accepted", result.accepted());
    answer.put("deduplicated", result.deduplicated());
    answer.put("rejected", result.rejected().size());
    return ResponseEntity.ok(answer);
  }

  private JsonNode decode(String field, String value, boolean gzip) {
    byte[] bytes;
    String trimmed = value.trim();
    if (!gzip && (trimmed.startsWith("{") || trimmed.startsWith("["))) {
      bytes = trimmed.getBytes(java.nio.charset.StandardCharsets.UTF_8); // plain JSON, as some web SDK builds send
    } else {
      try {
        bytes = Base64.getMimeDecoder().decode(trimmed.replace(' ', '+'));
      } catch (IllegalArgumentException e) {
        throw new PondException(ErrorCode.MALFORMED_REQUEST, field + " is not base64", field);
      }
      if (gzip) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
          bytes = in.readNBytes(limits.maxBatchBytes() + 1);
        } catch (IOException e) {
          throw new PondException(ErrorCode.MALFORMED_REQUEST, field + " is not gzip (gzip=1)", field);
        }
      }
    }
    if (bytes.length > limits.maxBatchBytes()) {
      throw new PondException(
          ErrorCode.PAYLOAD_TOO_LARGE, "the records are larger than " + limits.maxBatchBytes() + " bytes", field);
    }
    try {
      return json.readTree(bytes);
    } catch (JacksonException e) {
      throw new PondException(ErrorCode.MALFORMED_REQUEST, field + " is not JSON: " + e.getOriginalMessage(), field);
    }
  }
}
