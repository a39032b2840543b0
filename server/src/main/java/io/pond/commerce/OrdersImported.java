package io.pond.commerce;

import java.time.Instant;

/**
 * A chunk of a bulk load (an order export import, the demo) was stored in one transaction. One
 * publication per chunk instead of one per order event keeps bulk loads fast; the chunk's order events
 * — the same {@link OrderEvent} records a delivery publishes, in the same order — are read with
 * {@link OrderEventBatches#events(long)}.
 *
 * <p>A module that reacts to orders listens to the five single events and to this one.
 *
 * @param batchId the key for {@link OrderEventBatches#events(long)}
 * @param orders orders the chunk created or changed
 * @param events order events in the batch
 */
public record OrdersImported(long batchId, int orders, int events, Instant importedAt) {}
