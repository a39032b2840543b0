-- The durable offset of each consumer of the event log, advanced in the same transaction as the
-- consumer's own writes.
CREATE TABLE ingest_consumer_offset (
  consumer_name    VARCHAR(100)             NOT NULL PRIMARY KEY,
  committed_offset BIGINT                   NOT NULL,
  updated_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
