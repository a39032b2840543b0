-- A change record is found by its account and sequence number (the unique key loyalty_account_change_seq);
-- its own id was read by nothing and cost every posting a sequence value and an index entry.
ALTER TABLE loyalty_account_change DROP COLUMN id;
