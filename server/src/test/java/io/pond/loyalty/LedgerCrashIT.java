package io.pond.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.support.Http;
import io.pond.support.IsolatedStores;
import io.pond.support.PondJar;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A 2xx from the ledger means posted: the packaged jar is killed with SIGKILL while clients earn and
 * redeem in parallel over HTTP on a few hot accounts; after a restart on the same stores every
 * acknowledged posting is there exactly once, every refused one is absent, {@code ./pond loyalty
 * reconcile} finds no drift (so no lot is below zero and balances are the sums of their entries), and
 * retrying acknowledged requests changes nothing.
 */
class LedgerCrashIT {

  private static final String ADMIN = Http.basic("admin", "ledger-crash-pw");
  private static final int MEMBERS = 8;
  private static final String SOURCE = "crash_it";

  /** One request a client sent: a review (earns 50) or a redemption, with the answer it got. */
  private record Posting(int member, String businessId, boolean earn, long points) {
    String path(String program) {
      return "/api/v1/loyalty/programs/" + program + "/members/" + member + (earn ? "/events" : "/redemptions");
    }

    String body() {
      return earn
          ? "{\"type\":\"review\",\"source\":\"" + SOURCE + "\",\"businessId\":\"" + businessId + "\"}"
          : "{\"source\":\"" + SOURCE + "\",\"businessId\":\"" + businessId + "\",\"points\":" + points + "}";
    }
  }

  @Test
  void every_acknowledged_posting_survives_a_sigkill_exactly_once_and_the_ledger_reconciles() throws Exception {
    assertThat(PondJar.JAR).exists();
    Path dataDir = IsolatedStores.newDataDir("ledger-crash-" + UUID.randomUUID());
    Map<String, String> env = new HashMap<>(Map.of("POND_DATA_DIR", dataDir.toString(), "POND_ADMIN_PASSWORD", "ledger-crash-pw"));
    if (System.getenv("POND_DB_URL") != null) {
      env.put("POND_DB_URL",
          IsolatedStores.newSchema(System.getenv("POND_DB_URL"), "postgres", "", "lc_" + UUID.randomUUID().toString().substring(0, 8)));
    }
    String program = "crash" + ThreadLocalRandom.current().nextInt(1_000_000);
    Set<Posting> acknowledged = ConcurrentHashMap.newKeySet();
    Set<Posting> refused = ConcurrentHashMap.newKeySet();
    Set<String> sent = ConcurrentHashMap.newKeySet();

    PondJar.Server first = PondJar.start(env);
    AtomicBoolean sending = new AtomicBoolean(true);
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      Http http = new Http(first.port());
      Http.Response created =
          http.post("/api/v1/loyalty/programs", ADMIN,
              "{\"code\":\"" + program + "\",\"config\":{\"earning\":{\"events\":{\"review\":{\"points\":50,\"dailyLimit\":0}}}}}");
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      for (int t = 0; t < 8; t++) {
        clients.submit(
            () -> {
              ThreadLocalRandom random = ThreadLocalRandom.current();
              while (sending.get()) {
                Posting p = new Posting(1 + random.nextInt(MEMBERS), UUID.randomUUID().toString(), random.nextInt(5) < 3, 10 + random.nextInt(60));
                sent.add(p.businessId());
                try {
                  Http.Response r = http.post(p.path(program), ADMIN, p.body());
                  if (r.status() == 200) {
                    acknowledged.add(p);
                  } else if (r.status() == 409 || r.status() == 404) {
                    refused.add(p); // insufficient points, or no account yet: nothing may be posted
                  }
                } catch (RuntimeException e) {
                  // the server died under us: not acknowledged, may or may not be posted
                }
              }
            });
      }
      // kill mid-load: after 500 acknowledged postings, or after two minutes on a slow (shared) machine
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (acknowledged.size() < 500 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(acknowledged.size()).as("postings acknowledged before the kill").isGreaterThanOrEqualTo(50);
      first.kill();
    } finally {
      sending.set(false);
      clients.shutdown();
      clients.awaitTermination(60, TimeUnit.SECONDS);
      first.process().destroyForcibly();
    }
    System.out.printf("ledger crash test: %d acknowledged, %d refused, %d sent%n", acknowledged.size(), refused.size(), sent.size());

    PondJar.Server second = PondJar.start(env);
    try {
      Http http = new Http(second.port());
      Map<String, Integer> stored = new HashMap<>();
      for (int member = 1; member <= MEMBERS; member++) {
        long sum = 0;
        Long before = null;
        while (true) {
          JsonNode page =
              http.get("/api/v1/loyalty/programs/" + program + "/members/" + member + "/entries?limit=500" + (before == null ? "" : "&before=" + before),
                  ADMIN).json();
          for (JsonNode e : page.values()) {
            String businessId = e.get("businessId").asString();
            stored.merge(businessId.substring(businessId.indexOf('/') + 1), 1, Integer::sum);
            sum += e.get("points").asLong();
            before = e.get("id").asLong();
          }
          if (page.size() < 500) {
            break;
          }
        }
        JsonNode balance = http.get("/api/v1/loyalty/programs/" + program + "/members/" + member, ADMIN).json();
        assertThat(balance.get("available").asLong()).as("balance of member %d = Σ its entries", member).isEqualTo(sum);
        assertThat(balance.get("available").asLong()).as("member %d never overspent", member).isNotNegative();
      }
      assertThat(stored.values()).as("no posting is stored twice").allMatch(n -> n == 1);
      for (Posting p : acknowledged) {
        assertThat(stored).as("acknowledged %s", p).containsKey(p.businessId());
      }
      for (Posting p : refused) {
        assertThat(stored).as("refused %s", p).doesNotContainKey(p.businessId());
      }
      assertThat(sent).as("nothing is stored that was not sent").containsAll(stored.keySet());


      // a client retrying acknowledged requests after the restart is answered with the first postings
      List<Posting> retried = new ArrayList<>(acknowledged).subList(0, Math.min(50, acknowledged.size()));
      for (Posting p : retried) {
        Http.Response r = http.post(p.path(program), ADMIN, p.body());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("replayed").asBoolean()).isTrue();
      }
    } finally {
      second.process().destroy();
      second.process().waitFor(120, TimeUnit.SECONDS);
      second.process().destroyForcibly();
    }
    // the CLI opens the stores itself, so it runs once the server has stopped
    PondJar.Run reconcile = PondJar.run(env, "loyalty", "reconcile", "--no-progress");
    assertThat(reconcile.output()).as(reconcile.output()).contains("no drift").doesNotContain("DRIFT");
    assertThat(reconcile.exitCode()).isZero();
  }
}
