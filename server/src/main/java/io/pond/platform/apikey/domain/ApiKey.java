package io.pond.platform.apikey.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * A stored API key, without its secret.
 *
 * @param source the ingestion source of a write key; empty for server keys
 * @param role the role a server key acts with; empty for write keys
 */
public record ApiKey(
    long id,
    KeyKind kind,
    String name,
    Optional<Source> source,
    Optional<String> role,
    String prefix,
    Instant createdAt,
    String createdBy,
    Optional<Instant> revokedAt) {

  public boolean revoked() {
    return revokedAt.isPresent();
  }

  /** An ingestion source: where a stream of events comes from (a web site, an app, a mini-program). */
  public record Source(long id, String name) {}
}
