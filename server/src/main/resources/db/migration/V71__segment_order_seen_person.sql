-- A merge moves the merged person's seen orders to the survivor (UPDATE … WHERE person_id = ?): without
-- this index every merge scanned every order the segment module had seen (the demo brand's merges
-- spent most of their time there).
CREATE INDEX segment_order_seen_person ON segment_order_seen (person_id);
