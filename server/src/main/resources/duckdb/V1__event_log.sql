-- The event log: one row per accepted event, in commit order. log_offset is the log position
-- (strictly increasing, no gaps); dedup_hash is a 64-bit hash of (source_id, message_id) that the
-- writer keeps in memory to find repeats without an index.
CREATE TABLE event_log (
  log_offset   BIGINT      NOT NULL,
  dedup_hash   BIGINT      NOT NULL,
  source_id    BIGINT      NOT NULL,
  message_id   VARCHAR     NOT NULL,
  protocol     VARCHAR     NOT NULL,
  type         VARCHAR     NOT NULL,
  event        VARCHAR,
  ts           TIMESTAMPTZ NOT NULL,
  received_at  TIMESTAMPTZ NOT NULL,
  link         VARCHAR     NOT NULL,
  identifiers  VARCHAR     NOT NULL,
  previous     VARCHAR,
  properties   VARCHAR     NOT NULL,
  traits       VARCHAR     NOT NULL,
  context      VARCHAR     NOT NULL
);

-- Every identifier of every event, to find events by identifier.
CREATE TABLE event_identifier (
  log_offset BIGINT  NOT NULL,
  type       VARCHAR NOT NULL,
  scope      VARCHAR NOT NULL,
  value      VARCHAR NOT NULL
);

-- Records refused inside an otherwise accepted request, with the reason and the raw record.
CREATE TABLE dead_letter (
  id          BIGINT      NOT NULL,
  source_id   BIGINT      NOT NULL,
  protocol    VARCHAR     NOT NULL,
  received_at TIMESTAMPTZ NOT NULL,
  reason      VARCHAR     NOT NULL,
  field       VARCHAR,
  detail      VARCHAR     NOT NULL,
  raw         VARCHAR     NOT NULL
);

-- Repeats acknowledged without storing, per source (a row per commit that had any). Accepted and
-- rejected counts come from event_log and dead_letter themselves.
CREATE TABLE ingest_duplicate (
  source_id BIGINT NOT NULL,
  n         BIGINT NOT NULL
);
