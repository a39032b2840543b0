package io.pond.loyalty.connect;

import io.pond.loyalty.connect.domain.Signatures;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One outbox row as the channel's own request, and whether the channel's answer acknowledged it. The
 * shapes are kept here, one method per channel, so they can be corrected in one place:
 *
 * <ul>
 *   <li>Tmall member-connect: TOP form POST, {@code tmall.mei.crm.member.sync.privy} (state) and
 *       {@code tmall.mei.crm.callback.point.change} (answer to a point-change message); an answer
 *       with {@code error_response} is a failure.
 *   <li>抖店: {@code /member/batchUpdate} with {@code member_info_list[{open_id, mobile, level,
 *       integral, unbind}]} as {@code param_json}; {@code code} 10000 is success.
 *   <li>Webhook: JSON, {@code Idempotency-Key} and {@code X-Pond-Signature} headers; any 2xx.
 * </ul>
 *
 * Every request also carries {@code X-Pond-Idempotency-Key}: a retry is the same request again.
 */
final class ChannelRequests {

  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
  private static final DateTimeFormatter PLATFORM_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private ChannelRequests() {}

  /** An outbox row with what the request needs to know about its binding. */
  record Push(
      long id, String kind, long seq, long points, long growth, int tierLevel, String tierCode, String recordId, String resultCode,
      String idempotencyKey, String program, String channel, String shop, String channelMemberId, Integer personId, String mobile) {}

  static HttpRequest build(Connectors.Connector c, Push p, Clock clock, Duration timeout) {
    HttpRequest.Builder builder =
        switch (c.kind()) {
          case "tmall" -> tmall(c, p, clock);
          case "doudian" -> doudian(c, p, clock);
          case "webhook" -> webhook(c, p, clock);
          default -> throw new IllegalStateException("unknown connector kind " + c.kind());
        };
    return builder.timeout(timeout).header("X-Pond-Idempotency-Key", p.idempotencyKey()).build();
  }

  private static HttpRequest.Builder tmall(Connectors.Connector c, Push p, Clock clock) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("app_key", c.appKey());
    params.put("format", "json");
    params.put("v", "2.0");
    params.put("sign_method", "hmac-sha256");
    params.put("timestamp", PLATFORM_TIME.format(clock.instant().atZone(CHINA)));
    if (c.accessToken() != null) {
      params.put("session", c.accessToken());
    }
    if (p.kind().equals("POINT_CALLBACK")) {
      params.put("method", "tmall.mei.crm.callback.point.change");
      params.put("record_id", p.recordId());
      params.put("result", Boolean.toString("true".equals(p.resultCode())));
      params.put("point", Long.toString(p.points()));
      if (!"true".equals(p.resultCode())) {
        params.put("error_code", p.resultCode());
      }
    } else {
      params.put("method", "tmall.mei.crm.member.sync.privy");
      params.put("ouid", p.channelMemberId());
      if (p.mobile() != null) {
        params.put("mobile", p.mobile());
      }
      params.put("point", Long.toString(p.points()));
      params.put("level", Integer.toString(p.tierLevel()));
      params.put("level_point", Long.toString(p.growth()));
      params.put("version", Long.toString(p.seq()));
    }
    params.put("sign", Signatures.top(params, null, c.secret(), "hmac-sha256"));
    return HttpRequest.newBuilder(URI.create(c.endpoint()))
        .header("Content-Type", "application/x-www-form-urlencoded;charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(form(params)));
  }

  private static HttpRequest.Builder doudian(Connectors.Connector c, Push p, Clock clock) {
    Map<String, Object> member = new TreeMap<>();
    member.put("open_id", p.channelMemberId());
    if (p.mobile() != null) {
      member.put("mobile", p.mobile());
    }
    member.put("level", p.tierLevel());
    member.put("integral", p.points());
    member.put("unbind", p.kind().equals("UNBIND") ? 1 : 0);
    String paramJson = JSON.writeValueAsString(Map.of("member_info_list", List.of(member)));
    String timestamp = PLATFORM_TIME.format(clock.instant().atZone(CHINA));
    String method = "member.batchUpdate";
    Map<String, String> query = new LinkedHashMap<>();
    query.put("app_key", c.appKey());
    query.put("method", method);
    if (c.accessToken() != null) {
      query.put("access_token", c.accessToken());
    }
    query.put("timestamp", timestamp);
    query.put("v", "2");
    query.put("sign_method", "hmac-sha256");
    query.put("sign", Signatures.doudian(c.appKey(), method, paramJson, timestamp, "2", c.secret()));
    String base = c.endpoint().endsWith("/") ? c.endpoint().substring(0, c.endpoint().length() - 1) : c.endpoint();
    return HttpRequest.newBuilder(URI.create(base + "/member/batchUpdate?" + form(query)))
        .header("Content-Type", "application/json;charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(paramJson));
  }

  private static HttpRequest.Builder webhook(Connectors.Connector c, Push p, Clock clock) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", p.kind().equals("UNBIND") ? "member.unbound" : "member.state");
    body.put("idempotencyKey", p.idempotencyKey());
    body.put("program", p.program());
    body.put("channel", p.channel());
    body.put("shop", p.shop());
    body.put("channelMemberId", p.channelMemberId());
    body.put("personId", p.personId());
    body.put("points", p.points());
    body.put("growth", p.growth());
    body.put("tier", p.tierCode());
    body.put("tierLevel", p.tierLevel());
    body.put("seq", p.seq());
    body.put("at", clock.instant().toString());
    String json = JSON.writeValueAsString(body);
    return HttpRequest.newBuilder(URI.create(c.endpoint()))
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", p.idempotencyKey())
        .header("X-Pond-Signature", Signatures.webhook(clock.instant().getEpochSecond(), json, c.secret()))
        .POST(HttpRequest.BodyPublishers.ofString(json));
  }

  /** Why the channel did not acknowledge, or empty when it did. */
  static Optional<String> failure(String kind, HttpResponse<String> response) {
    if (response.statusCode() < 200 || response.statusCode() >= 300) {
      return Optional.of("HTTP " + response.statusCode() + ": " + abbreviate(response.body()));
    }
    if (kind.equals("webhook")) {
      return Optional.empty();
    }
    JsonNode answer;
    try {
      answer = JSON.readTree(response.body() == null ? "" : response.body());
    } catch (JacksonException e) {
      return Optional.of("unreadable answer: " + abbreviate(response.body()));
    }
    if (answer == null || answer.isMissingNode() || answer.isNull()) {
      return Optional.of("empty answer");
    }
    if (kind.equals("tmall")) {
      return answer.has("error_response") ? Optional.of("TOP error: " + abbreviate(answer.get("error_response").toString())) : Optional.empty();
    }
    JsonNode code = answer.get("code");
    return code != null && code.asLong() == 10000 ? Optional.empty() : Optional.of("抖店 error: " + abbreviate(answer.toString()));
  }

  static String form(Map<String, String> params) {
    return params.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  static String abbreviate(String text) {
    if (text == null) {
      return "";
    }
    return text.length() <= 300 ? text : text.substring(0, 297) + "…";
  }
}
