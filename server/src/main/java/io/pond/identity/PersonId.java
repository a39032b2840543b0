package io.pond.identity;

/** A person's OneID: a positive int (31 bits) so that segment bitmaps can index persons directly. */
public record PersonId(int value) {

  public PersonId {
    if (value <= 0) {
      throw new IllegalArgumentException("a person id is positive, not " + value);
    }
  }

  public static PersonId of(int value) {
    return new PersonId(value);
  }

  @Override
  public String toString() {
    return Integer.toString(value);
  }
}
