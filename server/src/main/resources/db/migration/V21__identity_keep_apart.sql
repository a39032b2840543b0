-- Persons an operator split apart: automatic evidence never merges them again (an operator's merge
-- may, and ends the pair). Derived from the evidence log like the identity map: a merge hands the
-- merged person's pairs to the survivor, and a full rebuild recomputes the table.
CREATE TABLE identity_apart (
    person_a INT NOT NULL,
    person_b INT NOT NULL,
    PRIMARY KEY (person_a, person_b)
);
