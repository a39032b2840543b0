-- Commerce: no query uses commerce_order_created (the order search filters on
-- COALESCE(created_at, modified_at), which this index cannot serve), and every new order paid for it
-- with a B-tree insert at a random place (orders arrive in any creation order) and the page writes of
-- its commit. Portable SQL: runs unchanged on H2 (PostgreSQL mode) and PostgreSQL.

DROP INDEX commerce_order_created;
