package io.pond.ingest.intake;

import io.pond.ingest.config.IngestProperties;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** A token bucket per write key, counted in events ({@code pond.ingest.rate-limit.*}). */
@Component
public class RateLimiter {

  private final ConcurrentHashMap<Long, Bucket> buckets = new ConcurrentHashMap<>();
  private final IngestProperties.RateLimit limit;
  private final Clock clock;

  RateLimiter(IngestProperties properties, Clock clock) {
    this.limit = properties.rateLimit();
    this.clock = clock;
  }

  /** Takes {@code events} tokens from the key's bucket, or throws with the seconds to wait. */
  public void acquire(long keyId, int events) {
    long wait = buckets.computeIfAbsent(keyId, k -> new Bucket(limit.burst(), clock.millis())).take(events);
    if (wait > 0) {
      throw new RateLimitedException(wait);
    }
  }

  private final class Bucket {
    private double tokens;
    private long lastMillis;

    Bucket(long tokens, long now) {
      this.tokens = tokens;
      this.lastMillis = now;
    }

    /** 0 when taken, else the whole seconds until enough tokens exist. */
    synchronized long take(int n) {
      long now = clock.millis();
      tokens = Math.min(limit.burst(), tokens + (now - lastMillis) * limit.eventsPerSecond() / 1000.0);
      lastMillis = now;
      if (tokens >= n) {
        tokens -= n;
        return 0;
      }
      double missing = Math.min(n, limit.burst()) - tokens;
      return Math.max(1, (long) Math.ceil(missing / limit.eventsPerSecond()));
    }
  }
}
