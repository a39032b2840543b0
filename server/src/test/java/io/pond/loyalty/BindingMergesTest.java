package io.pond.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.loyalty.ledger.AccountMerges;
import io.pond.loyalty.membership.Memberships;
import io.pond.support.Http;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Channel bindings follow OneID merges and splits (docs/loyalty.md, "Person merges and splits"). */
class BindingMergesTest extends LoyaltyTestSupport {

  private static final String ADMIN = Http.basic("admin", "loyalty-admin-pw");

  @Autowired Memberships memberships;
  @Autowired AccountMerges merges;
  @Autowired JdbcClient jdbc;

  private record Pushed(long bindingId, long seq, long points) {}

  private List<Pushed> pushed(long bindingId) {
    return jdbc.sql("SELECT binding_id, seq, points FROM loyalty_connect_outbox WHERE binding_id = ? AND kind = 'STATE' ORDER BY seq")
        .param(bindingId)
        .query((rs, n) -> new Pushed(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
        .list();
  }

  private int personOf(long bindingId) {
    return jdbc.sql("SELECT person_id FROM loyalty_binding WHERE id = ?").param(bindingId).query(Integer.class).single();
  }

  @Test
  void a_merge_moves_the_merged_persons_bindings_to_the_survivor_and_a_split_gives_exactly_those_back() {
    String program = program(MembershipJoinTest.withJoinGift(100));
    try {
      mergeAndSplit(program);
    } finally {
      // the connector points nowhere: leave no due pushes behind for other tests' publisher runs
      jdbc.sql("UPDATE loyalty_connector SET enabled = FALSE WHERE program_id = (SELECT id FROM loyalty_program WHERE code = ?)").param(program).update();
      jdbc.sql("DELETE FROM loyalty_connect_outbox WHERE connector_id IN (SELECT c.id FROM loyalty_connector c JOIN loyalty_program p ON p.id = c.program_id"
              + " WHERE p.code = ?)")
          .param(program)
          .update();
    }
  }

  private void mergeAndSplit(String program) {
    Http http = new Http(port);
    Http.Response saved =
        http.put("/api/v1/loyalty/programs/" + program + "/connectors/wh", ADMIN,
            "{\"kind\":\"webhook\",\"channel\":\"pos\",\"shop\":\"*\",\"secret\":\"s3cret-s3cret\",\"endpoint\":\"http://127.0.0.1:9/none\"}");
    assertThat(saved.status()).as(saved.body()).isEqualTo(200);

    // two persons, each a member with a binding of its own; the merged one is more active (higher sequence)
    Memberships.Joined s = memberships.join(new Memberships.Join(program, "pos", "store-1", MembershipJoinTest.uid("card-"), "member_no", MembershipJoinTest.phone(), null));
    Memberships.Joined m = memberships.join(new Memberships.Join(program, "pos", "store-2", MembershipJoinTest.uid("card-"), "member_no", MembershipJoinTest.phone(), null));
    assertThat(m.personId()).isNotEqualTo(s.personId());
    PersonRef survivor = new PersonRef(s.personId());
    PersonRef merged = new PersonRef(m.personId());
    for (int i = 0; i < 5; i++) {
      adjust(program, merged, "a" + i, 10);
    }
    long mergedSeqBefore = pushed(m.bindingId()).getLast().seq();
    assertThat(mergedSeqBefore).isGreaterThan(pushed(s.bindingId()).getLast().seq());

    long mergeId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    assertThat(merges.merge(program, survivor, merged, mergeId)).isPresent();

    assertThat(personOf(m.bindingId())).as("the merged person's binding serves the survivor").isEqualTo(survivor.value());
    assertThat(memberships.member(program, survivor.value()).orElseThrow().bindings())
        .extracting(Memberships.Binding::id)
        .containsExactlyInAnyOrder(s.bindingId(), m.bindingId());
    // both bindings get the survivor's state at once, with a sequence past anything the moved binding's channel saw
    long total = 100 + 100 + 50;
    Pushed movedPush = pushed(m.bindingId()).getLast();
    assertThat(movedPush.points()).isEqualTo(total);
    assertThat(movedPush.seq()).isGreaterThan(mergedSeqBefore);
    assertThat(pushed(s.bindingId()).getLast().points()).isEqualTo(total);

    // later changes of the survivor reach the moved binding too
    adjust(program, survivor, "after", 7);
    assertThat(pushed(m.bindingId()).getLast().points()).isEqualTo(total + 7);
    // a replayed merge changes nothing
    assertThat(merges.merge(program, survivor, merged, mergeId)).isEmpty();

    // the split: the binding goes back to the restored person, who gets its own (empty) state, in sequence
    long seqBeforeSplit = pushed(m.bindingId()).getLast().seq();
    assertThat(merges.reopen(mergeId, "test")).isEqualTo(1);
    assertThat(personOf(m.bindingId())).isEqualTo(merged.value());
    assertThat(personOf(s.bindingId())).as("the survivor's own binding stays").isEqualTo(survivor.value());
    Pushed back = pushed(m.bindingId()).getLast();
    assertThat(back.points()).as("points stay with the survivor (see the split policy)").isZero();
    assertThat(back.seq()).isGreaterThan(seqBeforeSplit);
    assertThat(memberships.member(program, merged.value()).orElseThrow().bindings()).extracting(Memberships.Binding::id).containsExactly(m.bindingId());
    assertThat(memberships.member(program, survivor.value()).orElseThrow().bindings()).extracting(Memberships.Binding::id).containsExactly(s.bindingId());
    assertThat(events.stream(AccountSplit.class).filter(e -> e.program().equals(program)).toList())
        .singleElement()
        .satisfies(e -> assertThat(e.bindingsReturned()).isEqualTo(1));
    // a second split of the same merge does nothing
    assertThat(merges.reopen(mergeId, "test")).isZero();
    assertNoDrift();
  }

  @Test
  void a_survivor_who_was_no_member_becomes_one_by_the_merge_and_stops_being_one_at_the_split() {
    String program = program(MembershipJoinTest.withJoinGift(20));
    Memberships.Joined m = memberships.join(new Memberships.Join(program, "pos", "store-1", MembershipJoinTest.uid("card-"), "member_no", MembershipJoinTest.phone(), null));
    PersonRef merged = new PersonRef(m.personId());
    PersonRef survivor = newPerson();
    adjust(program, survivor, "x", 5); // an account, but no membership
    assertThat(memberships.member(program, survivor.value())).isEmpty();

    long mergeId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    merges.merge(program, survivor, merged, mergeId);
    Memberships.Member member = memberships.member(program, survivor.value()).orElseThrow();
    assertThat(member.joinChannel()).isEqualTo("pos");
    assertThat(member.bindings()).extracting(Memberships.Binding::id).containsExactly(m.bindingId());

    merges.reopen(mergeId, "test");
    assertThat(memberships.member(program, survivor.value())).isEmpty();
    assertThat(memberships.member(program, merged.value()).orElseThrow().bindings()).extracting(Memberships.Binding::id).containsExactly(m.bindingId());
  }

  private void adjust(String program, PersonRef person, String id, long points) {
    ledger.adjust(program, person, new io.pond.loyalty.ledger.PointsLedger.Key("ops", "adjustment", id), points, "test", "test");
  }
}
