package io.pond.platform.apikey.domain;

/** What a presented secret turned out to be. */
public sealed interface KeyCheck {

  record Valid(ApiKey key) implements KeyCheck {}

  record Revoked(ApiKey key) implements KeyCheck {}

  record Unknown() implements KeyCheck {}

  static KeyCheck of(ApiKey key) {
    return key == null ? new Unknown() : key.revoked() ? new Revoked(key) : new Valid(key);
  }
}
