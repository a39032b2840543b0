package io.pond.ingest.log;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pond.ingest.EventEnvelope;
import io.pond.ingest.LinkKind;
import io.pond.ingest.config.IngestProperties;
import io.pond.ingest.envelope.domain.Rejection;
import io.pond.platform.Identifier;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import io.pond.platform.storage.DuckDbStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The durable event log: an append-only file written by one thread with group commit, projected
 * into DuckDB for queries and consumers.
 *
 * <p>Request threads {@link #commit submit} their events (already encoded as log frames) and wait;
 * the writer thread drains every submission waiting in the queue, appends their frames and a commit
 * marker to the current segment file and {@code fsync}s it once, then answers them all. So a 2xx,
 * sent after {@link #commit} returns, means the events are durable, and throughput grows with
 * concurrency instead of falling to one flush per request.
 *
 * <p>The {@link LogProjection} loads the file into the DuckDB tables ({@code event_log},
 * {@code event_identifier}, {@code dead_letter}, {@code ingest_duplicate}) on its own thread,
 * recording in the same DuckDB transaction how far it got; {@link #read}, {@link #count} and the
 * query APIs first wait until it has loaded everything committed when they were called, so a caller
 * reads its own writes. Consumers are woken after each load.
 *
 * <p>Repeats of {@code (source, messageId)} are found with an in-memory set of 64-bit hashes (loaded
 * at start-up from DuckDB and the file's tail); a hit is confirmed against the keys not yet loaded
 * and then the table, so a hash collision cannot drop an event.
 */
@Component
public class EventLog implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(EventLog.class);
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final TypeReference<List<Identifier>> IDENTIFIERS = new TypeReference<>() {};
  public static final String COLUMNS =
      "log_offset, source_id, message_id, protocol, type, event, ts, received_at, link, identifiers, previous,"
          + " properties, traits, context";
  /** A position in the log: segment number in the high bits, byte in the segment in the low 40. */
  static final int SEGMENT_SHIFT = 40;

  private record Pending(Submission submission, CompletableFuture<Receipt> done) {}

  private final DuckDbStore store;
  private final JsonMapper json;
  private final EventPii pii;
  private final MeterRegistry meters;
  private final IngestProperties.GroupCommit groupCommit;
  private final IngestProperties.Log settings;
  private final Path dir;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final List<Runnable> commitListeners = new CopyOnWriteArrayList<>();
  private final LongHashSet seen = new LongHashSet();
  /**
   * The keys of the commits in the file but not (all) in DuckDB yet, oldest first, each with the
   * offset after its last event; a commit is dropped once the projection has loaded past it. Used by
   * the writer thread only (and at start before it runs).
   *
   * <p>PERF: a concurrent set of every key, which the loader emptied again, cost a hash insert and
   * a removal per event; the keys are needed only to confirm a dedup hash hit, which is rare. A
   * commit's keys are put into a hash set only when a hit looks them up.
   */
  private final ArrayDeque<UnloadedCommit> unloaded = new ArrayDeque<>();
  /** Threads in {@link #awaitLoaded()} (guarded by {@link #progress}): the loader does not linger for them. */
  int readers;

  /** Guards waiting for {@link #durable} and {@link LogProjection#loaded()} to move. */
  final Object progress = new Object();
  private volatile boolean running;
  private volatile boolean accepting;
  private Thread writer;
  private LogProjection projection;
  private Connection lookups;
  private FileChannel out;
  private long segment;
  private long segmentBytes;
  private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
  private long nextOffset;
  /** The log position up to which everything is committed (fsync'd). */
  volatile long durable;
  private volatile long lastOffset;

  private volatile boolean rollRequested;

  EventLog(DuckDbStore store, JsonMapper json, EventPii pii, MeterRegistry meters, IngestProperties properties) {
    this.store = store;
    this.json = json;
    this.pii = pii;
    this.meters = meters;
    this.groupCommit = properties.groupCommit();
    this.settings = properties.log();
    this.dir = store.file().toAbsolutePath().resolveSibling("event-log");
  }

  /**
   * Commits a request's events and dead letters and returns once they are durable.
   *
   * @throws PondException {@code unavailable} when the log cannot be written (the request may be
   *     retried: nothing of it was committed)
   */
  public Receipt commit(Submission submission) {
    CompletableFuture<Receipt> done = submit(submission);
    try {
      return done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PondException(ErrorCode.UNAVAILABLE, "interrupted while committing events");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof PondException p) {
        throw p;
      }
      throw new PondException(ErrorCode.UNAVAILABLE, "the event log could not commit: " + e.getCause().getMessage());
    }
  }

  /**
   * Hands a request's events and dead letters to the writer; the future completes once they are
   * durable (or fails with {@code unavailable}). For callers that answer asynchronously.
   */
  public CompletableFuture<Receipt> submit(Submission submission) {
    if (!accepting) {
      throw new PondException(ErrorCode.UNAVAILABLE, "Pond is not accepting events (starting or shutting down)");
    }
    CompletableFuture<Receipt> done = new CompletableFuture<>();
    queue.add(new Pending(submission, done));
    return done;
  }

  /**
   * Ends the current segment file at the next commit (an empty commit when nothing else is waiting)
   * and waits until it is loaded, when the loader deletes it: after an erasure rewrote events in
   * DuckDB, their raw frames leave the disk.
   */
  public void rollAndAwaitLoaded() {
    rollRequested = true;
    commit(new Submission(0, "", List.of(), List.of()));
    awaitLoaded();
  }

  /** Called after every load of committed events into DuckDB; consumers use it to wake up. */
  public void onCommit(Runnable listener) {
    commitListeners.add(listener);
  }

  void loaded() {
    commitListeners.forEach(Runnable::run);
  }

  /** The offset of the last committed event, 0 when the log is empty. */
  public long lastOffset() {
    return lastOffset;
  }

  /**
   * Waits until everything committed before this call is loaded into the DuckDB tables (at most
   * 60 s; then what is loaded is read), so that queries read their own writes.
   */
  public void awaitLoaded() {
    long target = durable;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    synchronized (progress) {
      readers++;
      progress.notifyAll(); // the loader stops lingering
      try {
        awaitLoaded(target, deadline);
      } finally {
        readers--;
      }
    }
  }

  private void awaitLoaded(long target, long deadline) {
    synchronized (progress) {
      while (projection != null && projection.loaded() < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          log.warn("The event log's DuckDB projection is more than 60 s behind; reading what is loaded");
          return;
        }
        try {
          progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Up to {@code limit} committed events after {@code afterOffset}, in log order. */
  public List<EventEnvelope> read(long afterOffset, int limit) {
    awaitLoaded();
    try (Connection c = store.connection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT " + COLUMNS + " FROM event_log WHERE log_offset > ? ORDER BY log_offset LIMIT ?")) {
      s.setLong(1, afterOffset);
      s.setInt(2, limit);
      try (ResultSet rs = s.executeQuery()) {
        List<EventEnvelope> events = new ArrayList<>();
        while (rs.next()) {
          events.add(map(rs));
        }
        return events;
      }
    } catch (SQLException e) {
      throw new PondException(ErrorCode.UNAVAILABLE, "the event log cannot be read: " + e.getMessage());
    }
  }

  /**
   * Encodes an event for {@link #commit}, with its personal data sealed ({@link EventPii}); on the
   * caller's thread.
   */
  public EncodedEvent encode(EventEnvelope e) {
    return EncodedEvent.of(e, json, pii);
  }

  /** A refused record for {@link #commit}, its raw record sealed ({@link EventPii}); on the caller's thread. */
  public DeadLetter deadLetter(long sourceId, String protocol, Instant receivedAt, Rejection rejection, String raw) {
    return new DeadLetter(sourceId, protocol, receivedAt, rejection, pii.sealDocument(raw));
  }

  /** Maps a row selected with {@link #COLUMNS}: the event as it came, its personal data opened. */
  public EventEnvelope map(ResultSet rs) throws SQLException {
    String previous = rs.getString("previous");
    return pii.open(new EventEnvelope(
        rs.getLong("log_offset"),
        rs.getLong("source_id"),
        rs.getString("message_id"),
        rs.getString("protocol"),
        rs.getString("type"),
        rs.getString("event"),
        rs.getObject("ts", OffsetDateTime.class).toInstant(),
        rs.getObject("received_at", OffsetDateTime.class).toInstant(),
        json.readValue(rs.getString("identifiers"), IDENTIFIERS),
        LinkKind.valueOf(rs.getString("link")),
        previous == null ? null : json.readValue(previous, Identifier.class),
        json.readValue(rs.getString("properties"), MAP),
        json.readValue(rs.getString("traits"), MAP),
        json.readValue(rs.getString("context"), MAP)));
  }

  // --- lifecycle ---------------------------------------------------------------------------------

  @Override
  public synchronized void start() {
    try {
      Files.createDirectories(dir);
      lookups = store.connection();
      try (Statement s = lookups.createStatement();
          ResultSet rs = s.executeQuery("SELECT dedup_hash FROM event_log")) {
        while (rs.next()) {
          seen.add(rs.getLong(1));
        }
      }
      projection = new LogProjection(this, store, dir, settings.projectionBatch(), settings.projectionLinger());
      LogProjection.State at = projection.open();
      recover(at);
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("The event log cannot be opened: " + e.getMessage(), e);
    }
    running = true;
    accepting = true;
    projection.start();
    writer = Thread.ofPlatform().name("pond-event-log-writer").daemon(false).start(this::drain);
    log.info("Event log open at offset {} ({} events known for dedup, {} not yet loaded into DuckDB)",
        lastOffset, seen.size(), unloaded.stream().mapToInt(c -> c.keys().size()).sum());
  }

  static Path segmentFile(Path dir, long segment) {
    return dir.resolve(String.format("segment-%010d.log", segment));
  }

  static long position(long segment, long bytes) {
    return segment << SEGMENT_SHIFT | bytes;
  }

  /**
   * Reads the log's tail that DuckDB does not have yet: its events' keys go into the dedup set, and
   * the file is cut after the last complete group commit (a group half written when the process
   * died was never acknowledged).
   */
  private void recover(LogProjection.State at) throws IOException {
    long seg = at.segment();
    long pos = at.position();
    long offset = at.nextOffset();
    long goodSeg = seg;
    long goodPos = pos;
    long goodOffset = offset;
    List<Key> tentativeKeys = new ArrayList<>();
    List<Long> tentativeHashes = new ArrayList<>();
    ByteBuffer buf = ByteBuffer.allocate(4 << 20);
    boolean rolled = true;
    while (rolled && Files.exists(segmentFile(dir, seg))) {
      rolled = false;
      try (FileChannel in = FileChannel.open(segmentFile(dir, seg), StandardOpenOption.READ)) {
        SegmentReader r = new SegmentReader(in, pos, in.size(), buf);
        while (!rolled && r.next()) {
          LogFrames.Reader f = new LogFrames.Reader(r.buffer(), r.frameStart());
          switch (f.kind()) {
            case LogFrames.EVENT -> {
              long hash = f.getLong();
              long source = f.getLong();
              tentativeKeys.add(key(source, f.getString()));
              tentativeHashes.add(hash);
              offset++;
            }
            case LogFrames.COMMIT -> {
              goodSeg = seg;
              goodPos = r.position();
              goodOffset = offset;
              tentativeHashes.forEach(seen::add);
              if (!tentativeKeys.isEmpty()) {
                unloaded.add(new UnloadedCommit(offset, new ArrayList<>(tentativeKeys)));
              }
              tentativeHashes.clear();
              tentativeKeys.clear();
            }
            case LogFrames.ROLL -> rolled = true;
            default -> {}
          }
        }
        buf = r.buffer();
      }
      if (rolled) {
        seg++;
        pos = 0;
        goodSeg = seg;
        goodPos = 0;
      }
    }
    // cut what follows the last complete group, and any segment after it
    Path good = segmentFile(dir, goodSeg);
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        String name = p.getFileName().toString();
        if (name.startsWith("segment-") && name.compareTo(good.getFileName().toString()) > 0) {
          log.warn("Deleting {}: it follows the last complete commit of the event log", p);
          Files.delete(p);
        } else if (name.startsWith("segment-") && name.compareTo(segmentFile(dir, at.segment()).getFileName().toString()) < 0) {
          Files.delete(p); // wholly loaded into DuckDB before the last stop
        }
      }
    }
    out = FileChannel.open(good, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    if (out.size() > goodPos) {
      log.warn("Event log: cutting {} bytes of an unfinished group commit from {}", out.size() - goodPos, good);
      out.truncate(goodPos);
      out.force(true);
    }
    out.position(goodPos);
    syncDirectory();
    segment = goodSeg;
    segmentBytes = goodPos;
    nextOffset = goodOffset;
    lastOffset = goodOffset - 1;
    durable = position(goodSeg, goodPos);
  }

  private void syncDirectory() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | RuntimeException e) {
      log.debug("fsync of the event log directory is not supported here", e);
    }
  }

  /** A dedup key: (source, messageId). PERF: a record, not a concatenated String, per event. */
  record Key(long sourceId, String messageId) {}

  /** The keys of one commit not yet loaded into DuckDB; {@code end} is the offset after its last event. */
  private static final class UnloadedCommit {
    private final long end;
    private final List<Key> keys;
    private Set<Key> set;

    UnloadedCommit(long end, List<Key> keys) {
      this.end = end;
      this.keys = keys;
    }

    List<Key> keys() {
      return keys;
    }

    boolean contains(Key key) {
      if (set == null) {
        set = new HashSet<>(keys);
      }
      return set.contains(key);
    }
  }

  /**
   * Whether the key is in a commit the projection has not loaded yet (a loaded one is in DuckDB:
   * the projection advances {@link LogProjection#loadedOffset()} only after its transaction).
   */
  private boolean isUnloaded(Key key) {
    long loaded = projection == null ? 0 : projection.loadedOffset();
    while (!unloaded.isEmpty() && unloaded.peekFirst().end <= loaded) {
      unloaded.pollFirst();
    }
    for (UnloadedCommit c : unloaded) {
      if (c.contains(key)) {
        return true;
      }
    }
    return false;
  }

  static Key key(long sourceId, String messageId) {
    return new Key(sourceId, messageId);
  }

  @Override
  public synchronized void stop() {
    accepting = false;
    running = false;
    if (writer != null) {
      writer.interrupt();
      try {
        writer.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      writer = null;
    }
    Pending left;
    while ((left = queue.poll()) != null) {
      left.done().completeExceptionally(new PondException(ErrorCode.UNAVAILABLE, "Pond is shutting down"));
    }
    if (projection != null) {
      projection.stop(); // loads what is committed, then stops
    }
    try {
      if (out != null) {
        out.close();
      }
      if (lookups != null) {
        lookups.close();
      }
    } catch (IOException | SQLException e) {
      log.warn("Closing the event log failed", e);
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** False for CLI jobs that do not use the log ({@code pond keys}; {@link IngestProperties.Log#startWithContext}). */
  @Override
  public boolean isAutoStartup() {
    return settings.startWithContext();
  }

  /** Starts before and stops after the web server (which waits for requests in flight). */
  @Override
  public int getPhase() {
    return 0;
  }

  // --- the writer thread ---------------------------------------------------------------------------

  private void drain() {
    List<Pending> group = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Pending first = running ? queue.take() : queue.poll();
        if (first == null) {
          break;
        }
        group.add(first);
        int events = first.submission().events().size();
        while (group.size() < groupCommit.maxRequests() && events < groupCommit.maxEvents()) {
          Pending next = queue.poll();
          if (next == null) {
            break;
          }
          group.add(next);
          events += next.submission().events().size();
        }
        write(group);
      } catch (InterruptedException e) {
        if (!running) {
          // drain what is already queued, then stop
          continue;
        }
      } finally {
        group.clear();
      }
    }
  }

  private void put(byte[] frame) throws IOException {
    if (buffer.remaining() < frame.length) {
      flushBuffer();
      if (buffer.capacity() < frame.length) {
        buffer = ByteBuffer.allocateDirect(frame.length);
      }
    }
    buffer.put(frame);
  }

  private void flushBuffer() throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      segmentBytes += out.write(buffer);
    }
    buffer.clear();
  }

  private void write(List<Pending> group) {
    long firstOffset = nextOffset;
    long startBytes = segmentBytes;
    List<Receipt> receipts = new ArrayList<>(group.size());
    int expected = 0;
    for (Pending p : group) {
      expected += p.submission().events().size();
    }
    // PERF: the dedup check goes by hash first; only a hash seen before (a repeat, or rarely a
    // collision) is confirmed against the keys. Every stored key's hash is in seen, so a hash it
    // did not have means a new key; it is added right away (one probe of the large set per event)
    // and taken out again if the commit fails. fresh holds the hashes this commit added to seen,
    // accepted those of the events it stores.
    LongHashSet fresh = new LongHashSet(expected);
    LongHashSet accepted = new LongHashSet(expected);
    List<Key> inThisCommit = new ArrayList<>(expected);
    Set<Key> inThisCommitSet = null; // built at the first hash hit inside the commit
    Map<CounterKey, Long> counts = new HashMap<>();
    boolean rolled = false;
    try {
      for (Pending p : group) {
        Submission s = p.submission();
        int acceptedHere = 0;
        int duplicates = 0;
        for (EncodedEvent x : s.events()) {
          Key key = key(s.sourceId(), x.envelope().messageId());
          long hash = x.dedupHash();
          if (seen.addIfAbsent(hash)) {
            fresh.add(hash);
          } else {
            boolean inCommit = accepted.contains(hash);
            boolean before = !fresh.contains(hash);
            if (inCommit && inThisCommitSet == null) {
              inThisCommitSet = new HashSet<>(inThisCommit);
            }
            if (inCommit && inThisCommitSet.contains(key)
                || before && (isUnloaded(key) || stored(s.sourceId(), x.envelope().messageId(), hash))) {
              duplicates++;
              continue;
            }
          }
          inThisCommit.add(key);
          if (inThisCommitSet != null) {
            inThisCommitSet.add(key);
          }
          accepted.add(hash);
          put(x.frame());
          nextOffset++;
          acceptedHere++;
        }
        for (DeadLetter d : s.deadLetters()) {
          put(LogFrames.deadLetter(d));
          counts.merge(new CounterKey(s.sourceName(), "rejected"), 1L, Long::sum);
        }
        if (acceptedHere > 0) {
          counts.merge(new CounterKey(s.sourceName(), "accepted"), (long) acceptedHere, Long::sum);
        }
        if (duplicates > 0) {
          put(LogFrames.duplicates(s.sourceId(), duplicates));
          counts.merge(new CounterKey(s.sourceName(), "deduplicated"), (long) duplicates, Long::sum);
        }
        receipts.add(new Receipt(acceptedHere, duplicates, s.deadLetters().size(), nextOffset - 1));
      }
      put(LogFrames.COMMIT_FRAME);
      rolled = rollRequested || segmentBytes + buffer.position() >= settings.segmentBytes().toBytes();
      if (rolled) {
        rollRequested = false;
        put(LogFrames.ROLL_FRAME);
      }
      flushBuffer();
      out.force(false);
    } catch (IOException | SQLException | RuntimeException e) {
      log.error("Event log commit of {} requests failed; they are answered 503", group.size(), e);
      fresh.forEach(seen::remove);
      buffer.clear();
      nextOffset = firstOffset;
      try {
        out.truncate(startBytes);
        out.position(startBytes);
        segmentBytes = startBytes;
      } catch (IOException t) {
        log.error("The event log cannot be cut back after a failed write; ingestion answers 503", t);
        accepting = false;
      }
      PondException failure =
          new PondException(ErrorCode.UNAVAILABLE, "the event log could not commit; retry the request");
      group.forEach(p -> p.done().completeExceptionally(failure));
      return;
    }
    if (!inThisCommit.isEmpty()) {
      unloaded.add(new UnloadedCommit(nextOffset, inThisCommit));
    }
    if (rolled) {
      try {
        out.close();
        segment++;
        out = FileChannel.open(segmentFile(dir, segment), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        segmentBytes = 0;
        syncDirectory();
      } catch (IOException e) {
        log.error("The event log cannot start a new segment; ingestion answers 503", e);
        accepting = false;
      }
    }
    lastOffset = nextOffset - 1;
    synchronized (progress) {
      durable = position(segment, segmentBytes);
      progress.notifyAll();
    }
    for (int i = 0; i < group.size(); i++) {
      group.get(i).done().complete(receipts.get(i));
    }
    counts.forEach(
        (k, n) ->
            Counter.builder("pond.ingest.events")
                .description("Events received, by source and outcome (accepted, deduplicated, rejected)")
                .tag("source", k.sourceName())
                .tag("outcome", k.outcome())
                .register(meters)
                .increment(n));
  }

  private record CounterKey(String sourceName, String outcome) {}

  private boolean stored(long sourceId, String messageId, long hash) throws SQLException {
    try (PreparedStatement s =
        lookups.prepareStatement(
            "SELECT count(*) FROM event_log WHERE dedup_hash = ? AND source_id = ? AND message_id = ?")) {
      s.setLong(1, hash);
      s.setLong(2, sourceId);
      s.setString(3, messageId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    }
  }

  /** A 64-bit FNV-1a hash of the dedup key, finished with a murmur mix. */
  static long hash(long sourceId, String messageId) {
    long h = 0xcbf29ce484222325L ^ sourceId;
    // PERF: an ASCII id's chars are its UTF-8 bytes: hashed without encoding it into a new array
    int n = messageId.length();
    int i = 0;
    for (; i < n; i++) {
      char c = messageId.charAt(i);
      if (c >= 0x80) {
        break;
      }
      h ^= c;
      h *= 0x100000001b3L;
    }
    if (i < n) {
      h = 0xcbf29ce484222325L ^ sourceId;
      for (byte b : messageId.getBytes(StandardCharsets.UTF_8)) {
        h ^= b;
        h *= 0x100000001b3L;
      }
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  /** For tests and stats: the number of committed events. */
  public long count() {
    awaitLoaded();
    try (Connection c = store.connection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM event_log")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new PondException(ErrorCode.UNAVAILABLE, "the event log cannot be read: " + e.getMessage());
    }
  }
}
