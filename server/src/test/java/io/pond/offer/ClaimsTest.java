package io.pond.offer;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.offer.coupon.IssueOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Claims under contention: exact stock, per-member limits, idempotent keys, the store as the judge. */
class ClaimsTest extends OfferTestSupport {

  @Test
  void many_concurrent_claimers_get_exactly_the_stock_and_no_more() throws Exception {
    String template = fixed(500, 300, 1, false);
    List<Future<IssueOutcome>> outcomes = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 1_000; i++) {
        int person = newPerson();
        outcomes.add(pool.submit(() -> issuing.claim(template, person, null)));
      }
    }
    long issued = 0;
    long outOfStock = 0;
    for (Future<IssueOutcome> f : outcomes) {
      switch (f.get()) {
        case IssueOutcome.Issued i -> issued++;
        case IssueOutcome.Refused r -> {
          assertThat(r.reason()).isEqualTo("out_of_stock");
          outOfStock++;
        }
      }
    }
    assertThat(issued).isEqualTo(300);
    assertThat(outOfStock).isEqualTo(700);
    assertThat(issuedCount(template)).isEqualTo(300);
    assertThat(templates.byCode(template).issued()).isEqualTo(300);
    assertThat(jdbc.sql("SELECT COUNT(DISTINCT serial) FROM offer_coupon c JOIN offer_template t ON t.id = c.template_id WHERE t.code = ?")
        .param(template).query(Long.class).single()).isEqualTo(300);
  }

  @Test
  void one_member_claiming_concurrently_gets_no_more_than_the_per_member_limit() throws Exception {
    String template = fixed(500, 1_000, 2, false);
    int person = newPerson();
    List<Future<IssueOutcome>> outcomes = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 50; i++) {
        outcomes.add(pool.submit(() -> issuing.claim(template, person, null)));
      }
    }
    long refusedForLimit = 0;
    for (Future<IssueOutcome> f : outcomes) {
      if (f.get() instanceof IssueOutcome.Refused r && r.reason().equals("limit_reached")) {
        refusedForLimit++;
      }
    }
    assertThat(refusedForLimit).isEqualTo(48);
    assertThat(issuedCount(template)).isEqualTo(2);
  }

  @Test
  void claiming_again_with_the_same_key_answers_the_first_coupon_even_when_the_calls_race() throws Exception {
    String template = fixed(500, 10, null, false);
    int person = newPerson();
    List<Future<IssueOutcome>> outcomes = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 20; i++) {
        outcomes.add(pool.submit(() -> issuing.claim(template, person, "tap-1")));
      }
    }
    List<String> codes = new ArrayList<>();
    for (Future<IssueOutcome> f : outcomes) {
      codes.add(((IssueOutcome.Issued) f.get()).coupon().code());
    }
    assertThat(codes).containsOnly(codes.get(0));
    assertThat(issuedCount(template)).isEqualTo(1);
    // the stock the racing duplicates took in memory was given back
    for (int i = 0; i < 9; i++) {
      assertThat(issuing.claim(template, newPerson(), null)).isInstanceOf(IssueOutcome.Issued.class);
    }
    assertThat(issuing.claim(template, newPerson(), null)).isInstanceOfSatisfying(IssueOutcome.Refused.class, r -> assertThat(r.reason()).isEqualTo("out_of_stock"));
  }

  @Test
  void stock_taken_behind_the_allocators_back_is_never_oversold() {
    String template = fixed(500, 20, null, false);
    for (int i = 0; i < 5; i++) {
      issuing.claim(template, newPerson(), null);
    }
    // another process on the same store issues 10 more: the allocator here still believes 15 are left
    jdbc.sql("UPDATE offer_template SET issued = issued + 10 WHERE code = ?").param(template).update();
    int issued = 0;
    for (int i = 0; i < 20; i++) {
      if (issuing.claim(template, newPerson(), null) instanceof IssueOutcome.Issued) {
        issued++;
      }
    }
    assertThat(issued).isEqualTo(5);
    assertThat(templates.byCode(template).issued()).isEqualTo(20);
  }

  @Test
  void coupon_codes_are_unique_and_unguessable_looking() {
    String template = fixed(100, 200, null, false);
    List<String> codes = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      codes.add(((IssueOutcome.Issued) issuing.claim(template, newPerson(), null)).coupon().code());
    }
    assertThat(codes).doesNotHaveDuplicates().allMatch(c -> c.matches("[0-9A-HJKMNP-TV-Z]{20}"));
  }
}
