-- Every lookup of a lot or an entry by order key also names the account (loyalty_lot_account,
-- loyalty_entry_account find it); the order-key indexes only cost an insert per posting.
DROP INDEX loyalty_entry_order;
DROP INDEX loyalty_lot_order;
