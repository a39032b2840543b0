-- Commerce: a buyer's phone or e-mail is kept sealed (AES-GCM, docs/pii.md) in value_enc, and id_value
-- holds its keyed hash ('h:' + HMAC-SHA256), which order searches match. Other identifiers stay plain.
-- Rows stored before this are sealed by `./pond pii rotate-key --resume` (OrderPii); until then they
-- are still read and found.
ALTER TABLE commerce_order_buyer ADD COLUMN value_enc VARCHAR(1000);
