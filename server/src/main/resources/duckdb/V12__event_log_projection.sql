-- The event log proper is a group-committed, append-only file (data/event-log/segment-*.log); the
-- tables of V1 are its projection for queries and consumers, loaded from the file by one thread.
-- This single row is where that projection stands in the file, committed with the rows it loaded:
-- the position (segment file and byte) up to which the file is loaded, the next event offset and the
-- next dead-letter id.
CREATE TABLE event_log_projection (
  segment             BIGINT NOT NULL,
  position            BIGINT NOT NULL,
  next_offset         BIGINT NOT NULL,
  next_dead_letter_id BIGINT NOT NULL
);
