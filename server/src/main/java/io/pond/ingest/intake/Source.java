package io.pond.ingest.intake;

/** The ingestion source a write key belongs to, and the key itself (for rate limits). */
public record Source(long id, String name, long keyId) {}
