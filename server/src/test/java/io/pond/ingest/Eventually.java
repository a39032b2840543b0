package io.pond.ingest;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for something asynchronous (an SDK's background flush) to become true, or fails. */
final class Eventually {

  private Eventually() {}

  static void within(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }
  }
}
