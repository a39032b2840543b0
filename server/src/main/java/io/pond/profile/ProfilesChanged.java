package io.pond.profile;

import java.time.Instant;

/**
 * Several profile changes stored in one transaction (a bulk recompute: an imported order chunk, the
 * metrics job), announced as one event instead of one {@link ProfileChanged} per person, so that a bulk
 * load does not turn into thousands of publications and listener runs. The changes, in the order they
 * were made (a person may appear more than once), are read with {@link ProfileChangeBatches#changes}.
 *
 * @param batchId the key for {@link ProfileChangeBatches#changes(long)}
 * @param changes how many changes the batch holds
 */
public record ProfilesChanged(long batchId, int changes, Instant at) {}
