package io.pond.profile;

import java.util.List;

/**
 * The profile changes announced by a {@link ProfilesChanged}. Kept for {@value #RETENTION_DAYS} days,
 * long enough for every listener (including one redelivered after a restart) to read them.
 */
public interface ProfileChangeBatches {

  int RETENTION_DAYS = 30;

  /** The batch's changes in the order they were made; empty when the batch is unknown or expired. */
  List<ProfileChanged> changes(long batchId);
}
