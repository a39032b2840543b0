INSERT INTO sample VALUES (1), (2);
