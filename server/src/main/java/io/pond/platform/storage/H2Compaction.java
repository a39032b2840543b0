package io.pond.platform.storage;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Rewrites the sparse chunks of the embedded H2 file while Pond runs, as H2's own background writer
 * would.
 *
 * <p>PERF: the H2 URL sets {@code WRITE_DELAY=0} (every commit reaches the file before it is
 * acknowledged), and H2 then runs no background writer — which is also what compacts the file. Every
 * commit writes its changed pages as a new chunk and leaves the old versions behind; a chunk is freed
 * only when none of its pages is live any more, and after a bulk load almost every chunk keeps a few
 * live pages. Without compaction the file grew by every byte ever committed (400 MB for 30,000
 * imported orders, 10 GB for a demo brand). This task rewrites the live pages of the sparsest chunks
 * into the next commit; the chunks they leave are reused once H2's retention time has passed.
 *
 * <p>Only the process that holds the file compacts (a second process reaches it through H2's
 * automatic server, with no store of its own); PostgreSQL needs nothing of this.
 */
@Component
class H2Compaction extends StoreUpkeep {

  private static final Logger log = LoggerFactory.getLogger(H2Compaction.class);

  /** Chunks are rewritten while the live share of the file's chunks is below this (percent). */
  static final int TARGET_FILL_RATE = 50;

  /** Bytes of live pages rewritten per pass: bounded, so a pass never holds the store for long. */
  static final int WRITE_LIMIT = 8 << 20;

  static final long PERIOD_MILLIS = 1000;

  private final DataSource dataSource;
  private volatile MVStore store;

  H2Compaction(DataSource dataSource) {
    super("pond-h2-compaction", PERIOD_MILLIS);
    this.dataSource = dataSource;
  }

  @Override
  boolean applies() {
    store = embeddedStore();
    return store != null;
  }

  @Override
  void pass() {
    compact();
  }

  /**
   * One pass: when the file's chunks are less than {@link #TARGET_FILL_RATE} % live, rewrites up to
   * {@link #WRITE_LIMIT} bytes of their live pages and commits them. Returns whether it rewrote any.
   */
  boolean compact() {
    MVStore s = store;
    if (s == null || s.isClosed() || s.getFileStore() == null) {
      return false;
    }
    if (s.getFileStore().getChunksFillRate() >= TARGET_FILL_RATE) {
      return false;
    }
    boolean rewritten = s.compact(TARGET_FILL_RATE, WRITE_LIMIT);
    if (rewritten) {
      s.commit(); // as H2's background writer does; it waits for nothing but the store lock
    }
    return rewritten;
  }

  /** The store of an H2 database this process opened itself; null for PostgreSQL or a remote H2. */
  private MVStore embeddedStore() {
    try (Connection c = dataSource.getConnection()) {
      if (!c.isWrapperFor(JdbcConnection.class)
          || !(c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
        return null;
      }
      return session.getDatabase().getStore() == null ? null : session.getDatabase().getStore().getMvStore();
    } catch (SQLException e) {
      log.warn("could not reach the H2 store; its file is compacted only when it closes", e);
      return null;
    }
  }
}
