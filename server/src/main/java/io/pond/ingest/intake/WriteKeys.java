package io.pond.ingest.intake;

import io.pond.platform.apikey.ApiKeys;
import io.pond.platform.apikey.domain.KeyCheck;
import io.pond.platform.apikey.domain.KeyKind;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Authenticates ingestion requests by write key. Valid keys are remembered for a few seconds so that
 * a busy source does not cost an OLTP lookup per request.
 */
@Component
public class WriteKeys {

  // PERF: a revoked key keeps working for at most this long; the OLTP lookup per request would
  // otherwise cap single-event throughput.
  static final Duration CACHE_FOR = Duration.ofSeconds(2);

  private record Cached(Source source, Instant until) {}

  private final ApiKeys keys;
  private final Clock clock;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  WriteKeys(ApiKeys keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
  }

  /** The write key from {@code Authorization: Basic base64(key:)}, or null. */
  public static String fromBasic(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    try {
      String decoded =
          new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      String key = colon < 0 ? decoded : decoded.substring(0, colon);
      return key.isEmpty() ? null : key;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * The source of a valid write key.
   *
   * @throws PondException 401 {@code unauthenticated} without a key, {@code invalid_credentials} for
   *     an unknown key, {@code key_revoked}, or {@code wrong_key_kind} for a server key
   */
  public Source authenticate(String secret) {
    if (secret == null || secret.isBlank()) {
      throw new PondException(
          ErrorCode.UNAUTHENTICATED,
          "Send a write key with HTTP Basic (the key as user name), as 'writeKey' in the body, or as the 'token' parameter.");
    }
    Instant now = clock.instant();
    Cached cached = cache.get(secret);
    if (cached != null && cached.until().isAfter(now)) {
      return cached.source();
    }
    Source source =
        switch (keys.check(secret)) {
          case KeyCheck.Valid(var key) when key.kind() == KeyKind.WRITE && key.source().isPresent() ->
              new Source(key.source().get().id(), key.source().get().name(), key.id());
          case KeyCheck.Valid v ->
              throw new PondException(ErrorCode.WRONG_KEY_KIND, "This is a server key; ingestion needs a write key.");
          case KeyCheck.Revoked r -> throw new PondException(ErrorCode.KEY_REVOKED, "This write key was revoked.");
          case KeyCheck.Unknown u -> throw new PondException(ErrorCode.INVALID_CREDENTIALS, "This write key is not known.");
        };
    if (cache.size() > 10_000) {
      cache.clear();
    }
    cache.put(secret, new Cached(source, now.plus(CACHE_FOR)));
    return source;
  }
}
