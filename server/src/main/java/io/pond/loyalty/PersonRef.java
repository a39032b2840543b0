package io.pond.loyalty;

/**
 * The person a loyalty account belongs to: OneID's person id (31 bits, so bitmaps can index it).
 * Loyalty does not depend on identity; whoever calls it maps identity's person id to this.
 */
public record PersonRef(int value) {
  public PersonRef {
    if (value < 0) {
      throw new IllegalArgumentException("person id must not be negative: " + value);
    }
  }
}
