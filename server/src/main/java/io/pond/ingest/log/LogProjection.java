package io.pond.ingest.log;

import io.pond.platform.storage.DuckDbStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the event log's committed frames into the DuckDB tables, on one thread, in log order: the
 * rows and the new position ({@code event_log_projection}) commit in one DuckDB transaction, so after
 * a crash loading resumes exactly where it stopped — nothing twice, nothing skipped. A segment file
 * is deleted once it is wholly loaded.
 */
final class LogProjection {

  private static final Logger log = LoggerFactory.getLogger(LogProjection.class);

  /** Where the projection stands in the log. */
  record State(long segment, long position, long nextOffset, long nextDeadLetterId) {}

  private final EventLog eventLog;
  private final DuckDbStore store;
  private final Path dir;
  private final int maxEvents;
  private DuckDBConnection connection;
  private DuckDBAppender eventRows;
  private DuckDBAppender identifierRows;
  private DuckDBAppender deadLetterRows;
  private DuckDBAppender duplicateRows;
  private PreparedStatement savePosition;
  private State state;
  private volatile long loaded;
  /** The offset of the first event DuckDB does not have yet (set after each load's commit). */
  private volatile long loadedOffset;
  private volatile boolean running;
  private Thread thread;
  private FileChannel in;
  private long inSegment = -1;
  private ByteBuffer buffer = ByteBuffer.allocate(4 << 20);

  LogProjection(EventLog eventLog, DuckDbStore store, Path dir, int maxEvents, java.time.Duration linger) {
    this.eventLog = eventLog;
    this.store = store;
    this.dir = dir;
    this.maxEvents = maxEvents;
    this.lingerNanos = linger.toNanos();
  }

  /** Past this many bytes waiting the loader does not linger. */
  static final long LINGER_BYTES = 4L << 20;

  private final long lingerNanos;

  /** The log position up to which DuckDB has everything. */
  long loaded() {
    return loaded;
  }

  /** Every event below this offset is in DuckDB. */
  long loadedOffset() {
    return loadedOffset;
  }

  /** Opens the DuckDB side and says where loading resumes. */
  State open() throws SQLException {
    connection = (DuckDBConnection) store.connection();
    try (Statement s = connection.createStatement()) {
      try (ResultSet rs =
          s.executeQuery("SELECT segment, position, next_offset, next_dead_letter_id FROM event_log_projection")) {
        if (rs.next()) {
          state = new State(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
        }
      }
      if (state == null) {
        // a new store, or one whose events were written to DuckDB directly before the log file
        long nextOffset;
        long nextDeadLetter;
        try (ResultSet rs = s.executeQuery("SELECT coalesce(max(log_offset), 0) + 1 FROM event_log")) {
          rs.next();
          nextOffset = rs.getLong(1);
        }
        try (ResultSet rs = s.executeQuery("SELECT coalesce(max(id), 0) + 1 FROM dead_letter")) {
          rs.next();
          nextDeadLetter = rs.getLong(1);
        }
        state = new State(0, 0, nextOffset, nextDeadLetter);
        s.execute("INSERT INTO event_log_projection VALUES (0, 0, " + nextOffset + ", " + nextDeadLetter + ")");
      }
    }
    // Rows past the saved position were loaded by a transaction that did not finish (belt and
    // braces: the position is written first in every load, so the appenders' rows join its
    // transaction); the file has them, and they are loaded again.
    try (Statement s = connection.createStatement()) {
      long at = EventLog.position(state.segment(), state.position());
      int stray = s.executeUpdate("DELETE FROM event_log WHERE log_offset >= " + state.nextOffset())
          + s.executeUpdate("DELETE FROM event_identifier WHERE log_offset >= " + state.nextOffset())
          + s.executeUpdate("DELETE FROM dead_letter WHERE id >= " + state.nextDeadLetterId())
          + s.executeUpdate("DELETE FROM ingest_duplicate WHERE log_position >= " + at);
      if (stray > 0) {
        log.warn("Removed {} DuckDB rows loaded past the saved log position; they are loaded again", stray);
      }
    }
    connection.setAutoCommit(false);
    loaded = EventLog.position(state.segment(), state.position());
    loadedOffset = state.nextOffset();
    return state;
  }

  void start() {
    running = true;
    thread = Thread.ofPlatform().name("pond-event-log-loader").daemon(true).start(this::run);
  }

  /** Loads what is committed (for up to 30 s), then stops. */
  void stop() {
    running = false;
    synchronized (eventLog.progress) {
      eventLog.progress.notifyAll();
    }
    if (thread != null) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (thread.isAlive()) {
        log.warn("The event log's DuckDB loader did not finish in 30 s; it resumes at the next start");
        thread.interrupt();
      }
    }
  }

  private void run() {
    // DuckDB appenders are confined to the thread that created them: this one.
    lowerPriority();
    long backoff = 100;
    try {
      while (true) {
        long target;
        synchronized (eventLog.progress) {
          while (running && eventLog.durable <= loaded) {
            eventLog.progress.wait(1000);
          }
          // PERF: a DuckDB transaction has a fixed cost (the position row, four appender flushes,
          // the commit and its WAL write): loading every group commit on its own cost about as much
          // CPU as the requests under a stream of small commits. Wait a little for more, unless a
          // query waits (it reads its own writes) or much is waiting already.
          long until = System.nanoTime() + lingerNanos;
          while (running && eventLog.readers == 0 && sameSegment(eventLog.durable, loaded)
              && eventLog.durable - loaded < LINGER_BYTES) {
            long left = until - System.nanoTime();
            if (left <= 0) {
              break;
            }
            eventLog.progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
          }
          target = eventLog.durable;
          if (!running && target <= loaded) {
            return;
          }
        }
        try {
          if (eventRows == null) {
            openAppenders();
          }
          loadUpTo(target);
          backoff = 100;
        } catch (SQLException | IOException | RuntimeException e) {
          log.error("Loading the event log into DuckDB failed at segment {} byte {}; retrying in {} ms",
              state.segment(), state.position(), backoff, e);
          closeAppenders();
          try {
            connection.rollback();
          } catch (SQLException r) {
            log.warn("DuckDB rollback failed", r);
          }
          if (!running) {
            return;
          }
          Thread.sleep(backoff);
          backoff = Math.min(backoff * 2, 30_000);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeAppenders();
      try {
        if (in != null) {
          in.close();
        }
        connection.close();
      } catch (IOException | SQLException e) {
        log.debug("Closing the event log loader", e);
      }
    }
  }

  /**
   * PERF: the DuckDB copy is background work: on Linux this thread gets nice 5, so that under CPU
   * contention request threads (the acknowledgements) come first and the load catches up when they
   * leave CPU over; on an idle core it runs at full speed. Best effort: elsewhere nothing changes.
   */
  private static void lowerPriority() {
    try {
      Path self = Path.of("/proc/thread-self");
      if (!Files.isSymbolicLink(self)) {
        return;
      }
      String tid = Files.readSymbolicLink(self).getFileName().toString(); // "<pid>/task/<tid>"
      Process p = new ProcessBuilder("renice", "-n", "5", "-p", tid).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (p.waitFor() != 0) {
        log.debug("renice of the event log loader failed");
      }
    } catch (IOException | RuntimeException e) {
      log.debug("The event log loader keeps its priority", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean sameSegment(long a, long b) {
    return a >>> EventLog.SEGMENT_SHIFT == b >>> EventLog.SEGMENT_SHIFT;
  }

  /** Loads one batch: up to {@code maxEvents} events, within one segment, not past {@code target}. */
  private void loadUpTo(long target) throws IOException, SQLException {
    long seg = state.segment();
    long targetSeg = target >>> EventLog.SEGMENT_SHIFT;
    long end = targetSeg > seg ? Long.MAX_VALUE : target & ((1L << EventLog.SEGMENT_SHIFT) - 1);
    if (inSegment != seg) {
      if (in != null) {
        in.close();
      }
      in = FileChannel.open(EventLog.segmentFile(dir, seg), StandardOpenOption.READ);
      inSegment = seg;
    }
    end = Math.min(end, in.size());
    SegmentReader r = new SegmentReader(in, state.position(), end, buffer);
    long offset = state.nextOffset();
    long deadLetterId = state.nextDeadLetterId();
    long position = state.position();
    boolean rolled = false;
    int events = 0;
    // Atomicity: the position is written first, which begins the DuckDB transaction, so that the
    // appenders' rows (flushed whenever a chunk fills) join it: an appender flushed outside a
    // transaction commits on its own.
    save(state);
    boolean anyEvent = false;
    boolean anyDeadLetter = false;
    boolean anyDuplicate = false;
    while (events < maxEvents && !rolled && r.next()) {
      LogFrames.Reader f = new LogFrames.Reader(r.buffer(), r.frameStart());
      switch (f.kind()) {
        case LogFrames.EVENT -> {
          long hash = f.getLong();
          long source = f.getLong();
          String messageId = f.getString();
          eventRows.beginRow()
              .append(offset)
              .append(hash)
              .append(source)
              .append(messageId)
              // PERF: text columns are appended as the frame's UTF-8 bytes, without a String each
              .append(f.getBytes()) // protocol
              .append(f.getBytes()) // type
              .append(f.getBytes()) // event
              .appendEpochMicros(f.getLong()) // ts
              .appendEpochMicros(f.getLong()) // received_at
              .append(f.getBytes()) // link
              .append(f.getBytes()) // identifiers
              .append(f.getBytes()) // previous
              .append(f.getBytes()) // properties
              .append(f.getBytes()) // traits
              .append(f.getBytes()) // context
              .endRow();
          int n = f.getInt();
          for (int i = 0; i < n; i++) {
            identifierRows.beginRow().append(offset).append(f.getBytes()).append(f.getBytes()).append(f.getBytes()).endRow();
          }
          offset++;
          events++;
          anyEvent = true;
        }
        case LogFrames.DEAD_LETTER -> {
          deadLetterRows.beginRow()
              .append(deadLetterId++)
              .append(f.getLong()) // source
              .append(f.getString()) // protocol
              .appendEpochMicros(f.getLong()) // received_at
              .append(f.getString()) // reason
              .append(f.getString()) // field
              .append(f.getString()) // detail
              .append(f.getString()) // raw
              .endRow();
          anyDeadLetter = true;
        }
        case LogFrames.DUPLICATES -> {
          duplicateRows.beginRow().append(f.getLong()).append(f.getLong())
              .append(EventLog.position(seg, r.position())).endRow();
          anyDuplicate = true;
        }
        case LogFrames.ROLL -> rolled = true;
        default -> {} // COMMIT: every frame up to the durable position is committed
      }
      position = r.position();
    }
    buffer = r.buffer();
    if (position == state.position() && !rolled) {
      connection.rollback();
      if (targetSeg > seg) {
        throw new IOException("segment " + seg + " ends at byte " + position + " without a roll to the next");
      }
      return;
    }
    State next = rolled
        ? new State(seg + 1, 0, offset, deadLetterId)
        : new State(seg, position, offset, deadLetterId);
    save(next);
    if (anyEvent) {
      eventRows.flush();
      identifierRows.flush();
    }
    if (anyDeadLetter) {
      deadLetterRows.flush();
    }
    if (anyDuplicate) {
      duplicateRows.flush();
    }
    connection.commit();
    state = next;
    loadedOffset = next.nextOffset();
    if (rolled) {
      in.close();
      in = null;
      inSegment = -1;
      Files.deleteIfExists(EventLog.segmentFile(dir, seg));
    }
    synchronized (eventLog.progress) {
      loaded = EventLog.position(next.segment(), next.position());
      eventLog.progress.notifyAll();
    }
    eventLog.loaded();
  }

  private void save(State next) throws SQLException {
    savePosition.setLong(1, next.segment());
    savePosition.setLong(2, next.position());
    savePosition.setLong(3, next.nextOffset());
    savePosition.setLong(4, next.nextDeadLetterId());
    savePosition.executeUpdate();
  }

  private void openAppenders() throws SQLException {
    eventRows = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "event_log");
    identifierRows = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "event_identifier");
    deadLetterRows = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "dead_letter");
    duplicateRows = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "ingest_duplicate");
    savePosition = connection.prepareStatement(
        "UPDATE event_log_projection SET segment = ?, position = ?, next_offset = ?, next_dead_letter_id = ?");
  }

  private void closeAppenders() {
    for (AutoCloseable a : new AutoCloseable[] {eventRows, identifierRows, deadLetterRows, duplicateRows, savePosition}) {
      if (a != null) {
        try {
          a.close();
        } catch (Exception e) {
          log.debug("Closing an appender after a failure", e);
        }
      }
    }
    eventRows = null;
    identifierRows = null;
    deadLetterRows = null;
    duplicateRows = null;
    savePosition = null;
  }
}
