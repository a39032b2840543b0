package io.pond.profile;

import java.util.Map;

/**
 * Consents a person gives or withdraws themself at a touchpoint (the member center's join form),
 * recorded into the person's consent history like any other decision.
 */
public interface ConsentCapture {

  /**
   * Records the person's decision for a purpose ({@code marketing}, {@code sms}, {@code wechat},
   * {@code data_sharing}) as given now at {@code source}.
   *
   * @throws io.pond.platform.errors.PondException {@code validation_failed} on field {@code purpose}
   */
  void record(int personId, String purpose, boolean granted, String source);

  /** The current state per purpose (false when never decided). */
  Map<String, Boolean> granted(int personId);
}
