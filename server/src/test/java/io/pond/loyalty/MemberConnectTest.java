package io.pond.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.loyalty.connect.ConnectPublisher;
import io.pond.loyalty.connect.ConnectReport;
import io.pond.loyalty.connect.domain.Signatures;
import io.pond.loyalty.membership.Memberships;
import io.pond.loyalty.program.domain.ProgramConfig;
import io.pond.support.Http;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** Member-connect sync: the outbox in the change's transaction, retries with backoff, idempotency, order, Tmall and 抖店 shapes, the report. */
class MemberConnectTest extends LoyaltyTestSupport {

  private static final String ADMIN = Http.basic("admin", "loyalty-admin-pw");
  private static final String SECRET = "channel-secret-42";

  @Autowired Memberships memberships;
  @Autowired ConnectPublisher publisher;
  @Autowired ConnectReport report;
  @Autowired JdbcClient jdbc;
  @Autowired PlatformTransactionManager transactions;

  static ProgramConfig connected() {
    return new ProgramConfig(
        List.of(new ProgramConfig.Tier("L1", "Member", 0L, BigDecimal.ONE), new ProgramConfig.Tier("L2", "Gold", 1000L, BigDecimal.ONE)),
        null,
        new ProgramConfig.Earning(BigDecimal.ONE, BigDecimal.ONE, List.of(), List.of(), null, null,
            Map.of("join_gift", new ProgramConfig.EventReward(10L, 0), "sign_in", new ProgramConfig.EventReward(5L, 0))),
        null, "within_balance", true, 7, 30, 15);
  }

  private void connector(Http http, String program, String code, String json) {
    Http.Response saved = http.put("/api/v1/loyalty/programs/" + program + "/connectors/" + code, ADMIN, json);
    assertThat(saved.status()).as(saved.body()).isEqualTo(200);
    assertThat(saved.body()).doesNotContain(SECRET);
  }

  @Test
  void a_webhook_receives_every_change_in_order_retries_with_backoff_and_applies_each_once() throws Exception {
    Http http = new Http(port);
    String program = program(connected());
    try (LocalChannel channel = new LocalChannel(SECRET)) {
      connector(http, program, "wh-" + program,
          "{\"kind\":\"webhook\",\"channel\":\"pos\",\"shop\":\"*\",\"secret\":\"" + SECRET + "\",\"endpoint\":\"" + channel.url("/webhook") + "\"}");
      Memberships.Joined joined =
          memberships.join(new Memberships.Join(program, "pos", "store-9", MembershipJoinTest.uid("card-"), "member_no", MembershipJoinTest.phone(), null));
      PersonRef member = new PersonRef(joined.personId());
      for (int day = 1; day <= 3; day++) {
        signIn(program, member, "d" + day);
      }
      long balance = balance(program, member).available();
      assertThat(balance).isEqualTo(25);

      channel.failNext.set(2);
      ConnectPublisher.Run first = publisher.publishDue();
      assertThat(first.failed()).isEqualTo(1);
      assertThat(first.sent()).as("later changes of the binding wait behind the failed one").isZero();
      assertThat(publisher.publishDue().sent()).as("not due before the backoff").isZero();
      clock.advance(Duration.ofSeconds(2));
      assertThat(publisher.publishDue().failed()).isEqualTo(1);
      clock.advance(Duration.ofSeconds(3));
      assertThat(publisher.publishDue().sent()).as("the backoff doubled: 4 s").isZero();
      clock.advance(Duration.ofSeconds(1));
      ConnectPublisher.Run done = publisher.publishDue();
      assertThat(done.sent()).isEqualTo(5);

      List<LocalChannel.Received> got = channel.to("/webhook");
      assertThat(got).hasSize(7);
      assertThat(channel.appliedInOrder).hasSize(5).doesNotHaveDuplicates();
      assertThat(got.stream().map(LocalChannel.Received::idempotencyKey).distinct()).hasSize(5);
      List<Long> seqs = got.stream().map(r -> r.body().get("seq").asLong()).distinct().toList();
      assertThat(seqs).isSorted();
      assertThat(got.getLast().body().get("points").asLong()).isEqualTo(balance);
      assertThat(channel.badSignatures.get()).isZero();

      List<ConnectReport.Line> lines = report.lines(program, false);
      assertThat(lines).singleElement().satisfies(l -> {
        assertThat(l.status()).isEqualTo("in_sync");
        assertThat(l.ackedPoints()).isEqualTo(balance);
      });
      jdbc.sql("UPDATE loyalty_binding SET acked_points = 3 WHERE id = ?").param(joined.bindingId()).update();
      Http.Response differing = http.get("/api/v1/loyalty/programs/" + program + "/connect/report?onlyDiffering=true", ADMIN);
      assertThat(differing.json().get(0).get("status").asString()).isEqualTo("drift");
    }
  }

  @Test
  void a_change_that_rolls_back_leaves_no_push_behind() throws Exception {
    Http http = new Http(port);
    String program = program(connected());
    try (LocalChannel channel = new LocalChannel(SECRET)) {
      connector(http, program, "wh-" + program,
          "{\"kind\":\"webhook\",\"channel\":\"pos\",\"shop\":\"*\",\"secret\":\"" + SECRET + "\",\"endpoint\":\"" + channel.url("/webhook") + "\"}");
      Memberships.Joined joined =
          memberships.join(new Memberships.Join(program, "pos", "store-1", MembershipJoinTest.uid("card-"), "member_no", null, null));
      long before = rows(joined.bindingId());
      try {
        new TransactionTemplate(transactions).executeWithoutResult(s -> {
          signIn(program, new PersonRef(joined.personId()), "rolled-back");
          assertThat(rows(joined.bindingId())).as("written inside the change's transaction").isEqualTo(before + 1);
          throw new IllegalStateException("the caller fails after the change");
        });
      } catch (IllegalStateException expected) {
        // the change and its push are gone together
      }
      assertThat(rows(joined.bindingId())).isEqualTo(before);
      assertThat(balance(program, new PersonRef(joined.personId())).available()).isEqualTo(10);
    }
  }

  private long rows(long bindingId) {
    return jdbc.sql("SELECT COUNT(*) FROM loyalty_connect_outbox WHERE binding_id = ?").param(bindingId).query(Long.class).single();
  }

  /** A TOP-signed query string, as Tmall signs its calls ({@code method} left out when empty). */
  private static String signedQuery(String method, String body) {
    Map<String, String> q = new LinkedHashMap<>();
    if (!method.isEmpty()) {
      q.put("method", method);
    }
    q.put("app_key", "tm-app");
    q.put("timestamp", "2026-03-02 10:00:00");
    q.put("sign_method", "hmac-sha256");
    q.put("sign", Signatures.top(q, body, SECRET, "hmac-sha256"));
    StringBuilder out = new StringBuilder("?");
    q.forEach((k, v) -> out.append(out.length() > 1 ? "&" : "").append(k).append('=')
        .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8)));
    return out.toString();
  }

  @Test
  void tmall_binds_through_its_spi_and_tmall_and_doudian_receive_their_own_shapes() throws Exception {
    Http http = new Http(port);
    String program = program(connected());
    try (LocalChannel channel = new LocalChannel(SECRET)) {
      String tm = "tm-" + program;
      connector(http, program, tm,
          "{\"kind\":\"tmall\",\"shop\":\"flagship\",\"appKey\":\"tm-app\",\"secret\":\"" + SECRET + "\",\"endpoint\":\"" + channel.url("/top") + "\"}");
      connector(http, program, "dd-" + program,
          "{\"kind\":\"doudian\",\"shop\":\"dd-shop\",\"appKey\":\"dd-app\",\"secret\":\"" + SECRET + "\",\"accessToken\":\"tok\",\"endpoint\":\""
              + channel.url("/dd") + "\"}");
      String phone = MembershipJoinTest.phone();
      String ouid = MembershipJoinTest.uid("ouid-");
      String spi = "/hooks/loyalty/tmall/" + tm;

      String query = "{\"seller_name\":\"Pond Tea\",\"nick\":\"buyer\",\"mobile\":\"" + phone + "\"}";
      assertThat(http.post(spi + "?method=tmall.mei.crm.member.bind.query&sign=00", null, query).status()).isEqualTo(401);
      JsonNode unknown = http.post(spi + signedQuery("tmall.mei.crm.member.bind.query", query), null, query).json();
      assertThat(unknown.get("query_code").asString()).isEqualTo("E01");

      String bind = "{\"seller_name\":\"Pond Tea\",\"nick\":\"buyer\",\"ouid\":\"" + ouid + "\",\"mobile\":\"" + phone + "\"}";
      Http.Response bound = http.post(spi + signedQuery("tmall.mei.crm.bind", bind), null, bind);
      assertThat(bound.status()).as(bound.body()).isEqualTo(200);
      assertThat(bound.json().get("bind_code").asString()).isEqualTo("SUC");
      assertThat(bound.json().get("member").get("point").asLong()).isEqualTo(10);
      assertThat(http.post(spi + signedQuery("tmall.mei.crm.member.bind.query", query), null, query).json().get("query_code").asString())
          .isEqualTo("SUC");

      Memberships.Joined douyin = memberships.join(new Memberships.Join(program, "doudian", "dd-shop", MembershipJoinTest.uid("dd-"), null, phone, null));
      PersonRef member = new PersonRef(douyin.personId());
      publisher.publishDue();
      LocalChannel.Received sync = channel.to("/top").getLast();
      assertThat(sync.params()).containsEntry("method", "tmall.mei.crm.member.sync.privy").containsEntry("ouid", ouid)
          .containsEntry("point", "10").containsEntry("level", "1").containsEntry("mobile", phone).containsKey("version");
      JsonNode ddMember = channel.to("/dd").getLast().body().get("member_info_list").get(0);
      assertThat(ddMember.get("integral").asLong()).isEqualTo(10);
      assertThat(ddMember.get("unbind").asInt()).isZero();
      assertThat(channel.to("/dd").getLast().params()).containsEntry("method", "member.batchUpdate");

      String change = "{\"topic\":\"tmall_mei_PointChange\",\"content\":\"{\\\"record_id\\\":\\\"R-1\\\",\\\"ouid\\\":\\\"" + ouid
          + "\\\",\\\"point\\\":-4,\\\"desc\\\":\\\"coupon\\\"}\"}";
      String messages = spi + "/messages" + signedQuery("", change);
      Http.Response applied = http.post(messages, null, change);
      assertThat(applied.status()).as(applied.body()).isEqualTo(200);
      assertThat(applied.json().get("result").asBoolean()).isTrue();
      assertThat(applied.json().get("point").asLong()).isEqualTo(6);
      assertThat(http.post(messages, null, change).json().get("point").asLong()).as("a redelivered message takes nothing twice").isEqualTo(6);
      assertThat(balance(program, member).available()).isEqualTo(6);

      publisher.publishDue();
      List<LocalChannel.Received> callbacks =
          channel.to("/top").stream().filter(r -> r.params().get("method").equals("tmall.mei.crm.callback.point.change")).toList();
      assertThat(callbacks).singleElement().satisfies(c -> assertThat(c.params())
          .containsEntry("record_id", "R-1").containsEntry("result", "true").containsEntry("point", "6"));
      assertThat(channel.to("/dd").getLast().body().get("member_info_list").get(0).get("integral").asLong()).isEqualTo(6);

      memberships.unbind(program, douyin.bindingId(), "left", "test");
      publisher.publishDue();
      assertThat(channel.to("/dd").getLast().body().get("member_info_list").get(0).get("unbind").asInt()).isEqualTo(1);
      assertThat(report.lines(program, false)).singleElement().satisfies(l -> assertThat(l.status()).isEqualTo("in_sync"));
      assertThat(channel.badSignatures.get()).isZero();
    }
  }
}
