package io.pond.ingest.log;

/** What the event log did with a submission once it was committed. */
public record Receipt(int accepted, int deduplicated, int quarantined, long lastOffset) {}
