package io.pond.offer.coupon.domain;

/** Why something was refused: a stable reason (or the field at fault) and words for a person. */
public record Refusal(String reason, String message) {}
