CREATE INDEX sample_id ON sample (id);
