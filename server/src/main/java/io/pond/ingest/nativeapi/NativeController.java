package io.pond.ingest.nativeapi;

import io.pond.ingest.EventEnvelope;
import io.pond.ingest.LinkKind;
import io.pond.ingest.envelope.domain.ClockSkew;
import io.pond.ingest.envelope.domain.IngestLimits;
import io.pond.ingest.envelope.domain.Rejection;
import io.pond.ingest.intake.Intake;
import io.pond.ingest.intake.JsonFields;
import io.pond.ingest.intake.Parsed;
import io.pond.ingest.intake.RecordException;
import io.pond.ingest.intake.RequestBodies;
import io.pond.ingest.intake.Source;
import io.pond.ingest.intake.WriteKeys;
import io.pond.platform.Identifier;
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
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pond's native batch: every record states its identifiers as typed {@code {type, scope, value}}
 * (e.g. a WeChat openid with its appid as scope) and, when it links identities, how. Authenticated
 * by write key like the peer protocols.
 *
 * <pre>{"batch":[{"messageId":"…","type":"track","event":"Paid","timestamp":"…",
 *   "identifiers":[{"type":"wechat_openid","scope":"wx123","value":"o-1"}],
 *   "link":"together","previous":null,"properties":{},"traits":{},"context":{}}],"sentAt":"…"}</pre>
 */
@RestController
@Tag(name = "Ingestion: native")
class NativeController {

  private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]{0,49}");
  private static final int MAX_ID = 255;

  private final Intake intake;
  private final WriteKeys writeKeys;
  private final JsonMapper json;
  private final JsonFields fields;
  private final Clock clock;
  private final IngestLimits limits = IngestLimits.SEGMENT;

  NativeController(Intake intake, WriteKeys writeKeys, JsonMapper json, Clock clock) {
    this.intake = intake;
    this.writeKeys = writeKeys;
    this.json = json;
    this.fields = new JsonFields(json);
    this.clock = clock;
  }

  @Operation(summary = "Receive events with typed identifiers (type, scope, value); write key by HTTP Basic or writeKey")
  @PostMapping({"/v1/native/batch", "/v1/native/batch/"})
  Map<String, Object> batch(HttpServletRequest request) {
    Instant receivedAt = clock.instant();
    byte[] body = RequestBodies.read(request, limits);
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (JacksonException e) {
      throw new PondException(ErrorCode.MALFORMED_REQUEST, "the body is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new PondException(ErrorCode.MALFORMED_REQUEST, "the body must be a JSON object");
    }
    String key = WriteKeys.fromBasic(request.getHeader(HttpHeaders.AUTHORIZATION));
    Source source = writeKeys.authenticate(key != null ? key : fields.text(root, "writeKey"));
    JsonNode items = root.get("batch");
    if (items == null || !items.isArray()) {
      throw PondException.invalid("batch", "the body needs a 'batch' array");
    }
    if (items.size() > limits.maxBatchEvents()) {
      throw new PondException(ErrorCode.PAYLOAD_TOO_LARGE, "at most " + limits.maxBatchEvents() + " events per batch", "batch");
    }
    Instant sentAt;
    try {
      sentAt = fields.instant(root, "sentAt");
    } catch (RecordException e) {
      throw PondException.invalid("sentAt", e.rejection().detail());
    }
    List<Parsed> parsed = new ArrayList<>();
    int i = 0;
    for (JsonNode item : items.values()) {
      int index = i++;
      try {
        if (!item.isObject()) {
          throw RecordException.invalid("type", "each record must be an object");
        }
        parsed.add(new Parsed.Valid(index, envelope(item, source.id(), sentAt, receivedAt), () -> fields.write(item)));
      } catch (RecordException e) {
        parsed.add(new Parsed.Refused(index, e.rejection(), fields.write(item)));
      }
    }
    Intake.Result result = intake.take(source, "native", receivedAt, parsed, false);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("success", true);
    answer.put("accepted", result.accepted());
    answer.put("deduplicated", result.deduplicated());
    answer.put("rejected", result.rejected().stream().map(r -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("index", r.index());
      m.put("reason", r.rejection().reason());
      if (r.rejection().field() != null) {
        m.put("field", r.rejection().field());
      }
      m.put("detail", r.rejection().detail());
      return m;
    }).toList());
    return answer;
  }

  private EventEnvelope envelope(JsonNode r, long sourceId, Instant sentAt, Instant receivedAt) {
    String messageId = fields.text(r, "messageId");
    if (messageId == null || messageId.length() > 100) {
      throw RecordException.invalid("messageId", "messageId is required (at most 100 characters)");
    }
    String type = fields.text(r, "type");
    if (type == null || !TYPE.matcher(type).matches()) {
      throw RecordException.invalid("type", "type is required: lower snake case, e.g. track or identify");
    }
    String event = fields.text(r, "event");
    if ("track".equals(type) && event == null) {
      throw RecordException.invalid("event", "a track record needs an event name");
    }
    LinkKind link;
    String linkText = fields.text(r, "link");
    try {
      link = linkText == null ? LinkKind.TOGETHER : LinkKind.valueOf(linkText.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw RecordException.invalid("link", "link must be together, alias, signup, bind or unbind");
    }
    List<Identifier> identifiers = new ArrayList<>();
    JsonNode ids = r.get("identifiers");
    if (ids == null || !ids.isArray() || ids.isEmpty()) {
      throw new RecordException(new Rejection(Rejection.MISSING_IDENTIFIER, "identifiers", "at least one identifier is required"));
    }
    int n = 0;
    for (JsonNode id : ids.values()) {
      identifiers.add(identifier(id, "identifiers[" + n++ + "]"));
    }
    JsonNode previousNode = r.get("previous");
    Identifier previous = previousNode == null || previousNode.isNull() ? null : identifier(previousNode, "previous");
    if ((link == LinkKind.ALIAS || link == LinkKind.SIGNUP) && previous == null) {
      throw RecordException.invalid("previous", "an " + link.name().toLowerCase(Locale.ROOT) + " needs the previous identifier");
    }
    if (link == LinkKind.BIND && identifiers.size() < 2) {
      throw RecordException.invalid("identifiers", "a bind needs at least two identifiers");
    }
    Instant when = ClockSkew.corrected(fields.instant(r, "timestamp"), sentAt, receivedAt);
    return new EventEnvelope(
        0, sourceId, messageId, "native", type, event, when, receivedAt, identifiers, link, previous,
        fields.map(r, "properties"), fields.map(r, "traits"), fields.map(r, "context"));
  }

  private Identifier identifier(JsonNode node, String field) {
    if (!node.isObject()) {
      throw RecordException.invalid(field, field + " must be {type, scope, value}");
    }
    String type = fields.text(node, "type");
    String value = fields.text(node, "value");
    if (type == null || !TYPE.matcher(type).matches()) {
      throw RecordException.invalid(field + ".type", "identifier types are lower snake case, e.g. wechat_openid");
    }
    if (value == null || value.length() > MAX_ID) {
      throw RecordException.invalid(field + ".value", "an identifier value is required (at most " + MAX_ID + " characters)");
    }
    return new Identifier(type, fields.text(node, "scope"), value);
  }
}
