package io.pond.loyalty;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pond.loyalty.connect.domain.Signatures;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A channel on a local port, as member-connect sees it: a signed webhook receiver, a TOP gateway
 * (Tmall) and a 抖店 open API. Each checks the signature, applies a push once per idempotency key, and
 * can be told to fail the next N requests <em>after</em> applying them — a lost acknowledgement, the
 * case where only the idempotency key prevents a double apply.
 */
final class LocalChannel implements AutoCloseable {

  static final JsonMapper JSON = JsonMapper.builder().build();

  record Received(String path, String idempotencyKey, Map<String, String> params, JsonNode body) {}

  private final HttpServer server;
  private final String secret;
  final List<Received> received = Collections.synchronizedList(new ArrayList<>());
  final Set<String> applied = ConcurrentHashMap.newKeySet();
  final List<String> appliedInOrder = Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger failNext = new AtomicInteger();
  final AtomicInteger badSignatures = new AtomicInteger();

  LocalChannel(String secret) throws IOException {
    this.secret = secret;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/webhook", this::webhook);
    server.createContext("/top", this::top);
    server.createContext("/dd", this::doudian);
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private void webhook(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String signature = ex.getRequestHeaders().getFirst("X-Pond-Signature");
    long t = Long.parseLong(signature.substring(2, signature.indexOf(',')));
    if (!signature.equals(Signatures.webhook(t, body, secret))) {
      badSignatures.incrementAndGet();
      reply(ex, 401, "{\"error\":\"bad signature\"}");
      return;
    }
    String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
    receive(ex.getRequestURI().getPath(), key, Map.of(), JSON.readTree(body));
    reply(ex, 200, "{\"ok\":true}");
  }

  private void top(HttpExchange ex) throws IOException {
    Map<String, String> params = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    if (!params.get("sign").equals(Signatures.top(params, null, secret, params.get("sign_method")))) {
      badSignatures.incrementAndGet();
      reply(ex, 200, "{\"error_response\":{\"code\":25,\"msg\":\"Invalid signature\"}}");
      return;
    }
    receive("/top", ex.getRequestHeaders().getFirst("X-Pond-Idempotency-Key"), params, null);
    reply(ex, 200, "{\"" + params.get("method").replace('.', '_') + "_response\":{\"result\":{\"success\":true}}}");
  }

  private void doudian(HttpExchange ex) throws IOException {
    Map<String, String> query = form(ex.getRequestURI().getRawQuery());
    String paramJson = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String expected = Signatures.doudian(query.get("app_key"), query.get("method"), paramJson, query.get("timestamp"), query.get("v"), secret);
    if (!expected.equals(query.get("sign"))) {
      badSignatures.incrementAndGet();
      reply(ex, 200, "{\"code\":40004,\"msg\":\"sign error\"}");
      return;
    }
    receive(ex.getRequestURI().getPath(), ex.getRequestHeaders().getFirst("X-Pond-Idempotency-Key"), query, JSON.readTree(paramJson));
    reply(ex, 200, "{\"code\":10000,\"msg\":\"success\"}");
  }

  /** Applies once per key; then, if told to, loses the acknowledgement. */
  private void receive(String path, String key, Map<String, String> params, JsonNode body) throws IOException {
    received.add(new Received(path, key, params, body));
    if (applied.add(key)) {
      appliedInOrder.add(key);
    }
  }

  private void reply(HttpExchange ex, int status, String json) throws IOException {
    if (status == 200 && failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      status = 503;
      json = "{\"error\":\"try again\"}";
    }
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  static Map<String, String> form(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    if (text == null || text.isEmpty()) {
      return out;
    }
    for (String pair : text.split("&")) {
      int eq = pair.indexOf('=');
      out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  List<Received> to(String path) {
    synchronized (received) {
      return received.stream().filter(r -> r.path().startsWith(path)).toList();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
