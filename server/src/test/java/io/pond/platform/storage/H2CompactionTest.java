package io.pond.platform.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Random;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code WRITE_DELAY=0} H2 compacts nothing while it runs: many small commits leave the file's
 * chunks mostly dead. {@link H2Compaction} rewrites them.
 */
class H2CompactionTest {

  @TempDir Path dir;

  @Test
  void many_small_commits_leave_sparse_chunks_that_a_pass_rewrites() throws Exception {
    JdbcDataSource ds = new JdbcDataSource();
    // RETENTION_TIME=0: H2 rewrites only chunks older than the retention time (45 s by default)
    ds.setURL("jdbc:h2:file:" + dir.resolve("db") + ";WRITE_DELAY=0;RETENTION_TIME=0");
    ds.setUser("sa");
    try (Connection keepOpen = ds.getConnection()) {
      try (Statement s = keepOpen.createStatement()) {
        s.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(200))");
        s.execute("INSERT INTO t SELECT x, REPEAT('x', 150) FROM SYSTEM_RANGE(1, 20000)");
      }
      Random random = new Random(1);
      try (Connection c = ds.getConnection();
          PreparedStatement update = c.prepareStatement("UPDATE t SET v = ? WHERE id = ?")) {
        for (int commit = 0; commit < 400; commit++) { // auto-commit: one store of the file each
          update.setString(1, "y".repeat(100 + random.nextInt(100)));
          update.setInt(2, 1 + random.nextInt(20000));
          update.executeUpdate();
        }
      }
      H2Compaction compaction = new H2Compaction(ds);
      compaction.start();
      try {
        var store = org.h2.mvstore.MVStore.class.cast(
            ((org.h2.engine.SessionLocal) keepOpen.unwrap(org.h2.jdbc.JdbcConnection.class).getSession())
                .getDatabase().getStore().getMvStore());
        int before = store.getFileStore().getChunksFillRate();
        assertThat(before).isLessThan(H2Compaction.TARGET_FILL_RATE);
        int passes = 0;
        while (compaction.compact() && passes < 100) { // the scheduled pass may run some of them
          passes++;
        }
        assertThat(store.getFileStore().getChunksFillRate()).isGreaterThan(before);
      } finally {
        compaction.stop();
      }
      try (Statement s = keepOpen.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(20000);
      }
    }
    assertThat(Files.exists(dir.resolve("db.mv.db"))).isTrue();
  }
}
