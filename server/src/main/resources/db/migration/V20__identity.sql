-- Identity (OneID): identifier types and rule versions, the identity map, the evidence log,
-- merges and conflicts. Portable SQL: runs unchanged on H2 (PostgreSQL mode) and PostgreSQL.

-- Current rules per identifier type (built-in types are inserted at start-up, version 1).
CREATE TABLE identity_type (
    name           VARCHAR(64)  PRIMARY KEY,
    scope_kind     VARCHAR(16)  NOT NULL,
    strength       VARCHAR(8)   NOT NULL,
    priority       INT          NOT NULL,
    max_per_person INT          NOT NULL,
    window_days    INT          NOT NULL,
    junk_patterns  VARCHAR(4000) NOT NULL,
    pii            VARCHAR(8)   NOT NULL,
    version        INT          NOT NULL,
    built_in       BOOLEAN      NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by     VARCHAR(100) NOT NULL
);

-- Every version of every type's rules, append-only.
CREATE TABLE identity_type_version (
    name           VARCHAR(64)  NOT NULL,
    version        INT          NOT NULL,
    scope_kind     VARCHAR(16)  NOT NULL,
    strength       VARCHAR(8)   NOT NULL,
    priority       INT          NOT NULL,
    max_per_person INT          NOT NULL,
    window_days    INT          NOT NULL,
    junk_patterns  VARCHAR(4000) NOT NULL,
    pii            VARCHAR(8)   NOT NULL,
    changed_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    changed_by     VARCHAR(100) NOT NULL,
    PRIMARY KEY (name, version)
);

-- The identity map: one row per identifier (a node of the graph) and the person it belongs to now.
-- key = type US scope US match, where match is the value or, for phone/email, h:<HMAC-SHA256>.
-- Personal values are only stored encrypted (value_enc); plain values of other types in plain_value.
CREATE TABLE identity_identifier (
    id          INT           PRIMARY KEY,
    id_key      VARCHAR(700)  NOT NULL UNIQUE,
    type        VARCHAR(64)   NOT NULL,
    scope       VARCHAR(128)  NOT NULL,
    plain_value VARCHAR(256),
    value_enc   VARCHAR(600),
    person_id   INT           NOT NULL,
    attached_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX identity_identifier_person ON identity_identifier (person_id);

-- The evidence log, in the order it was applied (seq). identifiers: the accepted keys, highest
-- priority first, separated by RS (U+001E). The full rebuild replays this log.
CREATE TABLE identity_evidence (
    seq         BIGINT        PRIMARY KEY,
    idem_key    VARCHAR(200)  NOT NULL,
    idem_hash   BIGINT        NOT NULL,
    kind        VARCHAR(8)    NOT NULL,
    source      VARCHAR(100)  NOT NULL,
    occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
    identifiers VARCHAR(100000) NOT NULL,
    person_id   INT,
    outcome     VARCHAR(12)   NOT NULL,
    reason      VARCHAR(1000),
    actor       VARCHAR(100)
);

-- Idempotency keys are unique by construction (one writer, checked in memory by fingerprint); the
-- index is on the 64-bit fingerprint, which is much cheaper to maintain than one on the key.
CREATE INDEX identity_evidence_idem ON identity_evidence (idem_hash);

-- Which identifiers a piece of evidence that changed the graph touched (the edges of the graph view).
CREATE TABLE identity_evidence_node (
    node_id      INT    NOT NULL,
    evidence_seq BIGINT NOT NULL,
    PRIMARY KEY (node_id, evidence_seq)
);

-- Every merge with its evidence and the identifiers the merged person brought (for splits).
CREATE TABLE identity_merge (
    id           BIGINT  PRIMARY KEY,
    survivor_id  INT     NOT NULL,
    merged_id    INT     NOT NULL,
    evidence_seq BIGINT  NOT NULL,
    moved_nodes  VARCHAR(100000) NOT NULL,
    merged_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    split_at     TIMESTAMP WITH TIME ZONE,
    split_by     VARCHAR(100)
);
CREATE INDEX identity_merge_survivor ON identity_merge (survivor_id);
CREATE INDEX identity_merge_merged ON identity_merge (merged_id);

-- Persons that evidence would have merged but a guard kept apart, for an operator to review.
CREATE TABLE identity_conflict (
    id           BIGINT       PRIMARY KEY,
    person_a     INT          NOT NULL,
    person_b     INT          NOT NULL,
    type         VARCHAR(64),
    scope        VARCHAR(128),
    reason       VARCHAR(100) NOT NULL,
    evidence_seq BIGINT       NOT NULL,
    found_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    resolved_at  TIMESTAMP WITH TIME ZONE,
    resolved_by  VARCHAR(100),
    resolution   VARCHAR(16)
);

-- Counters of the graph and its generation; a full rebuild bumps the generation, and writers check
-- it so that a running server reloads a graph rebuilt by the CLI.
CREATE TABLE identity_state (
    id          INT    PRIMARY KEY,
    generation  BIGINT NOT NULL,
    next_person INT    NOT NULL,
    next_seq    BIGINT NOT NULL,
    next_merge  BIGINT NOT NULL,
    next_conflict BIGINT NOT NULL
);
INSERT INTO identity_state (id, generation, next_person, next_seq, next_merge, next_conflict) VALUES (1, 1, 1, 1, 1, 1);
