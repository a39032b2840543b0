package io.pond.offer;

import io.pond.offer.coupon.Issuing;
import io.pond.offer.coupon.TemplateSpec;
import io.pond.offer.coupon.Templates;
import io.pond.support.Http;
import io.pond.support.MutableClock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;

/** One application context for the offer tests: jobs run by hand, time moved by a mutable clock. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"POND_ADMIN_PASSWORD=offer-admin-pw", "pond.loyalty.jobs.enabled=false", "pond.offer.jobs.enabled=false"})
@Import(OfferTestSupport.Clocks.class)
abstract class OfferTestSupport {

  static final String ADMIN = Http.basic("admin", "offer-admin-pw");
  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  static final Instant START = Instant.parse("2026-05-10T02:00:00Z");
  private static final AtomicInteger PERSONS = new AtomicInteger(50_000);

  @TestConfiguration(proxyBeanMethods = false)
  static class Clocks {
    @Bean
    @Primary
    MutableClock mutableClock() {
      return new MutableClock(START, SHANGHAI);
    }
  }

  @Autowired MutableClock clock;
  @Autowired Templates templates;
  @Autowired Issuing issuing;
  @Autowired JdbcClient jdbc;
  @Autowired org.springframework.context.ApplicationEventPublisher publisher;
  @Autowired org.springframework.transaction.PlatformTransactionManager transactionManager;
  @LocalServerPort int port;
  Http http;

  @BeforeEach
  void reset() {
    clock.set(START);
    http = new Http(port);
  }

  /** Publishes an event in a transaction, as the module that owns it would. */
  void publish(Object event) {
    new org.springframework.transaction.support.TransactionTemplate(transactionManager).executeWithoutResult(s -> publisher.publishEvent(event));
  }

  /** Waits up to 20 s for an asynchronous listener's effect. */
  static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
    long until = System.nanoTime() + 20_000_000_000L;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("condition not met within 20 s");
      }
      Thread.sleep(50);
    }
  }

  static int newPerson() {
    return PERSONS.incrementAndGet();
  }

  static String uniqueCode(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static TemplateSpec spec(String code, String kind, Long amountOff, Long threshold, Integer rate, Long stock) {
    return new TemplateSpec(code, null, kind, amountOff, threshold, rate, null, null, null, null, null, null, null, null, null, null, 30, null,
        stock, null, null, null, null, null, null, null);
  }

  /** A fixed-amount template with this stock and per-member limit, valid 30 days from issue. */
  String fixed(long amountOffFen, long stock, Integer perMemberLimit, boolean stackable) {
    String code = uniqueCode("fixed");
    templates.create(new TemplateSpec(code, null, "fixed", amountOffFen, null, null, null, null, null, null, null, null, null, null, null, null, 30,
        null, stock, perMemberLimit, null, null, null, stackable, null, null), "test");
    return code;
  }

  String template(TemplateSpec spec) {
    return templates.create(spec, "test").code();
  }

  long issuedCount(String template) {
    return jdbc.sql("SELECT COUNT(*) FROM offer_coupon c JOIN offer_template t ON t.id = c.template_id WHERE t.code = ?").param(template).query(Long.class).single();
  }

  static String json(List<?> values) {
    return values.stream().map(v -> v instanceof String s ? "\"" + s + "\"" : String.valueOf(v)).reduce((a, b) -> a + "," + b).map(s -> "[" + s + "]").orElse("[]");
  }
}
