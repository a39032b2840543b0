package io.pond.platform.pii;

import java.util.function.LongConsumer;

/**
 * A module's stored personal data, as the key rotation sees it ({@code pond pii rotate-key}). A module
 * that keeps values sealed by {@link PiiCipher} or matches by {@link PiiCipher#keyedHash} implements
 * this as a Spring bean; the rotation finds every bean and re-keys them one after the other.
 */
public interface PiiStore {

  /** Names the store in progress bars and reports, e.g. {@code identity identifiers}. */
  String name();

  /** How many rows {@link #rekey} goes through, for the progress bar (an estimate is fine). */
  long size();

  /**
   * Re-encrypts every stored value with {@code cipher}'s current key and recomputes every stored keyed
   * hash with its current hashing key, in batches of {@code batchSize} rows, each batch in its own
   * transaction. Must be idempotent, so that an interrupted rotation is finished by running it again:
   * rows already under the current key stay as they are; hashes under a retired key are recognised with
   * {@link PiiCipher#keyedHashesUnderEveryKey}.
   *
   * @param progress called with the number of rows gone through so far
   * @return how many rows were changed
   * @throws IllegalArgumentException when a value is sealed with a key that is not in the ring
   */
  long rekey(PiiCipher cipher, int batchSize, LongConsumer progress);
}
