package io.pond.membercenter.account;

import io.pond.membercenter.CurrentMember;
import io.pond.loyalty.MemberClaims;
import io.pond.loyalty.MemberJoins;
import io.pond.loyalty.MemberPoints;
import io.pond.loyalty.PersonRef;
import io.pond.offer.MemberCoupons;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import io.pond.platform.errors.Problems;
import io.pond.profile.ConsentCapture;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The signed-in member's membership (join), order claims and coupons. Every call acts for the person
 * of the member token only: no person or member id is ever taken from the request.
 */
@RestController
@Tag(name = "Member center", description = "The member's own view: sign-in with a one-time code, card, points, mall")
class MemberAccountController {

  /** Where a member-center join comes from, as loyalty records it. */
  static final String CHANNEL = "member_center";
  static final String SHOP = "h5";

  private final MemberPoints points;
  private final MemberJoins joins;
  private final MemberClaims claims;
  private final MemberCoupons coupons;
  private final ConsentCapture consents;
  private final CurrentMember currentMember;

  MemberAccountController(
      MemberPoints points, MemberJoins joins, MemberClaims claims, MemberCoupons coupons, ConsentCapture consents, CurrentMember currentMember) {
    this.currentMember = currentMember;
    this.points = points;
    this.joins = joins;
    this.claims = claims;
    this.coupons = coupons;
    this.consents = consents;
  }

  // ---- join (入会) ---------------------------------------------------------------------------------

  record Membership(
      String program, String name, boolean member, Instant joinedAt, String joinChannel, long joinGiftPoints, boolean marketingConsent,
      MemberPoints.Balance balance) {}

  @GetMapping("/api/v1/member/membership")
  @Operation(summary = "Am I a member of the program: when and where I joined, or what joining gives (the join gift)")
  Membership membership(@RequestParam(required = false) String program) {
    int person = current();
    MemberPoints.Program p = program(program);
    PersonRef ref = new PersonRef(person);
    var balance = points.balance(p.code(), ref);
    var joined = joins.membership(p.code(), ref);
    return new Membership(
        p.code(), p.name(), balance.isPresent() || joined.isPresent(), joined.map(MemberJoins.Membership::joinedAt).orElse(null),
        joined.map(MemberJoins.Membership::joinChannel).orElse(null), joins.joinGiftPoints(p.code()),
        Boolean.TRUE.equals(consents.granted(person).get("marketing")), balance.orElse(null));
  }

  record JoinRequest(Boolean marketingConsent) {}

  record Joined(String program, boolean newMember, long giftPoints, String giftExplanation, MemberPoints.Balance balance) {}

  @PostMapping("/api/v1/member/membership/join")
  @Operation(summary = "Join the program (入会) as the signed-in person; the join gift once; records the marketing consent given")
  ResponseEntity<Joined> join(@RequestParam(required = false) String program, @RequestBody(required = false) JoinRequest r) {
    if (r == null || r.marketingConsent() == null) {
      throw PondException.invalid("marketingConsent", "say whether you agree to receive marketing (true or false)");
    }
    int person = current();
    MemberPoints.Program p = program(program);
    MemberJoins.Joined joined = joins.join(p.code(), new PersonRef(person), CHANNEL, SHOP);
    boolean before = Boolean.TRUE.equals(consents.granted(person).get("marketing"));
    if (joined.newMember() || before != r.marketingConsent()) {
      consents.record(person, "marketing", r.marketingConsent(), "member_center:join");
    }
    Joined body = new Joined(p.code(), joined.newMember(), joined.giftPoints(), joined.giftExplanation(),
        points.balance(p.code(), new PersonRef(person)).orElse(null));
    return ResponseEntity.status(joined.newMember() ? HttpStatus.CREATED : HttpStatus.OK).body(body);
  }

  // ---- order claims (订单换积分) --------------------------------------------------------------------

  record ClaimRequest(String channel, String orderNumber, String shop) {}

  @PostMapping("/api/v1/member/claims")
  @Operation(summary = "Claim points for an order of mine by channel and order number: 201 settled (credited or refused with a reason), 202 held until the order arrives")
  ResponseEntity<MemberClaims.Claim> claim(@RequestParam(required = false) String program, @RequestBody(required = false) ClaimRequest r) {
    if (r == null) {
      throw PondException.invalid("orderNumber", "send a channel and an order number");
    }
    String channel = r.channel() == null ? null : r.channel().strip().toLowerCase(Locale.ROOT);
    if (channel == null || channel.isEmpty()) {
      throw PondException.invalid("channel", "choose the channel the order was placed on");
    }
    if (r.orderNumber() == null || r.orderNumber().isBlank()) {
      throw PondException.invalid("orderNumber", "enter the order number");
    }
    if (!r.orderNumber().strip().matches("[A-Za-z0-9_-]{1,64}")) {
      throw PondException.invalid("orderNumber", "an order number is 1-64 letters, digits, '-' or '_'");
    }
    String shop = r.shop() == null || r.shop().isBlank() ? null : r.shop().strip();
    int person = current();
    MemberPoints.Program p = program(program);
    requireMember(p, person);
    MemberClaims.Claim claim = claims.submit(p.code(), new PersonRef(person), channel, r.orderNumber().strip(), shop);
    return ResponseEntity.status("HELD".equals(claim.status()) ? HttpStatus.ACCEPTED : HttpStatus.CREATED).body(claim);
  }

  @GetMapping("/api/v1/member/claims")
  @Operation(summary = "My order claims, newest first, with their status and reason")
  List<MemberClaims.Claim> claims(
      @RequestParam(required = false) String program,
      @RequestParam(required = false) Long before,
      @RequestParam(defaultValue = "20") int limit) {
    if (limit < 1 || limit > 100) {
      throw PondException.invalid("limit", "must be between 1 and 100");
    }
    MemberPoints.Program p = program(program);
    return claims.list(p.code(), new PersonRef(current()), before, limit);
  }

  @ExceptionHandler(MemberClaims.RateLimited.class)
  ResponseEntity<ProblemDetail> rateLimited(MemberClaims.RateLimited e) {
    return ResponseEntity.status(429).header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds())).body(Problems.of(e));
  }

  // ---- coupons (卡券包, 领券中心) ---------------------------------------------------------------------

  private static final Set<String> COUPON_STATUSES = Set.of("available", "locked", "used", "expired");

  @GetMapping("/api/v1/member/coupons")
  @Operation(summary = "My coupons, newest first; status available, locked, used or expired")
  List<MemberCoupons.Coupon> coupons(@RequestParam(required = false) String status) {
    if (status != null && !COUPON_STATUSES.contains(status)) {
      throw PondException.invalid("status", "must be one of available, locked, used, expired");
    }
    return coupons.coupons(current()).stream().filter(c -> status == null || c.status().equals(status)).toList();
  }

  @GetMapping("/api/v1/member/coupons/claimable")
  @Operation(summary = "Coupons of the claim center (领券中心), each saying whether I may claim it and why not")
  List<MemberCoupons.Claimable> claimable() {
    return coupons.claimable(current());
  }

  record CouponClaimRequest(String requestId) {}

  @PostMapping("/api/v1/member/coupons/claimable/{template}/claim")
  @Operation(summary = "Claim a coupon of the claim center; idempotent on requestId (201 new, 200 replayed)")
  ResponseEntity<MemberCoupons.Claimed> claimCoupon(@PathVariable String template, @RequestBody(required = false) CouponClaimRequest r) {
    if (r == null || r.requestId() == null || r.requestId().isBlank() || r.requestId().length() > 100) {
      throw PondException.invalid("requestId", "must be 1-100 characters");
    }
    MemberCoupons.Claimed claimed = coupons.claim(current(), template, r.requestId());
    return ResponseEntity.status(claimed.replayed() ? HttpStatus.OK : HttpStatus.CREATED).body(claimed);
  }

  // ---- helpers ------------------------------------------------------------------------------------

  private void requireMember(MemberPoints.Program p, int person) {
    if (points.balance(p.code(), new PersonRef(person)).isEmpty()) {
      throw new PondException(ErrorCode.NOT_ELIGIBLE, "join " + p.name() + " first: only members can claim orders", "program");
    }
  }

  private MemberPoints.Program program(String code) {
    List<MemberPoints.Program> all = points.programs();
    if (all.isEmpty()) {
      throw PondException.notFound("loyalty program", "(none)");
    }
    if (code == null) {
      return all.getFirst();
    }
    return all.stream().filter(p -> p.code().equals(code)).findFirst().orElseThrow(() -> PondException.notFound("loyalty program", code));
  }

  private int current() {
    return currentMember.personId();
  }
}
