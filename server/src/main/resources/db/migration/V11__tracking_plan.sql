-- Tracking plans (埋点方案): at most one per source, the definition as JSON; every change bumps
-- the version (and is written to the audit log).
CREATE TABLE tracking_plan (
    source_id   BIGINT        NOT NULL PRIMARY KEY REFERENCES source (id),
    version     INT           NOT NULL,
    mode        VARCHAR(16)   NOT NULL,
    definition  VARCHAR(200000) NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by  VARCHAR(100)  NOT NULL
);

-- Violations of the plans, counted per source, event and kind. Counted in memory and added here
-- every few seconds by one writer.
CREATE TABLE tracking_plan_violation (
    source_id    BIGINT       NOT NULL,
    event        VARCHAR(200) NOT NULL,
    kind         VARCHAR(32)  NOT NULL,
    violations   BIGINT       NOT NULL,
    last_detail  VARCHAR(500) NOT NULL,
    last_seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (source_id, event, kind)
);
