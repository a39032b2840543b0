-- The claim center (领券中心): the coupon templates members may claim for themselves in the member
-- center. A template not listed here is issued only by operators, jobs, events and benefits. Portable SQL.
CREATE TABLE offer_claim_center (
    template_id BIGINT       NOT NULL PRIMARY KEY REFERENCES offer_template (id),
    position    INTEGER      NOT NULL,
    listed_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    listed_by   VARCHAR(100) NOT NULL
);
