-- Identity: the evidence that brought an identifier into the graph is kept on its row of the identity
-- map (first_seq) instead of as an edge row: most graph-changing evidence only creates identifiers, so
-- identity_evidence_node now holds only the edges to identifiers that existed before the evidence.
-- The graph view reads both (docs/identity.md, "Where evidence lives"). Older rows keep their edges.
ALTER TABLE identity_identifier ADD COLUMN first_seq BIGINT;
