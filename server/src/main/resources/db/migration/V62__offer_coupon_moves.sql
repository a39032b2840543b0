-- Coupons that followed a OneID merge from the merged person to the survivor, so that a split of that
-- merge can give them back (docs/offers.md, "Person merges and splits"). Portable SQL.
CREATE TABLE offer_coupon_move (
    merge_id    BIGINT NOT NULL,
    coupon_id   BIGINT NOT NULL REFERENCES offer_coupon (id),
    from_person INT    NOT NULL,
    from_seq    INT,
    PRIMARY KEY (merge_id, coupon_id)
);
