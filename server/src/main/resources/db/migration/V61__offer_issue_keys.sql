-- Issue keys move out of the hot coupon table: most coupons (claims) have none, yet every coupon row
-- paid for the (template_id, issue_key) index. A keyed issue now writes one row here in the same
-- transaction as its coupon; the primary key still makes a repeated key fail the group.
-- (The old unique constraint goes first: on PostgreSQL its index bears the new table's name.)
ALTER TABLE offer_coupon DROP CONSTRAINT offer_coupon_issue_key;

CREATE TABLE offer_coupon_issue_key (
    template_id BIGINT       NOT NULL,
    issue_key   VARCHAR(200) NOT NULL,
    serial      BIGINT       NOT NULL,
    PRIMARY KEY (template_id, issue_key)
);

INSERT INTO offer_coupon_issue_key (template_id, issue_key, serial)
SELECT template_id, issue_key, serial FROM offer_coupon WHERE issue_key IS NOT NULL;

ALTER TABLE offer_coupon DROP COLUMN issue_key;
