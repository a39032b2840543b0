CREATE TABLE half_done (id INTEGER);
INSERT INTO no_such_table VALUES (1);
