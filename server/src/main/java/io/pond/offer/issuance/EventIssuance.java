package io.pond.offer.issuance;

import io.pond.loyalty.MemberJoined;
import io.pond.loyalty.PaidMembershipExpired;
import io.pond.loyalty.PaidMembershipRenewed;
import io.pond.loyalty.PaidMembershipStarted;
import io.pond.loyalty.TierChanged;
import io.pond.offer.benefit.Benefits;
import io.pond.offer.coupon.IssueOutcome;
import io.pond.offer.coupon.Issuing;
import io.pond.offer.firstorder.FirstOrders;
import io.pond.offer.member.Members;
import io.pond.platform.errors.PondException;
import io.pond.profile.ProfileChanged;
import io.pond.profile.ProfilesChanged;
import io.pond.profile.ProfileChangeBatches;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Coupons issued on events: joining (入会有礼, and enrolment in first-order programs), reaching a tier
 * (the tier's upgrade coupons), a birthday (birthday triggers and the tier's or plan's birthday gift).
 * Each issue has a key naming the occasion ({@code join:42}, {@code tier:main:L2:42},
 * {@code birthday:2026:42}), so a redelivered event or a second run of the daily job issues nothing
 * more.
 *
 * <p>Loyalty's events drive it: {@code MemberJoined} (join gifts, first-order enrolment),
 * {@code TierChanged} (the tier, upgrade coupons), {@code PaidMembershipStarted} / {@code Renewed} /
 * {@code Expired} (the plans whose benefits a member has), profile's {@code ProfileChanged} (the
 * birthday). Listeners run after the publisher's commit and are redelivered on failure; every effect is
 * keyed or an upsert, so a redelivery changes nothing.
 */
@Component
public class EventIssuance {

  private static final Logger log = LoggerFactory.getLogger(EventIssuance.class);

  private final Members members;
  private final Benefits benefits;
  private final Triggers triggers;
  private final Issuing issuing;
  private final FirstOrders firstOrders;
  private final ProfileChangeBatches profileBatches;
  private final Clock clock;

  EventIssuance(Members members, Benefits benefits, Triggers triggers, Issuing issuing, FirstOrders firstOrders,
      ProfileChangeBatches profileBatches, Clock clock) {
    this.profileBatches = profileBatches;
    this.members = members;
    this.benefits = benefits;
    this.triggers = triggers;
    this.issuing = issuing;
    this.firstOrders = firstOrders;
    this.clock = clock;
  }

  @ApplicationModuleListener
  void on(TierChanged change) {
    tierChanged(change.program(), change.person().value(), change.fromTier(), change.toTier(), change.at());
  }

  @ApplicationModuleListener
  void on(MemberJoined joined) {
    joined(joined.person().value(), joined.at());
  }

  @ApplicationModuleListener
  void on(PaidMembershipStarted started) {
    members.planStarted(started.person().value(), started.plan(), started.startedAt(), started.endsAt());
  }

  @ApplicationModuleListener
  void on(PaidMembershipRenewed renewed) {
    members.renew(renewed.person().value(), renewed.plan(), renewed.at(), renewed.endsAt());
  }

  @ApplicationModuleListener
  void on(PaidMembershipExpired expired) {
    members.endPlan(expired.person().value(), expired.plan(), expired.endedAt());
  }

  @ApplicationModuleListener
  void on(ProfileChanged change) {
    birthday(change);
  }

  @ApplicationModuleListener
  void on(ProfilesChanged changes) {
    profileBatches.changes(changes.batchId()).forEach(this::birthday);
  }

  private void birthday(ProfileChanged change) {
    if (change.traits().containsKey("birthday")) {
      try {
        members.birthday(change.personId(), change.traits().get("birthday"));
      } catch (PondException e) {
        log.debug("Ignored birthday trait of person {}: {}", change.personId(), e.getMessage());
      }
    }
  }

  /** Records the tier; a move to a higher configured tier issues its upgrade coupons (once per tier and person). */
  public void tierChanged(String program, int personId, String fromTier, String toTier, Instant at) {
    if (personId <= 0 || toTier == null || toTier.isBlank()) {
      return; // no tier (an account closed by a merge, or a test removing one): nothing to record or issue
    }
    members.tier(program, personId, toTier, at);
    Optional<Integer> to = benefits.level(program, toTier);
    Optional<Integer> from = fromTier == null ? Optional.empty() : benefits.level(program, fromTier);
    if (to.isPresent() && (from.isEmpty() || to.get() > from.get())) {
      for (String template : benefits.upgradeCoupons(program, toTier)) {
        issue(template, personId, "tier_up", "tier:" + program + ":" + toTier + ":" + personId);
      }
    }
  }

  /**
   * A person became a member (loyalty's {@code MemberJoined}, once per program): join gifts (keyed
   * {@code join:<person>}, so once per person whatever the number of programs or redeliveries), and
   * first-order programs that enrol on join (an enrolment is made once).
   */
  public void joined(int personId, Instant at) {
    if (personId <= 0) {
      return;
    }
    members.join(personId, at);
    for (String template : triggers.templates(Triggers.Event.JOIN)) {
      issue(template, personId, "join", "join:" + personId);
    }
    firstOrders.enrolOnJoin(personId, at);
  }

  /** Issues birthday coupons to members whose birthday is {@code day}; returns how many were issued (not replayed). */
  public int birthdays(LocalDate day) {
    int issued = 0;
    for (int personId : members.birthdaysOn(day)) {
      Set<String> templates = new LinkedHashSet<>(triggers.templates(Triggers.Event.BIRTHDAY));
      templates.addAll(benefits.birthdayGifts(personId));
      for (String template : templates) {
        issued += issue(template, personId, "birthday", "birthday:" + day.getYear() + ":" + personId) ? 1 : 0;
      }
    }
    return issued;
  }

  /** Today in the brand's timezone. */
  public LocalDate today() {
    return LocalDate.now(clock);
  }

  private boolean issue(String template, int personId, String source, String key) {
    try {
      IssueOutcome outcome = issuing.grant(template, personId, source, key);
      if (outcome instanceof IssueOutcome.Refused r) {
        log.warn("No {} coupon {} for person {}: {}", source, template, personId, r.message());
        return false;
      }
      return !((IssueOutcome.Issued) outcome).replayed();
    } catch (PondException e) {
      log.warn("No {} coupon {} for person {}: {}", source, template, personId, e.getMessage());
      return false;
    }
  }
}
