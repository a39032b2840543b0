package io.pond.commerce;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.support.Http;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.event.EventListener;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Orders end to end over HTTP: channel hooks with their signatures, the POS API, imports, queries, dead letters, events. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "POND_ADMIN_PASSWORD=correct-horse")
class CommerceApiTest {

  static final String ADMIN = Http.basic("admin", "correct-horse");
  static final String SECRET = "shop-secret-123";
  static final JsonMapper JSON = JsonMapper.builder().build();

  @LocalServerPort int port;
  Http http;
  final HttpClient client = HttpClient.newHttpClient();

  /** Records the module events, whatever thread published them. */
  @TestConfiguration
  static class EventsSeen {
    final ConcurrentLinkedQueue<Object> events = new ConcurrentLinkedQueue<>();

    @EventListener
    void on(OrderPlaced e) {
      events.add(e);
    }

    @EventListener
    void on(OrderPaid e) {
      events.add(e);
    }

    @EventListener
    void on(OrderCompleted e) {
      events.add(e);
    }

    @EventListener
    void on(OrderRefunded e) {
      events.add(e);
    }
  }

  @org.springframework.beans.factory.annotation.Autowired EventsSeen seen;
  @org.springframework.beans.factory.annotation.Autowired org.springframework.jdbc.core.JdbcTemplate jdbc;

  record Reply(int status, String contentType, String body) {
    JsonNode json() {
      return JSON.readTree(body);
    }
  }

  @BeforeEach
  void shops() {
    http = new Http(port);
    configure("youzan", "55001", "yz-client-1");
    configure("doudian", "77001", "dd-app-1");
    configure("taobao", "pond-flagship", "12345678");
    configure("wechat_shop", "gh_pond_shop", "wx1234567890");
  }

  void configure(String channel, String shop, String appKey) {
    Http.Response r = put("/api/v1/channel-shops/" + channel + "/" + shop,
        "{\"name\":\"" + shop + "\",\"appKey\":\"" + appKey + "\",\"secret\":\"" + SECRET + "\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  Http.Response put(String path, String json) {
    return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Authorization", ADMIN)
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  Http.Response hook(String path, String body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return send(b);
  }

  Http.Response send(HttpRequest.Builder b) {
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Http.Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String fixture(String channel, String file) {
    try (InputStream in = CommerceApiTest.class.getResourceAsStream("/channels/" + channel + "/" + file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static String hex(String algorithm, String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  static String hmac(String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }

  /** A Youzan fixture signed as Youzan signs: md5(client_id + msg + client_secret). */
  static String signedYouzan(String file, String secret) throws Exception {
    ObjectNode push = (ObjectNode) JSON.readTree(fixture("youzan", file));
    push.put("sign", hex("MD5", push.get("client_id").asString() + push.get("msg").asString() + secret));
    return JSON.writeValueAsString(push);
  }

  JsonNode orders(String query) {
    Http.Response r = http.get("/api/v1/orders?" + query, ADMIN);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  @Test
  void a_youzan_push_with_a_bad_signature_is_refused_and_a_good_one_becomes_an_order() throws Exception {
    Http.Response forged = hook("/hooks/youzan/55001", signedYouzan("trade-paid.json", "not-the-secret"), Map.of());
    assertThat(forged.status()).isEqualTo(401);
    assertThat(forged.contentType()).startsWith("application/problem+json");
    assertThat(forged.code()).isEqualTo("invalid_credentials");
    assertThat(forged.json().get("field").asString()).isEqualTo("sign");
    assertThat(orders("channel=youzan").get("total").asLong()).isZero();

    Http.Response ok = hook("/hooks/youzan/55001", signedYouzan("trade-paid.json", SECRET), Map.of());
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    assertThat(ok.json().get("accepted").asInt()).isEqualTo(1);
    JsonNode order = orders("channel=youzan").get("items").get(0);
    assertThat(order.get("platformOrderId").asString()).isEqualTo("E20240601090000001");
    assertThat(order.get("status").asString()).isEqualTo("PAID");
    assertThat(order.get("paidFen").asLong()).isEqualTo(9900);
    assertThat(order.get("buyers").get(0).get("type").asString()).isEqualTo("youzan_open_id");

    JsonNode detail = http.get("/api/v1/orders/" + order.get("id").asLong(), ADMIN).json();
    assertThat(detail.get("rawPayload").asString()).contains("trade_TradePaid");
    assertThat(detail.get("lines").get(0).get("refundStatus").asString()).isEqualTo("NONE");
  }

  @Test
  void out_of_order_and_repeated_pushes_never_move_an_order_backwards() throws Exception {
    String success = fixture("taobao", "trade-success.json");
    String pay = fixture("taobao", "trade-buyer-pay.json");
    for (String body : List.of(success, pay, success, pay)) {
      assertThat(hook("/hooks/taobao/pond-flagship", body, Map.of("X-Pond-Signature", hmac(body))).status()).isEqualTo(200);
    }
    JsonNode page = orders("channel=taobao&shop=pond-flagship");
    assertThat(page.get("total").asLong()).isEqualTo(1);
    JsonNode order = page.get("items").get(0);
    assertThat(order.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(order.get("rawStatus").asString()).isEqualTo("TRADE_FINISHED");
    long id = order.get("id").asLong();
    assertThat(seen.events.stream().filter(e -> e instanceof OrderPlaced p && p.orderId() == id)).hasSize(1);
    assertThat(seen.events.stream().filter(e -> e instanceof OrderCompleted c && c.orderId() == id)).hasSize(1);
    assertThat(seen.events.stream().filter(e -> e instanceof OrderPaid p && p.orderId() == id)).singleElement()
        .satisfies(e -> assertThat(((OrderPaid) e).paidFen()).isEqualTo(11800));

    String unsigned = hook("/hooks/taobao/pond-flagship", pay, Map.of()).code();
    assertThat(unsigned).isEqualTo("invalid_credentials");
    assertThat(hook("/hooks/taobao/no-such-shop", pay, Map.of("X-Pond-Signature", hmac(pay))).status()).isEqualTo(404);
  }

  @Test
  void a_doudian_list_push_keeps_good_messages_and_dead_letters_the_bad_ones() throws Exception {
    String good = fixture("doudian", "trade-paid-and-refund.json");
    String bad = fixture("doudian", "unknown-status.json");
    String both = good.strip().substring(0, good.strip().length() - 1) + "," + bad.strip().substring(1);
    Http.Response r = hook("/hooks/doudian/77001", both, Map.of("event-sign", hex("MD5", "dd-app-1" + both + SECRET)));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("accepted").asInt()).isEqualTo(2);
    assertThat(r.json().get("deadLettered").asInt()).isEqualTo(1);

    JsonNode order = orders("channel=doudian").get("items").get(0);
    assertThat(order.get("paidFen").asLong()).isEqualTo(9900);
    assertThat(order.get("refundedFen").asLong()).isEqualTo(4900);
    assertThat(seen.events.stream().filter(e -> e instanceof OrderRefunded x && x.orderId() == order.get("id").asLong()))
        .singleElement().satisfies(e -> assertThat(((OrderRefunded) e).totalRefundedFen()).isEqualTo(4900));

    JsonNode dead = http.get("/api/v1/orders/dead-letters?channel=doudian", ADMIN).json();
    assertThat(dead.get("total").asLong()).isEqualTo(1);
    assertThat(dead.get("items").get(0).get("reason").asString()).contains("unknown 抖店 order status '42'");
    assertThat(dead.get("items").get(0).get("payload").asString()).contains("4987654321012345681");

    Http.Response forged = hook("/hooks/doudian/77001", good, Map.of("event-sign", "00" + hex("MD5", "x")));
    assertThat(forged.status()).isEqualTo(401);
  }

  @Test
  void wechat_checks_the_url_with_its_token_signature() throws Exception {
    String sorted = String.join("", java.util.stream.Stream.of(SECRET, "1717207800", "nonce1").sorted().toList());
    String q = "?signature=" + hex("SHA-1", sorted) + "&timestamp=1717207800&nonce=nonce1";
    assertThat(http.get("/hooks/wechat_shop/gh_pond_shop" + q + "&echostr=hello", null).body()).isEqualTo("hello");
    String body = fixture("wechat_shop", "order-pay.json");
    Http.Response r = hook("/hooks/wechat_shop/gh_pond_shop" + q, body, Map.of());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(orders("channel=wechat_shop&status=PAID").get("total").asLong()).isEqualTo(1);
    assertThat(hook("/hooks/wechat_shop/gh_pond_shop?signature=bad&timestamp=1&nonce=2", body, Map.of()).status()).isEqualTo(401);
  }

  @Test
  void a_native_pos_order_is_idempotent_and_invalid_ones_name_the_field_and_are_dead_lettered() {
    String sale = fixture("native", "pos-sale.json");
    Http.Response first = http.post("/api/v1/orders", ADMIN, sale);
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    assertThat(first.json().get("created").asInt()).isEqualTo(1);
    Http.Response again = http.post("/api/v1/orders", ADMIN, sale);
    assertThat(again.json().get("unchanged").asInt()).isEqualTo(1);

    JsonNode byPhone = orders("buyerType=phone&buyerValue=%2B8613800001111");
    assertThat(byPhone.get("total").asLong()).isEqualTo(1);
    assertThat(byPhone.get("items").get(0).get("lines").get(0).get("paidFen").asLong()).isEqualTo(25900);

    Http.Response bad = http.post("/api/v1/orders", ADMIN, sale.replace("\"COMPLETED\"", "\"SOLD\"").replace("0001", "0002"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.code()).isEqualTo("validation_failed");
    assertThat(bad.json().get("field").asString()).isEqualTo("status");
    assertThat(http.get("/api/v1/orders/dead-letters?channel=native", ADMIN).json().get("items").get(0).get("reason").asString())
        .contains("unknown status 'SOLD'");

    Http.Response nick = http.post("/api/v1/orders", ADMIN, sale.replace("\"type\":\"member_no\"", "\"type\":\"buyer_nick\""));
    assertThat(nick.json().get("field").asString()).isEqualTo("buyers[1].type");
    assertThat(http.get("/api/v1/orders", null).status()).isEqualTo(401);
  }

  @Test
  void a_buyers_phone_and_the_raw_payload_are_sealed_at_rest_and_shown_only_to_admins() {
    String digits = String.valueOf(13_900_000_000L + System.nanoTime() % 99_999_999L);
    String phone = "+86" + digits;
    String orderId = "POS-PII-" + Long.toString(System.nanoTime(), 36);
    String sale = fixture("native", "pos-sale.json").replace("+8613800001111", phone).replace("POS-20240601-0001", orderId)
        .replace("M000123", "M-" + Long.toString(System.nanoTime(), 36));
    assertThat(http.post("/api/v1/orders", ADMIN, sale).status()).isEqualTo(200);
    long id = jdbc.queryForObject("SELECT id FROM commerce_order WHERE platform_order_id = ?", Long.class, orderId);

    // identity's evidence of the buyers is keyed by order and a keyed hash of the buyer set (it holds the
    // phone: an unkeyed SHA-256 prefix, as before, could be reversed by trying every number)
    long deadline = System.nanoTime() + 20_000_000_000L;
    List<String> evidenceKeys;
    do {
      evidenceKeys = jdbc.queryForList("SELECT idem_key FROM identity_evidence WHERE idem_key LIKE ?", String.class, "order:" + id + ":%");
      java.util.concurrent.locks.LockSupport.parkNanos(evidenceKeys.isEmpty() ? 50_000_000L : 0L);
    } while (evidenceKeys.isEmpty() && System.nanoTime() < deadline);
    assertThat(evidenceKeys).isNotEmpty().allSatisfy(k -> assertThat(k.substring(k.lastIndexOf(':') + 1)).doesNotMatch("[0-9a-f]{16}"));

    // at rest: the payload sealed, the phone kept as a keyed hash and a sealed value, the member number plain
    String stored = jdbc.queryForObject("SELECT raw_payload FROM commerce_order WHERE id = ?", String.class, id);
    assertThat(stored).startsWith("z1:").doesNotContain(digits, "M-");
    Map<String, Object> phoneRow = jdbc.queryForMap("SELECT id_value, value_enc FROM commerce_order_buyer WHERE order_id = ? AND id_type = 'phone'", id);
    assertThat((String) phoneRow.get("id_value")).startsWith("h:").doesNotContain(digits.substring(3));
    assertThat((String) phoneRow.get("value_enc")).doesNotContain(digits.substring(3));
    assertThat(jdbc.queryForObject("SELECT id_value FROM commerce_order_buyer WHERE order_id = ? AND id_type = 'member_no'", String.class, id))
        .startsWith("M-");

    // an admin sees it all in clear
    JsonNode full = http.get("/api/v1/orders/" + id, ADMIN).json();
    assertThat(full.get("buyers").toString()).contains(phone);
    assertThat(full.get("rawPayload").asString()).contains(phone, orderId);

    // anyone else: the phone masked, no raw payload; the search by phone still finds the order
    String viewer = http.signedInUser(ADMIN, "viewer");
    JsonNode shown = http.get("/api/v1/orders/" + id, viewer).json();
    assertThat(shown.get("buyers").toString()).doesNotContain(digits.substring(3), "personal").contains(digits.substring(0, 3) + "****" + digits.substring(7));
    assertThat(shown.hasNonNull("rawPayload")).isFalse();
    JsonNode found = http.get("/api/v1/orders?buyerType=phone&buyerValue=" + URLEncoder.encode(phone, StandardCharsets.UTF_8), viewer).json();
    assertThat(found.get("total").asLong()).isEqualTo(1);
    assertThat(found.get("items").get(0).get("id").asLong()).isEqualTo(id);
    assertThat(found.toString()).doesNotContain(digits.substring(3));

    // a dead letter's payload is personal data too
    http.post("/api/v1/orders", ADMIN, sale.replace("\"COMPLETED\"", "\"SOLD\"").replace(orderId, orderId + "-X"));
    assertThat(http.get("/api/v1/orders/dead-letters?channel=native", ADMIN).json().get("items").get(0).get("payload").asString())
        .contains(phone);
    assertThat(http.get("/api/v1/orders/dead-letters?channel=native", viewer).json().get("items").get(0).hasNonNull("payload")).isFalse();
    assertThat(jdbc.queryForObject("SELECT payload FROM commerce_dead_letter WHERE id = (SELECT max(id) FROM commerce_dead_letter)",
        String.class)).startsWith("z1:").doesNotContain(digits);

    // a bulk load's event batch (it carries the buyers) is sealed as well, and its listeners still read it
    String csv = "订单编号,买家open_uid,会员手机号,订单状态,买家实付金额,下单时间,付款时间\n"
        + orderId + "-CSV,AAHpii" + Long.toString(System.nanoTime(), 36) + "," + digits + ",买家已付款,59.00,2024-03-02 10:00:00,2024-03-02 10:01:00\n";
    assertThat(upload("pii.csv", csv.getBytes(StandardCharsets.UTF_8), "channel=taobao&shop=pii-shop").status()).isEqualTo(200);
    byte[] batch = jdbc.queryForObject("SELECT events FROM commerce_event_batch ORDER BY id DESC LIMIT 1", byte[].class);
    assertThat(batch[0]).isEqualTo((byte) 0xA5);
    assertThat(new String(batch, StandardCharsets.ISO_8859_1)).doesNotContain(digits);
    assertThat(orders("buyerType=phone&buyerValue=" + digits).get("total").asLong()).isEqualTo(1);
  }

  static final String CSV =
      """
      订单编号,子订单编号,买家open_uid,订单状态,买家实付金额,运费,优惠金额,商品名称,商家编码,购买数量,商品价格,下单时间,付款时间,完成时间
      ="3800000000000000001",380000000000000000101,AAHbuyer1,交易成功,118.00,0.00,20.00,氨基酸洁面乳 120g,CLN-120,2,69.00,2024-03-01 10:00:00,2024-03-01 10:01:00,2024-03-08 10:00:00
      ="3800000000000000001",380000000000000000102,AAHbuyer1,交易成功,118.00,0.00,20.00,补水面膜,MASK-10,1,0.00,2024-03-01 10:00:00,2024-03-01 10:01:00,2024-03-08 10:00:00
      ="3800000000000000002",380000000000000000201,AAHbuyer2,买家已付款,59.00,0.00,0.00,补水面膜,MASK-10,1,59.00,2024-03-02 10:00:00,2024-03-02 10:01:00,
      ="3800000000000000003",380000000000000000301,AAHbuyer3,火星状态,59.00,0.00,0.00,补水面膜,MASK-10,1,59.00,2024-03-02 10:00:00,,
      ="3800000000000000004",380000000000000000401,AAHbuyer4,交易成功,五十九,0.00,0.00,补水面膜,MASK-10,1,59.00,2024-03-02 10:00:00,,
      """;

  Http.Response upload(String fileName, byte[] content, String query) {
    String boundary = "pondboundary42";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.writeBytes(content);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/orders/import?" + query))
        .header("Authorization", ADMIN).header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
  }

  @Test
  void an_export_with_chinese_headers_imports_good_rows_reports_bad_ones_and_reimports_as_no_change() {
    Http.Response r = upload("taobao.csv", CSV.getBytes(java.nio.charset.Charset.forName("GB18030")), "channel=tmall&shop=import-shop");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode result = r.json();
    assertThat(result.get("orders").asLong()).isEqualTo(2);
    assertThat(result.get("created").asLong()).isEqualTo(2);
    assertThat(result.get("badRowCount").asLong()).isEqualTo(2);
    assertThat(result.get("badRows").get(0).get("row").asLong()).isEqualTo(5);
    assertThat(result.get("badRows").get(0).get("reason").asString()).contains("unknown order status '火星状态'");
    assertThat(result.get("badRows").get(1).get("row").asLong()).isEqualTo(6);
    assertThat(result.get("badRows").get(1).get("reason").asString()).contains("买家实付金额");

    JsonNode order = orders("shop=import-shop&status=COMPLETED").get("items").get(0);
    assertThat(order.get("platformOrderId").asString()).isEqualTo("3800000000000000001");
    assertThat(order.get("paidFen").asLong()).isEqualTo(11800);
    assertThat(order.get("lines")).hasSize(2);
    assertThat(order.get("buyers").get(0).get("type").asString()).isEqualTo("taobao_open_uid");

    JsonNode again = upload("taobao.csv", CSV.getBytes(StandardCharsets.UTF_8), "channel=taobao&shop=import-shop").json();
    assertThat(again.get("unchanged").asLong()).isEqualTo(2);
    assertThat(again.get("created").asLong() + again.get("changed").asLong()).isZero();

    assertThat(orders("shop=import-shop&from=2024-03-02&to=2024-03-02").get("total").asLong()).isEqualTo(1);
    assertThat(upload("x.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8), "channel=taobao").json().get("field").asString())
        .isEqualTo("file");
  }

  @Test
  void an_xlsx_export_is_imported_like_a_csv_one() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Workbook wb = new Workbook(out, "test", "1.0")) {
      Worksheet ws = wb.newWorksheet("订单");
      String[] header = {"订单编号", "订单状态", "买家实付金额", "商品名称", "购买数量", "商品价格", "下单时间", "付款时间"};
      for (int i = 0; i < header.length; i++) {
        ws.value(0, i, header[i]);
      }
      ws.value(1, 0, "DY-9001");
      ws.value(1, 1, "已发货");
      ws.value(1, 2, 259.0);
      ws.value(1, 3, "坚果礼盒");
      ws.value(1, 4, 1);
      ws.value(1, 5, 259.0);
      ws.value(1, 6, java.time.LocalDateTime.of(2024, 5, 1, 20, 0));
      ws.style(1, 6).format("yyyy-mm-dd hh:mm:ss").set();
      ws.value(1, 7, "2024-05-01 20:01:00");
    }
    Http.Response r = upload("doudian.xlsx", out.toByteArray(), "channel=doudian&shop=xlsx-shop");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("created").asLong()).as(r.body()).isEqualTo(1);
    JsonNode order = orders("shop=xlsx-shop").get("items").get(0);
    assertThat(order.get("status").asString()).isEqualTo("SHIPPED");
    assertThat(order.get("paidFen").asLong()).isEqualTo(25900);
    assertThat(order.get("createdAt").asString()).isEqualTo("2024-05-01T12:00:00Z");
  }

  @Test
  void concurrent_deliveries_of_the_same_order_make_one_order_and_one_placed_event() throws Exception {
    String body = fixture("native", "pos-sale.json").replace("POS-20240601-0001", "POS-RACE-1");
    int threads = 6;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> results = new java.util.ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(pool.submit(() -> {
          start.await();
          return http.post("/api/v1/orders", ADMIN, body).status();
        }));
      }
      start.countDown();
      for (Future<Integer> f : results) {
        assertThat(f.get()).isEqualTo(200);
      }
    } finally {
      pool.shutdownNow();
    }
    JsonNode page = orders("shop=store-sh-01&channel=native");
    List<Long> ids = page.get("items").valueStream().filter(o -> o.get("platformOrderId").asString().equals("POS-RACE-1"))
        .map(o -> o.get("id").asLong()).toList();
    assertThat(ids).hasSize(1);
    assertThat(seen.events.stream().filter(e -> e instanceof OrderPlaced p && p.orderId() == ids.getFirst())).hasSize(1);
  }

  @Test
  void a_user_limited_to_one_channel_sees_only_that_channels_orders_and_dead_letters() {
    String sale = fixture("native", "pos-sale.json").replace("0001", "0077"); // an order of its own
    assertThat(http.post("/api/v1/orders", ADMIN, sale).status()).isEqualTo(200);
    http.post("/api/v1/orders", ADMIN, sale.replace("\"COMPLETED\"", "\"SOLD\"").replace("0077", "0079")); // a native dead letter
    long nativeOrder = orders("channel=native").get("items").get(0).get("id").asLong();

    String name = "jd-only-" + System.nanoTime();
    Http.Response user = http.post("/api/v1/users", ADMIN,
        "{\"username\":\"" + name + "\",\"password\":\"password-123\",\"role\":\"viewer\",\"channels\":[\"jd\"]}");
    assertThat(user.status()).as(user.body()).isEqualTo(201);
    String jdOnly = Http.bearer(http.post("/api/v1/auth/login", null,
        "{\"username\":\"" + name + "\",\"password\":\"password-123\"}").json().get("token").asString());

    Http.Response all = http.get("/api/v1/orders?size=500", jdOnly);
    assertThat(all.status()).as(all.body()).isEqualTo(200);
    assertThat(all.json().get("items").valueStream().map(o -> o.get("channel").asString()).distinct().toList())
        .isSubsetOf(List.of("jd"));
    assertThat(all.json().get("total").asLong()).isLessThan(orders("size=500").get("total").asLong());
    assertThat(http.get("/api/v1/orders/" + nativeOrder, jdOnly).code()).isEqualTo("not_found");
    assertThat(http.get("/api/v1/orders/" + nativeOrder, ADMIN).status()).isEqualTo(200);
    Http.Response named = http.get("/api/v1/orders?channel=native", jdOnly);
    assertThat(named.status()).isEqualTo(403);
    assertThat(named.json().get("field").asString()).isEqualTo("channel");
    assertThat(http.get("/api/v1/orders/dead-letters", jdOnly).json().get("items").valueStream()
        .map(d -> d.get("channel").asString()).distinct().toList()).isSubsetOf(List.of("jd"));
    assertThat(http.get("/api/v1/orders/dead-letters?channel=native", ADMIN).json().get("total").asLong()).isPositive();
  }

  @Test
  void bad_query_parameters_name_the_field() {
    assertThat(http.get("/api/v1/orders?status=LOST", ADMIN).json().get("field").asString()).isEqualTo("status");
    assertThat(http.get("/api/v1/orders?size=0", ADMIN).json().get("field").asString()).isEqualTo("size");
    assertThat(http.get("/api/v1/orders?from=yesterday", ADMIN).json().get("field").asString()).isEqualTo("from");
    assertThat(http.get("/api/v1/orders/987654", ADMIN).code()).isEqualTo("not_found");
    assertThat(URLEncoder.encode("+", StandardCharsets.UTF_8)).isEqualTo("%2B");
  }
}
