package io.pond.loyalty.membership;

import io.pond.loyalty.MemberJoins;
import io.pond.loyalty.PersonRef;
import io.pond.loyalty.program.Programs;
import io.pond.loyalty.program.domain.ProgramConfig;
import java.util.Optional;
import org.springframework.stereotype.Service;

/** {@link MemberJoins} over {@link Memberships}. */
@Service
class MemberJoinsService implements MemberJoins {

  private final Memberships memberships;
  private final Programs programs;

  MemberJoinsService(Memberships memberships, Programs programs) {
    this.memberships = memberships;
    this.programs = programs;
  }

  @Override
  public long joinGiftPoints(String program) {
    ProgramConfig.Earning earning = programs.get(program).config().earning();
    ProgramConfig.EventReward gift = earning == null || earning.events() == null ? null : earning.events().get(Memberships.JOIN_GIFT);
    return gift == null || gift.points() == null ? 0 : gift.points();
  }

  @Override
  public Optional<Membership> membership(String program, PersonRef person) {
    return memberships.member(program, person.value())
        .map(m -> new Membership(program, m.personId(), m.joinedAt(), m.joinChannel(), m.joinShop()));
  }

  @Override
  public Joined join(String program, PersonRef person, String channel, String shop) {
    Memberships.Joined joined = memberships.joinKnown(program, person, channel, shop);
    return new Joined(program, joined.personId(), joined.newMember(), joined.giftPoints(), joined.giftExplanation());
  }
}
