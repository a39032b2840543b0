package io.pond.loyalty.claim;

import io.pond.loyalty.MemberClaims;
import io.pond.loyalty.PersonRef;
import java.util.List;
import org.springframework.stereotype.Service;

/** {@link MemberClaims} over {@link OrderClaims}: the member's own claims only. */
@Service
class MemberClaimsService implements MemberClaims {

  private final OrderClaims claims;

  MemberClaimsService(OrderClaims claims) {
    this.claims = claims;
  }

  @Override
  public Claim submit(String program, PersonRef member, String channel, String orderNumber, String shop) {
    try {
      return view(claims.submit(program, member, channel, orderNumber, shop));
    } catch (ClaimsRateLimited e) {
      throw new RateLimited(e.getMessage(), e.retryAfterSeconds());
    }
  }

  @Override
  public List<Claim> list(String program, PersonRef member, Long beforeId, int limit) {
    return claims.listForMember(program, member.value(), beforeId, limit).stream().map(MemberClaimsService::view).toList();
  }

  static Claim view(OrderClaims.Claim c) {
    String code = null;
    String reason = c.reason();
    if (reason != null) {
      int colon = reason.indexOf(':');
      code = colon > 0 ? reason.substring(0, colon) : reason;
      if (code.equals("expired")) {
        reason = reason.substring(colon + 1).strip();
      }
    }
    return new Claim(c.id(), c.program(), c.channel(), c.orderNumber(), c.shop(), c.status().name(), code, reason, c.points(),
        c.createdAt(), c.expiresAt(), c.settledAt());
  }
}
