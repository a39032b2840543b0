package io.pond.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.loyalty.claim.OrderClaims;
import io.pond.platform.Identifier;
import io.pond.support.Http;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Order claims (订单换积分), one test per rule, through the member and operator API. */
class OrderClaimsTest extends OrdersTestSupport {

  @Autowired OrderClaims claims;

  private Http.Response claim(String program, PersonRef member, String orderNumber) {
    return new Http(port).post("/api/v1/loyalty/programs/" + program + "/members/" + member.value() + "/claims", ADMIN,
        "{\"channel\":\"taobao\",\"orderNumber\":\"" + orderNumber + "\"}");
  }

  private String knownOrder(String buyerId, long paidFen) {
    String orderId = "CL" + System.nanoTime();
    pushOrder(orderId, buyerId, "PAID", paidFen, START, "");
    eventually(() -> facts.byNumber("taobao", orderId).stream().anyMatch(o -> o.paid() && o.personId() != null));
    return orderId;
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  @Test
  void a_member_claims_a_known_order_its_buyer_joins_the_member_and_the_points_are_pending() {
    String program = simpleProgram("within_balance");
    Identifier shopper = buyer(unique("claimed-buyer"));
    personWith(shopper); // bought before joining: a person without an account
    String orderId = knownOrder(shopper.value(), 8_800);
    PersonRef member = member(program, Identifier.global(Identifier.MEMBER_NO, unique("m")));

    Http.Response r = claim(program, member, orderId);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.json().get("status").asString()).isEqualTo("ACCEPTED");
    assertThat(r.json().get("points").asLong()).isEqualTo(88);
    PersonRef now = new PersonRef(persons.personOf(shopper).orElseThrow().value());
    assertThat(persons.current(io.pond.identity.PersonId.of(member.value())).orElseThrow().value()).isEqualTo(now.value());
    eventually(() -> balance(program, now).pending() == 88);
    assertNoDrift();
  }

  @Test
  void a_claim_for_an_order_not_yet_arrived_is_held_and_settled_when_it_arrives() {
    String program = simpleProgram("within_balance");
    PersonRef member = member(program, Identifier.global(Identifier.MEMBER_NO, unique("m")));
    String orderId = "LATE" + System.nanoTime();
    Http.Response held = claim(program, member, orderId);
    assertThat(held.status()).as(held.body()).isEqualTo(202);
    assertThat(held.json().get("status").asString()).isEqualTo("HELD");

    pushOrder(orderId, unique("late-buyer"), "PAID", 3_000, START, "");
    long id = held.json().get("id").asLong();
    eventually(() -> claims.get(id).status() == OrderClaims.Status.ACCEPTED);
    assertThat(claims.get(id).points()).isEqualTo(30);
  }

  @Test
  void a_held_claim_expires_after_its_hold_at_the_sweep() {
    String program = simpleProgram("within_balance");
    PersonRef member = member(program, Identifier.global(Identifier.MEMBER_NO, unique("m")));
    long id = claim(program, member, "NEVER" + System.nanoTime()).json().get("id").asLong();
    clock.set(START.plus(Duration.ofDays(6)));
    claims.sweep();
    assertThat(claims.get(id).status()).isEqualTo(OrderClaims.Status.HELD);
    clock.set(START.plus(Duration.ofDays(7)));
    claims.sweep();
    assertThat(claims.get(id).status()).isEqualTo(OrderClaims.Status.EXPIRED);
    assertThat(claims.get(id).reason()).startsWith("expired");
  }

  @Test
  void an_order_is_claimed_once_a_second_member_gets_a_conflict_and_the_same_member_the_first_claim() {
    String program = simpleProgram("within_balance");
    String orderId = knownOrder(unique("once-buyer"), 1_000);
    PersonRef first = member(program, Identifier.global(Identifier.MEMBER_NO, unique("m")));
    PersonRef second = member(program, Identifier.global(Identifier.LOGIN_ID, unique("l")));
    long id = claim(program, first, orderId).json().get("id").asLong();
    Http.Response again = claim(program, first, orderId);
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.json().get("id").asLong()).isEqualTo(id);
    Http.Response other = claim(program, second, orderId);
    assertThat(other.status()).isEqualTo(409);
    assertThat(other.code()).isEqualTo("conflict");
    assertThat(other.json().get("field").asString()).isEqualTo("orderNumber");
  }

  @Test
  void an_order_that_already_earned_for_its_buying_member_is_not_claimable_by_another() {
    String program = simpleProgram("within_balance");
    Identifier shopper = buyer(unique("member-buyer"));
    PersonRef buyingMember = member(program, shopper);
    String orderId = knownOrder(shopper.value(), 2_000);
    eventually(() -> balance(program, buyingMember).pending() == 20);
    PersonRef other = member(program, Identifier.global(Identifier.MEMBER_NO, unique("m")));
    Http.Response r = claim(program, other, orderId);
    assertThat(r.json().get("status").asString()).isEqualTo("REJECTED");
    assertThat(r.json().get("reason").asString()).startsWith("already_earned");
    assertThat(balance(program, other).pending()).isZero();
  }

  @Test
  void oneid_guards_refuse_to_link_a_buyer_identified_as_someone_else_and_the_claim_is_rejected() {
    String program = simpleProgram("within_balance");
    Identifier shopper = buyer(unique("guarded-buyer"));
    personWith(shopper, Identifier.global(Identifier.MEMBER_NO, unique("someone-else"))); // identified: sticky
    String orderId = knownOrder(shopper.value(), 5_000);
    PersonRef member = member(program, Identifier.global(Identifier.MEMBER_NO, unique("m")));
    Http.Response r = claim(program, member, orderId);
    assertThat(r.json().get("status").asString()).as(r.body()).isEqualTo("REJECTED");
    assertThat(r.json().get("reason").asString()).startsWith("buyer_not_linked");
    assertThat(persons.personOf(shopper).orElseThrow().value()).isNotEqualTo(member.value());
    assertThat(balance(program, member).pending()).isZero();
  }

  @Test
  void cancelled_and_too_old_orders_are_rejected() {
    String program = simpleProgram("within_balance");
    String buyerId = unique("cancel-buyer");
    String cancelled = knownOrder(buyerId, 4_000);
    pushOrder(cancelled, buyerId, "CANCELLED", 4_000, START.plusSeconds(10), ",\"cancelledAt\":\"" + START.plusSeconds(10) + "\"");
    eventually(() -> facts.byNumber("taobao", cancelled).getFirst().cancelledAt() != null);
    String old = knownOrder(unique("old-buyer"), 4_000);
    PersonRef member = member(program, Identifier.global(Identifier.MEMBER_NO, unique("m")));
    assertThat(claim(program, member, cancelled).json().get("reason").asString()).startsWith("order_cancelled");
    clock.set(START.plus(Duration.ofDays(91)));
    assertThat(claim(program, member, old).json().get("reason").asString()).startsWith("order_too_old");
  }

  @Test
  void only_members_claim() {
    String program = simpleProgram("within_balance");
    PersonRef stranger = personWith(Identifier.global(Identifier.MEMBER_NO, unique("not-joined")));
    Http.Response r = claim(program, stranger, "ANY" + System.nanoTime());
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.code()).isEqualTo("not_found");
  }

  @Test
  void a_member_submitting_too_many_claims_is_told_when_to_retry() throws Exception {
    String program = simpleProgram("within_balance");
    PersonRef member = member(program, Identifier.global(Identifier.MEMBER_NO, unique("m")));
    for (int i = 0; i < 5; i++) {
      assertThat(claim(program, member, "RL" + i + "-" + System.nanoTime()).status()).isEqualTo(202);
      clock.set(clock.instant().plusSeconds(60));
    }
    HttpResponse<String> limited =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/loyalty/programs/" + program + "/members/"
                        + member.value() + "/claims"))
                    .header("Authorization", ADMIN)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"taobao\",\"orderNumber\":\"RL-over\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    assertThat(limited.body()).contains("\"code\":\"rate_limited\"");
    // the first claim was 5 minutes ago: it leaves the one-hour window in 55 minutes
    assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(55 * 60L, 55 * 60L + 1);

    JsonNode list = new Http(port).get("/api/v1/loyalty/programs/" + program + "/claims?status=held&personId=" + member.value(), ADMIN).json();
    assertThat(list.size()).isEqualTo(5);
  }
}
