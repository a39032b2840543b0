package io.pond.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.loyalty.membership.Memberships;
import io.pond.loyalty.program.domain.ProgramConfig;
import io.pond.platform.errors.PondException;
import io.pond.support.Http;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Joining (入会) on several channels: one member through OneID, a binding per channel, one join gift. */
class MembershipJoinTest extends LoyaltyTestSupport {

  private static final String ADMIN = Http.basic("admin", "loyalty-admin-pw");
  private static final AtomicLong PHONES = new AtomicLong(13_912_340_000L + (System.nanoTime() % 10_000));

  @Autowired Memberships memberships;

  static ProgramConfig withJoinGift(long points) {
    return new ProgramConfig(
        null, null,
        new ProgramConfig.Earning(BigDecimal.ONE, BigDecimal.ONE, List.of(), List.of(), null, null,
            Map.of("join_gift", new ProgramConfig.EventReward(points, 0))),
        null, "within_balance", true, 7, 30, 15);
  }

  static String phone() {
    return Long.toString(PHONES.incrementAndGet());
  }

  static String uid(String prefix) {
    return prefix + java.util.UUID.randomUUID().toString().substring(0, 12);
  }

  @Test
  void joining_on_two_channels_with_one_phone_makes_one_member_with_two_bindings_and_one_gift() {
    String program = program(withJoinGift(100));
    String phone = phone();
    Memberships.Joined tmall = memberships.join(new Memberships.Join(program, "tmall", "flagship", uid("ouid-"), null, phone, null));
    Memberships.Joined douyin = memberships.join(new Memberships.Join(program, "doudian", "dd-shop", uid("dd-"), null, phone, null));

    assertThat(douyin.personId()).isEqualTo(tmall.personId());
    assertThat(tmall.newMember()).isTrue();
    assertThat(douyin.newMember()).isFalse();
    assertThat(tmall.giftPoints()).isEqualTo(100);
    assertThat(douyin.giftPoints()).isZero();
    assertThat(douyin.giftExplanation()).contains("already given");
    PersonRef person = new PersonRef(tmall.personId());
    assertThat(balance(program, person).available()).isEqualTo(100);

    Memberships.Member member = memberships.member(program, person.value()).orElseThrow();
    assertThat(member.joinChannel()).isEqualTo("tmall");
    assertThat(member.bindings()).extracting(Memberships.Binding::channel).containsExactly("tmall", "doudian");
    assertThat(events.stream(MemberJoined.class).filter(e -> e.program().equals(program)).count()).isEqualTo(1);
    assertThat(events.stream(MemberBound.class).filter(e -> e.program().equals(program)).count()).isEqualTo(2);
    assertNoDrift();
  }

  @Test
  void a_replayed_join_changes_nothing_and_a_released_binding_can_be_bound_again() {
    String program = program(withJoinGift(20));
    String ouid = uid("ouid-");
    Memberships.Join join = new Memberships.Join(program, "tmall", "flagship", ouid, null, phone(), null);
    Memberships.Joined first = memberships.join(join);
    Memberships.Joined again = memberships.join(join);
    assertThat(again.personId()).isEqualTo(first.personId());
    assertThat(again.bindingId()).isEqualTo(first.bindingId());
    assertThat(again.newBinding()).isFalse();
    assertThat(again.giftPoints()).isZero();

    Memberships.Binding unbound = memberships.unbind(program, first.bindingId(), "left the shop membership", "test");
    assertThat(unbound.state()).isEqualTo("UNBOUND");
    assertThat(memberships.unbind(program, first.bindingId(), "again", "test").unbindReason()).isEqualTo("left the shop membership");
    assertThat(events.stream(MemberUnbound.class).filter(e -> e.program().equals(program)).count()).isEqualTo(1);

    Memberships.Joined rejoined = memberships.join(join);
    assertThat(rejoined.bindingId()).isEqualTo(first.bindingId());
    assertThat(rejoined.newBinding()).isTrue();
    assertThat(rejoined.giftPoints()).isZero();
    assertThat(balance(program, new PersonRef(first.personId())).available()).isEqualTo(20);
  }

  @Test
  void a_member_bound_on_a_shop_cannot_bind_a_second_id_there_until_unbound() {
    String program = program(withJoinGift(5));
    String phone = phone();
    memberships.join(new Memberships.Join(program, "tmall", "flagship", uid("ouid-"), null, phone, null));
    Assertions.assertThatThrownBy(() -> memberships.join(new Memberships.Join(program, "tmall", "flagship", uid("ouid-"), null, phone, null)))
        .isInstanceOf(PondException.class)
        .hasMessageContaining("already bound");
  }

  @Test
  void the_join_api_validates_and_answers_the_member_with_its_bindings() {
    Http http = new Http(port);
    String program = program(withJoinGift(8));
    Http.Response noType =
        http.post("/api/v1/loyalty/programs/" + program + "/joins", ADMIN, "{\"channel\":\"pos\",\"shop\":\"store-1\",\"channelMemberId\":\"c-1\"}");
    assertThat(noType.status()).isEqualTo(400);
    assertThat(noType.json().get("field").asString()).isEqualTo("identifierType");

    Http.Response joined =
        http.post("/api/v1/loyalty/programs/" + program + "/joins", ADMIN,
            "{\"channel\":\"pos\",\"shop\":\"store-1\",\"channelMemberId\":\"" + uid("card-") + "\",\"identifierType\":\"member_no\",\"phone\":\"" + phone() + "\"}");
    assertThat(joined.status()).as(joined.body()).isEqualTo(200);
    assertThat(joined.json().get("giftPoints").asLong()).isEqualTo(8);
    int personId = joined.json().get("personId").asInt();
    Http.Response member = http.get("/api/v1/loyalty/programs/" + program + "/members/" + personId + "/membership", ADMIN);
    assertThat(member.json().get("bindings").get(0).get("channel").asString()).isEqualTo("pos");
    assertThat(http.get("/api/v1/loyalty/programs/" + program + "/members/999999/membership", ADMIN).status()).isEqualTo(404);
  }

  @Test
  void concurrent_joins_of_one_person_on_several_channels_give_one_member_and_one_gift() throws Exception {
    String program = program(withJoinGift(30));
    String phone = phone();
    List<String> channels = List.of("tmall", "doudian", "wechat", "youzan", "jd", "kuaishou");
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(channels.size());
    try {
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<Memberships.Joined>> joins = new java.util.ArrayList<>();
      for (String channel : channels) {
        joins.add(pool.submit(() -> {
          start.await();
          return memberships.join(new Memberships.Join(program, channel, "shop-" + channel, uid(channel + "-"), null, phone, null));
        }));
      }
      start.countDown();
      List<Memberships.Joined> joined = new java.util.ArrayList<>();
      for (var f : joins) {
        joined.add(f.get());
      }
      assertThat(joined.stream().map(Memberships.Joined::personId).distinct()).hasSize(1);
      assertThat(joined.stream().filter(Memberships.Joined::newMember)).hasSize(1);
      assertThat(joined.stream().mapToLong(Memberships.Joined::giftPoints).sum()).isEqualTo(30);
      PersonRef person = new PersonRef(joined.getFirst().personId());
      assertThat(balance(program, person).available()).isEqualTo(30);
      assertThat(memberships.member(program, person.value()).orElseThrow().bindings()).hasSize(channels.size());
    } finally {
      pool.shutdownNow();
    }
  }
}
