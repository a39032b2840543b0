package io.pond.identity.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.support.Http;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Buyer identifiers on orders go through OneID (issue 5: "buyer identifiers go through OneID"). */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"POND_ADMIN_PASSWORD=correct-horse"})
class OrderBuyersTest {

  private static final String ADMIN = Http.basic("admin", "correct-horse");

  @LocalServerPort int port;

  @Test
  void the_buyer_ids_of_one_order_become_one_person_and_a_repeat_changes_nothing() throws Exception {
    Http http = new Http(port);
    String sale = """
        {"shopId":"store-bj-02","orderId":"POS-1","status":"COMPLETED","modifiedAt":"2026-06-01T06:30:00Z",
         "paidFen":25900,"createdAt":"2026-06-01T06:29:00Z","paidAt":"2026-06-01T06:30:00Z",
         "completedAt":"2026-06-01T06:30:00Z",
         "buyers":[{"type":"phone","value":"+8613900002222"},{"type":"member_no","value":"M-777"}],
         "lines":[{"sku":"TEA-1","title":"乌龙茶","category":"茶","quantity":1,"unitPriceFen":25900,"paidFen":25900}]}""";
    assertThat(http.post("/api/v1/orders", ADMIN, sale).status()).isEqualTo(200);
    assertThat(http.post("/api/v1/orders", ADMIN, sale).status()).isEqualTo(200);

    JsonNode person = null;
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      Http.Response r = http.get("/api/v1/persons/lookup?type=member_no&value=M-777", ADMIN);
      if (r.status() == 200 && r.json().get("identifiers").size() == 2) {
        person = r.json();
        break;
      }
      Thread.sleep(100);
    }
    assertThat(person).as("a person for member M-777 with both identifiers").isNotNull();
    List<String> types = person.get("identifiers").valueStream().map(i -> i.get("type").asString()).toList();
    assertThat(types).containsExactlyInAnyOrder("phone", "member_no");
    JsonNode byPhone = http.get("/api/v1/persons/lookup?type=phone&value=13900002222", ADMIN).json();
    assertThat(byPhone.get("personId").asInt()).isEqualTo(person.get("personId").asInt());
  }
}
