CREATE TABLE first_one (id INTEGER);
