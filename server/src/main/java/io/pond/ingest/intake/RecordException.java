package io.pond.ingest.intake;

import io.pond.ingest.envelope.domain.Rejection;

/** Thrown while mapping one record to stop at its first fault; caught per record, never escapes a request. */
public final class RecordException extends RuntimeException {

  private final transient Rejection rejection;

  public RecordException(Rejection rejection) {
    super(rejection.detail(), null, false, false);
    this.rejection = rejection;
  }

  public static RecordException invalid(String field, String detail) {
    return new RecordException(Rejection.invalid(field, detail));
  }

  public Rejection rejection() {
    return rejection;
  }
}
