package io.pond.ingest.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the ingest module ({@code pond.ingest.*} in {@code application.yaml}).
 *
 * @param groupCommit how many requests and events one event-log transaction may hold;
 *     {@code max-requests: 1} turns group commit off (one commit per request)
 * @param rateLimit events per second and burst allowed per write key
 * @param consumers how consumers of the log are driven
 * @param log the event log's segment files and their projection into DuckDB
 */
@ConfigurationProperties("pond.ingest")
public record IngestProperties(
    @DefaultValue GroupCommit groupCommit, @DefaultValue RateLimit rateLimit, @DefaultValue Consumers consumers,
    @DefaultValue Log log) {

  public record GroupCommit(@DefaultValue("1000") int maxRequests, @DefaultValue("50000") int maxEvents) {
    public GroupCommit {
      if (maxRequests < 1 || maxEvents < 1) {
        throw new IllegalArgumentException("pond.ingest.group-commit.max-requests and max-events must be at least 1");
      }
    }
  }

  /** A token bucket per write key: {@code eventsPerSecond} sustained, {@code burst} at once. */
  public record RateLimit(@DefaultValue("200000") long eventsPerSecond, @DefaultValue("400000") long burst) {
    public RateLimit {
      if (eventsPerSecond < 1 || burst < 1) {
        throw new IllegalArgumentException("pond.ingest.rate-limit.events-per-second and burst must be at least 1");
      }
    }
  }

  /**
   * @param batchSize events handed to a consumer per transaction
   * @param pollInterval how often a consumer looks for new events when not woken by a commit
   * @param maxBackoff the longest wait before retrying a batch that failed
   * @param linger after a batch smaller than {@code batchSize}, how long a consumer waits for more
   *     events before the next one: many small commits then cost one consumer transaction, not one
   *     each
   * @param enabled false leaves the consumers stopped (their offsets wait); for benchmarks of
   *     ingestion alone and for maintenance
   */
  public record Consumers(
      @DefaultValue("500") int batchSize,
      @DefaultValue("1s") Duration pollInterval,
      @DefaultValue("30s") Duration maxBackoff,
      @DefaultValue("50ms") Duration linger,
      @DefaultValue("true") boolean enabled) {}

  /**
   * @param segmentBytes a segment file of the log is closed and a new one started once it is this
   *     large; segments wholly loaded into DuckDB are deleted
   * @param projectionBatch the most events loaded into DuckDB per transaction
   * @param projectionLinger how long the DuckDB loader waits after a commit for more commits to load
   *     with it (unless a query waits for it, or 4 MB are waiting): fewer, larger DuckDB transactions
   * @param startWithContext false for CLI jobs that do not use the log ({@code pond keys}): DuckDB, the
   *     log's store, admits one process, so such a job can run next to a running server
   */
  public record Log(@DefaultValue("64MB") org.springframework.util.unit.DataSize segmentBytes,
      @DefaultValue("100000") int projectionBatch,
      @DefaultValue("100ms") Duration projectionLinger,
      @DefaultValue("true") boolean startWithContext) {
    public Log {
      if (segmentBytes.toBytes() < 4096 || projectionBatch < 1 || projectionLinger.isNegative()) {
        throw new IllegalArgumentException(
            "pond.ingest.log.segment-bytes must be at least 4KB, projection-batch at least 1, projection-linger not negative");
      }
    }
  }
}
