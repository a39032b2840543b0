package io.pond.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.identity.Evidence;
import io.pond.identity.PersonId;
import io.pond.identity.Persons;
import io.pond.identity.ResolvingIdentity;
import io.pond.loyalty.orders.OrderFacts;
import io.pond.platform.Identifier;
import io.pond.support.Http;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Orders pushed through commerce's POS adapter, persons made through OneID, members with accounts. */
abstract class OrdersTestSupport extends LoyaltyTestSupport {

  static final String ADMIN = Http.basic("admin", "loyalty-admin-pw");

  @Autowired ResolvingIdentity identity;
  @Autowired Persons persons;
  @Autowired OrderFacts facts;
  @Autowired JdbcClient jdbc;

  PersonRef personWith(Identifier... identifiers) {
    PersonId id =
        identity.resolve(Evidence.together("test", clock.instant(), UUID.randomUUID().toString(), identifiers)).person().orElseThrow();
    return new PersonRef(id.value());
  }

  PersonRef member(String program, Identifier identifier) {
    PersonRef person = personWith(identifier);
    ledger.ensureAccount(programs.get(program), person.value());
    return person;
  }

  static Identifier buyer(String value) {
    return Identifier.scoped(Identifier.TAOBAO_OPEN_UID, "app-1", value);
  }

  Http.Response pushOrder(String orderId, String buyerId, String status, long paidFen, Instant modifiedAt, String extra) {
    String body =
        "{\"channel\":\"taobao\",\"shopId\":\"flagship\",\"orderId\":\"" + orderId + "\",\"status\":\"" + status + "\",\"modifiedAt\":\""
            + modifiedAt + "\",\"paidFen\":" + paidFen + ",\"paidAt\":\"" + START + "\",\"buyers\":[{\"type\":\"taobao_open_uid\",\"scope\":\"app-1\","
            + "\"value\":\"" + buyerId + "\"}]" + extra + "}";
    Http.Response r = new Http(port).post("/api/v1/orders", ADMIN, body);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r;
  }

  static void eventually(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within 20 s").isLessThan(deadline);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }
}
