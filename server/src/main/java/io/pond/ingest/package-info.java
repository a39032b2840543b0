/**
 * Event collection (采集): the wire protocols (Segment HTTP API, Sensors Data, Pond's native batch),
 * one internal envelope, validation, dedup, the group-commit event log in DuckDB, dead letters, and
 * consumers that read the log by offset with durable offsets.
 *
 * <p>The API of this module is {@link io.pond.ingest.EventEnvelope}, {@link io.pond.ingest.LinkKind}
 * and {@link io.pond.ingest.EventLogConsumer}: other modules implement the consumer interface as a
 * Spring bean and are driven from their last committed offset.
 */
package io.pond.ingest;
