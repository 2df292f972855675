package dev.tandem.internal.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WAL checkpoints off the writer's commits ({@link WalCheckpointer}), on real SQLite files, the
 * passes run by the test when it chooses (an executor that only queues them).
 */
class WalCheckpointerTest {
  @TempDir File folder;

  /** Queues the passes; the test runs them. */
  private final List<Runnable> queued = new ArrayList<>();

  private void runQueued() {
    List<Runnable> now = new ArrayList<>(queued);
    queued.clear();
    for (Runnable pass : now) pass.run();
  }

  private static long pragma(SqlConnection connection, String name) {
    try (SqlCursor cursor = connection.query("PRAGMA " + name)) {
      assertTrue(cursor.next());
      return cursor.getLong(0);
    }
  }

  /** One transaction on the writer: a row of about 2 KB, so each commit adds a page or more. */
  private static void commitOne(SqlConnection writer, int i) {
    writer.begin();
    StringBuilder value = new StringBuilder();
    for (int k = 0; k < 200; k++) value.append(i).append('-').append(k).append(';');
    writer.execute("INSERT INTO t (k, v) VALUES (?, ?)", i, value.toString());
    writer.commit();
  }

  private JdbcSqlDriver driver(File file, boolean background) {
    JdbcSqlDriver driver = new JdbcSqlDriver(file, false, background, queued::add);
    driver.writer().execute("CREATE TABLE IF NOT EXISTS t (k INTEGER PRIMARY KEY, v TEXT)");
    return driver;
  }

  @Test
  void theWritersOwnCheckpointIsOnlyTheBackstop() {
    JdbcSqlDriver background = driver(new File(folder, "a.db"), true);
    JdbcSqlDriver sqlite = driver(new File(folder, "b.db"), false);
    try {
      assertEquals(
          WalCheckpointer.BACKSTOP_PAGES, pragma(background.writer(), "wal_autocheckpoint"));
      assertEquals(1000, pragma(sqlite.writer(), "wal_autocheckpoint"), "SQLite's default");
    } finally {
      background.close();
      sqlite.close();
    }
  }

  @Test
  void aCommitPastAThousandWalPagesLeavesTheDatabaseFileToThePass() {
    File file = new File(folder, "c.db");
    JdbcSqlDriver driver = driver(file, true);
    try {
      long before = file.length();
      // 1 200 commits of a page or more each: past SQLite's default limit of 1 000 WAL pages, which
      // made one of these commits copy the WAL into the file (and fsync it) before.
      for (int i = 0; i < 1200; i++) commitOne(driver.writer(), i);
      assertEquals(before, file.length(), "no commit checkpointed: the file did not grow");
      assertEquals(1, queued.size(), "one pass queued at a time");
      runQueued();
      assertTrue(file.length() > before + 1200 * 1500L, "the pass copied the rows into the file");
    } finally {
      driver.close();
    }
  }

  @Test
  void withSqlitesCheckpointAloneSuchACommitCheckpointsItself() {
    File file = new File(folder, "d.db");
    JdbcSqlDriver driver = driver(file, false);
    try {
      long before = file.length();
      for (int i = 0; i < 1200; i++) commitOne(driver.writer(), i);
      assertTrue(file.length() > before, "the writer's commit copied the WAL into the file");
      assertTrue(queued.isEmpty());
    } finally {
      driver.close();
    }
  }

  @Test
  void onePassEveryThirtyTwoCommitsAndNeverTwoQueued() {
    JdbcSqlDriver driver = driver(new File(folder, "e.db"), true);
    try {
      int n = WalCheckpointer.PASS_EVERY_COMMITS;
      for (int i = 0; i < n - 1; i++) commitOne(driver.writer(), i);
      assertTrue(queued.isEmpty());
      commitOne(driver.writer(), n);
      assertEquals(1, queued.size());
      for (int i = 0; i < 3 * n; i++) commitOne(driver.writer(), 1000 + i);
      assertEquals(1, queued.size(), "a pass not yet run takes the place of the next ones");
      runQueued();
      for (int i = 0; i < n - 1; i++) commitOne(driver.writer(), 2000 + i);
      assertTrue(queued.isEmpty(), "counted again from the pass");
      commitOne(driver.writer(), 3000);
      assertEquals(1, queued.size());
    } finally {
      driver.close();
    }
  }

  @Test
  void aWalThePassesBackfilledRestartsSoTheFileDoesNotGrow() {
    File file = new File(folder, "f.db");
    File wal = new File(folder, "f.db-wal");
    JdbcSqlDriver driver = driver(file, true);
    try {
      List<Long> sizes = new ArrayList<>();
      for (int round = 0; round < 12; round++) {
        for (int i = 0; i < WalCheckpointer.PASS_EVERY_COMMITS; i++) {
          commitOne(driver.writer(), round * 1000 + i);
        }
        runQueued(); // Between the writer's transactions: it backfills every frame.
        sizes.add(wal.length());
      }
      // 12 rounds of about 70 pages each would be 800+ pages in a WAL that never restarted.
      assertEquals(sizes.get(2), sizes.get(11), "WAL sizes by round: " + sizes);
      assertTrue(sizes.get(11) < 200 * 4096L, "WAL sizes by round: " + sizes);
      SqlConnection reader = driver.acquireReader();
      try {
        assertEquals(12 * WalCheckpointer.PASS_EVERY_COMMITS, count(reader));
      } finally {
        driver.releaseReader(reader);
      }
    } finally {
      driver.close();
    }
  }

  private static long count(SqlConnection reader) {
    try (SqlCursor cursor = reader.query("SELECT count(*) FROM t")) {
      assertTrue(cursor.next());
      return cursor.getLong(0);
    }
  }

  @Test
  void closeEndsTheCheckpointersConnectionAndAPassQueuedBeforeDoesNothing() {
    File file = new File(folder, "g.db");
    File wal = new File(folder, "g.db-wal");
    JdbcSqlDriver driver = driver(file, true);
    for (int i = 0; i < WalCheckpointer.PASS_EVERY_COMMITS; i++) commitOne(driver.writer(), i);
    runQueued(); // The checkpointer's connection is open now.
    for (int i = 0; i < WalCheckpointer.PASS_EVERY_COMMITS; i++)
      commitOne(driver.writer(), 100 + i);
    assertEquals(1, queued.size());
    assertTrue(wal.exists());
    driver.close();
    // SQLite removes the WAL when the last connection to the database closes.
    assertFalse(wal.exists(), "every connection closed");
    runQueued(); // Queued before the close: it must not open a connection again.
    assertFalse(wal.exists(), "the pass after close opened nothing");
  }
}
