-- Identity: the evidence log moves out of the OLTP tables into an append-only file in the data dir
-- (<data dir>/identity/<evidence_log>.log, see docs/identity.md). identity_evidence keeps only the
-- evidence that changed the graph (for the graph view and merges); the state names the log that
-- belongs to this store, and how far the OLTP tables (a checkpoint of the graph) cover it (next_seq).
ALTER TABLE identity_state ADD COLUMN evidence_log VARCHAR(64);

-- The identity map without the unique 700-character key index: keys are unique by construction (one
-- writer, checked against the in-memory index, and again when the graph is loaded). Only the primary key.
CREATE TABLE identity_identifier_v22 (
    id          INT           PRIMARY KEY,
    id_key      VARCHAR(700)  NOT NULL,
    type        VARCHAR(64)   NOT NULL,
    scope       VARCHAR(128)  NOT NULL,
    plain_value VARCHAR(256),
    value_enc   VARCHAR(600),
    person_id   INT           NOT NULL,
    attached_at TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO identity_identifier_v22 (id, id_key, type, scope, plain_value, value_enc, person_id, attached_at)
    SELECT id, id_key, type, scope, plain_value, value_enc, person_id, attached_at FROM identity_identifier;
DROP TABLE identity_identifier;
ALTER TABLE identity_identifier_v22 RENAME TO identity_identifier;

-- Idempotency is checked against the evidence log now (in-memory fingerprints, confirmed in the log):
-- the fingerprint index on the OLTP evidence rows is not read any more.
DROP INDEX identity_evidence_idem;
