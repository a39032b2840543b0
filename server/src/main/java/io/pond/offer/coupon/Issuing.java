package io.pond.offer.coupon;

import io.pond.offer.coupon.domain.ClaimPolicy;
import io.pond.offer.coupon.domain.CouponTemplate;
import io.pond.offer.coupon.domain.Refusal;
import io.pond.offer.member.Members;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import java.time.Clock;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Every way a coupon is issued goes through here: a member's claim (audience rules apply), an
 * operator's grant, a bulk job, an event or a tier benefit (audience rules do not). Stock and the
 * per-member limit always apply; see {@link Claims}.
 */
@Component
public class Issuing {

  private final Templates templates;
  private final Claims claims;
  private final Members members;
  private final Clock clock;

  Issuing(Templates templates, Claims claims, Members members, Clock clock) {
    this.templates = templates;
    this.claims = claims;
    this.members = members;
    this.clock = clock;
  }

  /** A member claims a coupon (领券). Idempotent on {@code issueKey} when one is given. */
  public IssueOutcome claim(String templateCode, int personId, String issueKey) {
    return issue(templateCode, personId, "claim", issueKey, true);
  }

  /**
   * Issues without the audience rules (operator grants, bulk jobs, events, benefits); {@code source}
   * says which ({@code grant}, {@code bulk:12}, {@code tier_up}, {@code birthday}…).
   */
  public IssueOutcome grant(String templateCode, int personId, String source, String issueKey) {
    return issue(templateCode, personId, source, issueKey, false);
  }

  private IssueOutcome issue(String templateCode, int personId, String source, String issueKey, boolean checkAudience) {
    if (personId <= 0) {
      throw PondException.invalid("personId", "must be a positive person id");
    }
    if (issueKey != null && (issueKey.isBlank() || issueKey.length() > 200)) {
      throw PondException.invalid("idempotencyKey", "must be 1-200 characters");
    }
    Templates.Template t =
        templates.findByCode(templateCode).orElseThrow(() -> PondException.notFound("template", templateCode));
    CouponTemplate rules = t.rules();
    boolean needsPerson = checkAudience && (rules.memberOnly() || !rules.tiers().isEmpty() || rules.newCustomerOnly());
    ClaimPolicy.Person person = needsPerson ? members.person(personId) : ClaimPolicy.Person.UNKNOWN;
    Optional<Refusal> refusal = ClaimPolicy.refusal(rules, person, clock.instant(), checkAudience);
    if (refusal.isPresent()) {
      return new IssueOutcome.Refused(refusal.get().reason(), refusal.get().message());
    }
    return claims.issue(t, personId, source, issueKey);
  }

  /** Re-reads a template's stock after an operator changed it. */
  public void refresh(String templateCode) {
    claims.changed(templates.byCode(templateCode).id());
  }

  /** The coupon, or the refusal as a problem: out_of_stock, coupon_limit_reached, not_eligible. */
  public static IssueOutcome.Issued orThrow(IssueOutcome outcome) {
    return switch (outcome) {
      case IssueOutcome.Issued i -> i;
      case IssueOutcome.Refused r ->
          throw new PondException(
              switch (r.reason()) {
                case "out_of_stock" -> ErrorCode.OUT_OF_STOCK;
                case "limit_reached" -> ErrorCode.COUPON_LIMIT_REACHED;
                default -> ErrorCode.NOT_ELIGIBLE;
              },
              r.message(),
              "template");
    };
  }
}
