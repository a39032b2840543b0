package io.pond.offer.coupon;

import java.time.Instant;
import java.util.List;

/**
 * A coupon template as an operator writes it (every field optional until validated; see
 * docs/offers.md). Money in fen; {@code payRatePermille} 850 means pay 85% (8.5折).
 *
 * @param codeSource {@code generated} (default: unguessable codes) or {@code pool} (imported codes;
 *     the stock is the number of codes imported)
 * @param refundPolicy {@code never}, {@code full_refund} (default) or {@code any_refund}
 */
public record TemplateSpec(
    String code,
    String name,
    String kind,
    Long amountOffFen,
    Long thresholdFen,
    Integer payRatePermille,
    Long capFen,
    Long specialPriceFen,
    String giftSku,
    Long giftValueFen,
    List<String> channels,
    List<String> shops,
    List<String> skus,
    List<String> categories,
    Instant validFrom,
    Instant validUntil,
    Integer validDays,
    Integer validAfterDays,
    Long totalStock,
    Integer perMemberLimit,
    Boolean memberOnly,
    List<String> tiers,
    Boolean newCustomerOnly,
    Boolean stackable,
    String refundPolicy,
    String codeSource) {}
