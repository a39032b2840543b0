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

-- The log position of the frame a duplicate count was loaded from, so that rows loaded after the
-- saved position (a load that did not finish its commit) can be found and removed at start.
ALTER TABLE ingest_duplicate ADD COLUMN log_position BIGINT;
