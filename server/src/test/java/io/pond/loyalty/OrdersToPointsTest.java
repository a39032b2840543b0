package io.pond.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.identity.Evidence;
import io.pond.loyalty.ledger.AccountMerges;
import io.pond.loyalty.program.domain.ProgramConfig;
import io.pond.platform.Identifier;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Commerce's orders earn points end to end: an order pushed through the POS adapter becomes pending
 * points for a member, its completion makes them available after the return window, a refund claws
 * back; OneID merges join accounts.
 */
class OrdersToPointsTest extends OrdersTestSupport {

  @Autowired AccountMerges merges;
  @Autowired io.pond.commerce.importing.OrderImport imports;

  @Test
  void a_pushed_order_earns_pending_points_activates_on_completion_and_a_refund_claws_back() {
    String program = simpleProgram("within_balance");
    String buyerId = "buyer-" + UUID.randomUUID();
    PersonRef member = member(program, buyer(buyerId));
    String orderId = "T" + System.nanoTime();

    pushOrder(orderId, buyerId, "PAID", 12_800, START, "");
    eventually(() -> balance(program, member).pending() == 128);
    assertThat(balance(program, member).available()).isZero();

    pushOrder(orderId, buyerId, "COMPLETED", 12_800, START.plusSeconds(60), ",\"completedAt\":\"" + START.plusSeconds(60) + "\"");
    eventually(() -> jdbc.sql("SELECT COUNT(*) FROM loyalty_lot l JOIN loyalty_account a ON a.id = l.account_id"
            + " WHERE a.person_id = ? AND l.pending_until IS NOT NULL").param(member.value()).query(Long.class).single() == 1);
    clock.set(START.plus(Duration.ofDays(8)));
    jobs.runAll();
    assertThat(balance(program, member).available()).isEqualTo(128);
    assertThat(balance(program, member).pending()).isZero();

    pushOrder(orderId, buyerId, "COMPLETED", 12_800, START.plus(Duration.ofDays(8)),
        ",\"completedAt\":\"" + START.plusSeconds(60) + "\",\"refunds\":[{\"refundId\":\"R1\",\"state\":\"REFUNDED\",\"amountFen\":6400}]");
    eventually(() -> balance(program, member).available() == 64);
    assertThat(balance(program, member).growth()).isEqualTo(64);
    List<String> types = queries.entries(program, member, null, 10).stream().map(e -> e.type()).toList();
    assertThat(types).containsExactly("CLAWBACK", "ACTIVATE", "EARN");
    assertNoDrift();
  }

  @Test
  void imported_orders_earn_like_pushed_ones_and_a_reimport_earns_nothing_more() {
    String program = simpleProgram("within_balance");
    String phone = phone("139");
    PersonRef member = member(program, Identifier.global(Identifier.PHONE, phone));
    String orderId = "IMP" + System.nanoTime();
    String csv = "订单编号,订单状态,买家实付金额,商品名称,购买数量,商品价格,下单时间,付款时间,会员手机号\n"
        + orderId + ",买家已付款,99.00,白茶礼盒,1,99.00,2026-03-01 10:00:00,2026-03-01 10:01:00," + phone + "\n";
    var first = importTaobao(csv);
    assertThat(first.created()).as(first.badRows().toString()).isEqualTo(1);
    eventually(() -> balance(program, member).pending() == 99);

    var again = importTaobao(csv);
    assertThat(again.unchanged()).isEqualTo(1);
    assertThat(balance(program, member).pending()).isEqualTo(99);
    assertNoDrift();
  }

  @Test
  void an_imported_order_seen_first_is_stored_paid_completed_and_attributed_and_its_refund_claws_back() {
    String program = simpleProgram("within_balance");
    String phone = phone("136");
    PersonRef member = member(program, Identifier.global(Identifier.PHONE, phone));
    String done = "IMC" + System.nanoTime();
    String refunded = done + "R";
    String csv = "订单编号,订单状态,买家实付金额,商品名称,购买数量,商品价格,下单时间,付款时间,完成时间,退款金额,会员手机号\n"
        + done + ",交易成功,80.00,白茶礼盒,1,80.00,2026-03-01 10:00:00,2026-03-01 10:01:00,2026-03-05 09:00:00,0," + phone + "\n"
        + refunded + ",交易成功,50.00,绿茶,1,50.00,2026-03-02 10:00:00,2026-03-02 10:01:00,2026-03-06 09:00:00,20.00," + phone + "\n";
    var result = importTaobao(csv);
    assertThat(result.created()).as(result.badRows().toString()).isEqualTo(2);
    record Row(long paidFen, boolean paid, boolean completed, boolean cancelled, Integer person, int refunds) {}
    java.util.function.Supplier<java.util.Map<String, Row>> stored = () -> jdbc.sql("""
            SELECT o.platform_order_id, o.paid_fen, o.paid_at IS NOT NULL, o.completed_at IS NOT NULL, o.cancelled_at IS NOT NULL,
              o.person_id, (SELECT COUNT(*) FROM loyalty_order_refund r WHERE r.order_id = o.id)
            FROM loyalty_order o WHERE o.platform_order_id IN (?, ?)""")
        .params(done, refunded)
        .query(rs -> {
          var out = new java.util.HashMap<String, Row>();
          while (rs.next()) {
            out.put(rs.getString(1), new Row(rs.getLong(2), rs.getBoolean(3), rs.getBoolean(4), rs.getBoolean(5),
                (Integer) rs.getObject(6, Integer.class), rs.getInt(7)));
          }
          return out;
        });
    eventually(() -> stored.get().size() == 2 && stored.get().get(refunded).refunds() == 1);
    var rows = stored.get();
    assertThat(rows.get(done)).isEqualTo(new Row(8000, true, true, false, member.value(), 0));
    assertThat(rows.get(refunded)).isEqualTo(new Row(5000, true, true, false, member.value(), 1));
    eventually(() -> balance(program, member).growth() > 0);
    assertNoDrift();
  }

  @Test
  void an_imported_chunk_records_the_buyers_first_order_and_channel_presence() {
    String phone = phone("137");
    String first = "IMF" + System.nanoTime();
    String second = first + "B";
    String csv = "订单编号,订单状态,买家实付金额,商品名称,购买数量,商品价格,下单时间,付款时间,会员手机号\n"
        + first + ",买家已付款,59.00,白茶礼盒,1,59.00,2026-03-01 10:00:00,2026-03-01 10:01:00," + phone + "\n"
        + second + ",买家已付款,39.00,绿茶,1,39.00,2026-03-02 10:00:00,2026-03-02 10:01:00," + phone + "\n";
    var result = importTaobao(csv);
    assertThat(result.created()).as(result.badRows().toString()).isEqualTo(2);
    Identifier buyer = Identifier.global(Identifier.PHONE, phone);
    eventually(() -> persons.personOf(buyer).isPresent());
    int person = persons.personOf(buyer).orElseThrow().value();
    eventually(() -> jdbc.sql("SELECT COUNT(*) FROM offer_member WHERE person_id = ? AND first_order_key LIKE ?")
        .params(person, "%/" + first).query(Integer.class).single() == 1);
    eventually(() -> jdbc.sql("SELECT COUNT(*) FROM segment_fact WHERE person_id = ? AND kind = 'idtype' AND name = ?")
        .params(person, Identifier.PHONE).query(Integer.class).single() == 1);
    eventually(() -> jdbc.sql("SELECT COUNT(*) FROM segment_person WHERE person_id = ?").param(person).query(Integer.class).single() >= 1);
  }

  @Test
  void an_order_arriving_completed_earns_and_starts_its_return_window_whatever_order_the_events_run_in() {
    String program = simpleProgram("within_balance");
    String buyerId = "buyer-" + UUID.randomUUID();
    PersonRef member = member(program, buyer(buyerId));
    pushOrder("C" + System.nanoTime(), buyerId, "COMPLETED", 5_000, START, ",\"completedAt\":\"" + START + "\"");
    eventually(() -> jdbc.sql("SELECT COUNT(*) FROM loyalty_lot l JOIN loyalty_account a ON a.id = l.account_id"
            + " WHERE a.person_id = ? AND l.pending_until IS NOT NULL").param(member.value()).query(Long.class).single() == 1);
    clock.set(START.plus(Duration.ofDays(7)));
    jobs.runAll();
    assertThat(balance(program, member).available()).isEqualTo(50);
  }

  @Test
  void a_buyer_without_an_account_earns_nothing_and_a_cancelled_paid_order_takes_its_points_back() {
    String program = simpleProgram("within_balance");
    String strangerId = "stranger-" + UUID.randomUUID();
    PersonRef stranger = personWith(buyer(strangerId));
    String strangersOrder = "S" + System.nanoTime();
    pushOrder(strangersOrder, strangerId, "PAID", 9_900, START, "");
    eventually(() -> facts.byNumber("taobao", strangersOrder).stream().anyMatch(o -> o.personId() != null));
    assertThat(queries.account(programs.get(program).id(), stranger.value())).isEmpty();

    String buyerId = "buyer-" + UUID.randomUUID();
    PersonRef member = member(program, buyer(buyerId));
    String orderId = "X" + System.nanoTime();
    pushOrder(orderId, buyerId, "PAID", 9_900, START, "");
    eventually(() -> balance(program, member).pending() == 99);
    pushOrder(orderId, buyerId, "CANCELLED", 9_900, START.plusSeconds(30), ",\"cancelledAt\":\"" + START.plusSeconds(30) + "\"");
    eventually(() -> balance(program, member).pending() == 0);
    assertThat(balance(program, member).growth()).isZero();
    assertNoDrift();
  }

  @Test
  void merged_persons_share_one_account_with_both_balances_lots_growth_and_the_higher_tier() {
    String program =
        program(
            config(
                "within_balance", new ProgramConfig.Expiry("rolling_days", 365),
                List.of(new ProgramConfig.Tier("L1", "basic", 0L, BigDecimal.ONE), new ProgramConfig.Tier("L2", "gold", 100L, BigDecimal.ONE)),
                null));
    Identifier tmallId = buyer("merge-a-" + UUID.randomUUID());
    Identifier jdId = Identifier.global(Identifier.JD_OPEN_ID, "merge-b-" + UUID.randomUUID());
    PersonRef a = member(program, tmallId);
    PersonRef b = member(program, jdId);
    pay(program, a, "MA-1", 20_000); // 200 pending, growth 200: L2
    review(program, b, "rv-1"); // 50 available
    complete(program, a, "MA-1");
    assertThat(balance(program, a).tier()).isEqualTo("L2");

    identity.resolve(Evidence.together("test", clock.instant(), UUID.randomUUID().toString(), tmallId, jdId));
    PersonRef survivor = new PersonRef(persons.personOf(tmallId).orElseThrow().value());
    PersonRef merged = survivor.equals(a) ? b : a;
    eventually(() -> jdbc.sql("SELECT COUNT(*) FROM loyalty_account_merge m JOIN loyalty_program p ON p.id = m.program_id WHERE p.code = ?")
        .param(program).query(Long.class).single() == 1);

    var after = balance(program, survivor);
    assertThat(after.pending()).isEqualTo(200);
    assertThat(after.available()).isEqualTo(50);
    assertThat(after.growth()).isEqualTo(200);
    assertThat(after.tier()).isEqualTo("L2");
    review(program, merged, "rv-2");
    assertThat(balance(program, survivor).available()).as("postings for the merged person go to the survivor").isEqualTo(100);
    assertThat(balance(program, merged).available()).as("the merged account is closed").isZero();
    Long lotsWithExpiry =
        jdbc.sql("SELECT COUNT(*) FROM loyalty_lot l JOIN loyalty_account a ON a.id = l.account_id WHERE a.person_id = ? AND l.expires_at IS NOT NULL")
            .param(survivor.value()).query(Long.class).single();
    assertThat(lotsWithExpiry).isEqualTo(3);

    // the merged person's order completes later: it activates on the survivor's account
    clock.set(START.plus(Duration.ofDays(8)));
    jobs.runAll();
    assertThat(balance(program, survivor).available()).isEqualTo(300);
    assertNoDrift();

    long mergeId = jdbc.sql("SELECT identity_merge_id FROM loyalty_account_merge m JOIN loyalty_program p ON p.id = m.program_id WHERE p.code = ?")
        .param(program).query(Long.class).single();
    assertThat(merges.reopen(mergeId, "test")).isEqualTo(1);
    assertThat(queries.account(programs.get(program).id(), merged.value()).orElseThrow().available()).isZero();
    assertThat(balance(program, survivor).available()).as("a split leaves the points with the survivor").isEqualTo(300);
    assertNoDrift();
  }

  io.pond.commerce.importing.OrderImport.Result importTaobao(String csv) {
    return imports.run(new java.io.ByteArrayInputStream(csv.getBytes(java.nio.charset.StandardCharsets.UTF_8)), "orders.csv",
        io.pond.commerce.order.domain.Channel.TAOBAO, "flagship", n -> {});
  }

  /** A mobile number with this prefix that no other test run uses. */
  static String phone(String prefix) {
    return prefix + String.format("%08d", Math.floorMod(System.nanoTime(), 100_000_000L));
  }
}
