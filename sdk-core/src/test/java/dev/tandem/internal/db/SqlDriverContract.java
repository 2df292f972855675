package dev.tandem.internal.db;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * What Tandem's store needs from a {@link SqlDriver}, as one suite for every implementation: the
 * JDBC driver in sdk-core, Android's under Robolectric in sdk-android. JUnit 4 so that both can run
 * it.
 */
public abstract class SqlDriverContract {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  protected File file;
  protected SqlDriver driver;

  /** Opens (creating if needed) the database in {@code file}. */
  protected abstract SqlDriver open(File file, boolean fullSync);

  @Before
  public void openDriver() throws Exception {
    file = new File(folder.getRoot(), "contract.db");
    driver = open(file, false);
    driver
        .writer()
        .execute("CREATE TABLE t (k TEXT PRIMARY KEY NOT NULL, n INTEGER, d REAL, s TEXT, b BLOB)");
  }

  @After
  public void closeDriver() {
    driver.close();
  }

  private static String string(SqlConnection db, String sql, Object... args) {
    try (SqlCursor cursor = db.query(sql, args)) {
      return cursor.next() ? cursor.getString(0) : null;
    }
  }

  private static long count(SqlConnection db) {
    try (SqlCursor cursor = db.query("SELECT count(*) FROM t")) {
      assertTrue(cursor.next());
      return cursor.getLong(0);
    }
  }

  @Test
  public void executeReportsTheRowsItChanged() {
    SqlConnection db = driver.writer();
    assertEquals(1, db.execute("INSERT INTO t (k, n) VALUES (?, ?)", "a", 1L));
    assertEquals(1, db.execute("INSERT INTO t (k, n) VALUES (?, ?)", "b", 2L));
    assertEquals(2, db.execute("UPDATE t SET n = n + 1"));
    assertEquals(0, db.execute("DELETE FROM t WHERE k = ?", "missing"));
    assertEquals(1, db.execute("DELETE FROM t WHERE k = ?", "a"));
    assertEquals(0, db.execute("INSERT OR IGNORE INTO t (k, n) VALUES (?, ?)", "b", 9L));
  }

  @Test
  public void everyArgumentTypeBindsAndReadsBackTyped() {
    SqlConnection db = driver.writer();
    byte[] blob = {0, 1, (byte) 0xff};
    db.execute("INSERT INTO t (k, n, d, s, b) VALUES (?, ?, ?, ?, ?)", "x", 42L, 1.5, "é€😀", blob);
    db.execute("INSERT INTO t (k, n, d, s, b) VALUES (?, ?, ?, ?, ?)", "y", 7, true, null, null);
    try (SqlCursor c =
        db.query("SELECT n, d, s, b IS NULL, length(b), hex(b) FROM t WHERE k = ?", "x")) {
      assertTrue(c.next());
      assertEquals(42L, c.getLong(0));
      assertEquals(1.5, c.getDouble(1), 0);
      assertEquals("é€😀", c.getString(2));
      assertEquals(0L, c.getLong(3));
      assertEquals(3L, c.getLong(4));
      assertEquals("0001FF", c.getString(5));
      assertFalse(c.next());
    }
    try (SqlCursor c = db.query("SELECT n, d, s FROM t WHERE k = ?", "y")) {
      assertTrue(c.next());
      assertEquals(Long.valueOf(7), c.getLongOrNull(0));
      assertEquals(Double.valueOf(1), c.getDoubleOrNull(1)); // true binds as 1
      assertTrue(c.isNull(2));
      assertNull(c.getString(2));
      assertNull(c.getLongOrNull(2));
      assertNull(c.getDoubleOrNull(2));
    }
  }

  /** Text reads the same whatever is stored: empty, NULL, numbers as SQLite's text, any script. */
  @Test
  public void getStringReadsEveryStorageClassAsSqliteText() {
    SqlConnection db = driver.writer();
    try (SqlCursor c =
        db.query("SELECT '', NULL, 12, 1.5, ?, ?, -7", "é€😀\u0001x", repeat("ab😀", 20_000))) {
      assertTrue(c.next());
      assertEquals("", c.getString(0));
      assertNull(c.getString(1));
      assertEquals("12", c.getString(2));
      assertEquals("1.5", c.getString(3));
      assertEquals("é€😀\u0001x", c.getString(4));
      assertEquals(repeat("ab😀", 20_000), c.getString(5));
      assertEquals("-7", c.getString(6));
    }
  }

  private static String repeat(String s, int times) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < times; i++) out.append(s);
    return out.toString();
  }

  /** Numbers must bind as numbers: a driver that binds them as text fails these. */
  @Test
  public void numberArgumentsCompareAndComputeAsNumbers() {
    SqlConnection db = driver.writer();
    for (long n = 1; n <= 12; n++) db.execute("INSERT INTO t (k, n) VALUES (?, ?)", "k" + n, n);
    try (SqlCursor c = db.query("SELECT ? + 1, typeof(?), ? < 10", 41L, 2.5, 9L)) {
      assertTrue(c.next());
      assertEquals(42L, c.getLong(0));
      assertEquals("real", c.getString(1));
      assertEquals(1L, c.getLong(2));
    }
    try (SqlCursor c = db.query("SELECT count(*) FROM t WHERE n > ? AND n + 0 > ?", 9L, 9L)) {
      assertTrue(c.next());
      assertEquals(3L, c.getLong(0));
    }
    try (SqlCursor c = db.query("SELECT k FROM t ORDER BY n LIMIT ? OFFSET ?", 2L, 10L)) {
      List<String> keys = new ArrayList<>();
      while (c.next()) keys.add(c.getString(0));
      assertEquals(Arrays.asList("k11", "k12"), keys);
    }
  }

  @Test
  public void executeBatchRunsTheStatementForEachArgumentList() {
    SqlConnection db = driver.writer();
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) rows.add(new Object[] {"k" + i, (long) i});
    db.begin();
    db.executeBatch("INSERT INTO t (k, n) VALUES (?, ?)", rows);
    db.commit();
    assertEquals(1_000, count(db));
    assertEquals("999", string(db, "SELECT n FROM t WHERE k = ?", "k999"));
    db.executeBatch("INSERT INTO t (k, n) VALUES (?, ?)", new ArrayList<Object[]>()); // No-op.
  }

  /**
   * A batch that fails (a constraint, an argument that cannot be bound) leaves nothing of itself to
   * run with the next batch of the same statement, which the connection may have kept.
   */
  @Test
  public void aFailedBatchLeavesNothingForTheNextOfTheSameStatement() {
    SqlConnection db = driver.writer();
    String insert = "INSERT INTO t (k, n) VALUES (?, ?)";
    db.execute("INSERT INTO t (k) VALUES ('taken')");
    db.begin();
    try {
      db.executeBatch(insert, Arrays.asList(new Object[] {"a", 1L}, new Object[] {"taken", 2L}));
      fail("a duplicate key was accepted");
    } catch (SqlException expected) {
      // The pull or mutation it was part of rolls back.
    }
    db.rollback();
    db.begin();
    try {
      db.executeBatch(
          insert, Arrays.asList(new Object[] {"b", 1L}, new Object[] {"c", new Object()}));
      fail("an object was bound");
    } catch (IllegalArgumentException expected) {
      // Nothing can bind it.
    }
    db.rollback();
    db.begin();
    db.executeBatch(insert, Arrays.<Object[]>asList(new Object[] {"d", 4L}));
    db.commit();
    List<String> keys = new ArrayList<>();
    try (SqlCursor c = db.query("SELECT k FROM t ORDER BY k")) {
      while (c.next()) keys.add(c.getString(0));
    }
    assertEquals(Arrays.asList("d", "taken"), keys);
  }

  @Test
  public void commitKeepsAndRollbackDiscards() {
    SqlConnection db = driver.writer();
    assertFalse(db.inTransaction());
    db.begin();
    assertTrue(db.inTransaction());
    db.execute("INSERT INTO t (k) VALUES ('kept')");
    db.commit();
    assertFalse(db.inTransaction());
    db.begin();
    db.execute("INSERT INTO t (k) VALUES ('dropped')");
    db.rollback();
    assertFalse(db.inTransaction());
    assertEquals(1, count(db));
  }

  @Test
  public void rollingBackToASavepointKeepsTheTransaction() {
    SqlConnection db = driver.writer();
    db.begin();
    db.execute("INSERT INTO t (k) VALUES ('before')");
    db.savepoint("replay");
    db.execute("INSERT INTO t (k) VALUES ('undone')");
    db.rollbackToSavepoint("replay");
    db.releaseSavepoint("replay");
    assertTrue("still in the transaction", db.inTransaction());
    db.savepoint("replay");
    db.execute("INSERT INTO t (k) VALUES ('released')");
    db.releaseSavepoint("replay");
    db.execute("INSERT INTO t (k) VALUES ('after')");
    db.commit();
    List<String> keys = new ArrayList<>();
    try (SqlCursor c = db.query("SELECT k FROM t ORDER BY k")) {
      while (c.next()) keys.add(c.getString(0));
    }
    assertEquals(Arrays.asList("after", "before", "released"), keys);
  }

  @Test
  public void aConstraintViolationIsASqlExceptionAndTheTransactionRollsBack() {
    SqlConnection db = driver.writer();
    db.execute("INSERT INTO t (k) VALUES ('a')");
    db.begin();
    db.execute("INSERT INTO t (k) VALUES ('b')");
    try {
      db.execute("INSERT INTO t (k) VALUES ('a')");
      fail("a duplicate key was accepted");
    } catch (SqlException e) {
      assertEquals(19, e.resultCode()); // SQLITE_CONSTRAINT
    }
    db.rollback();
    assertEquals(1, count(db));
    try {
      db.query("SELECT nope FROM t").close();
      fail("a bad query ran");
    } catch (SqlException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("nope"));
    }
  }

  @Test
  public void aReadTransactionSeesOneSnapshotWhileTheWriterCommits() throws Exception {
    final SqlConnection writer = driver.writer();
    writer.execute("INSERT INTO t (k, n) VALUES ('x', 1)");
    final CountDownLatch committed = new CountDownLatch(1);
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread writing =
        new Thread(
            () -> {
              try {
                writer.begin();
                writer.execute("UPDATE t SET n = 2 WHERE k = 'x'");
                writer.commit();
                committed.countDown();
              } catch (Throwable t) {
                failure.set(t);
              }
            });
    SqlConnection reader = driver.acquireReader();
    try {
      reader.begin();
      assertEquals("1", string(reader, "SELECT n FROM t WHERE k = 'x'"));
      writing.start();
      // A store with concurrent readers commits now; one that serializes them waits for us.
      committed.await(200, TimeUnit.MILLISECONDS);
      assertEquals("the same snapshot", "1", string(reader, "SELECT n FROM t WHERE k = 'x'"));
      reader.rollback();
    } finally {
      driver.releaseReader(reader);
    }
    writing.join(10_000);
    assertNull(failure.get());
    assertEquals(0, committed.getCount());
    SqlConnection next = driver.acquireReader();
    try {
      assertEquals("2", string(next, "SELECT n FROM t WHERE k = 'x'"));
    } finally {
      driver.releaseReader(next);
    }
  }

  @Test
  public void readersOnOtherThreadsSeeCommittedData() throws Exception {
    driver.writer().execute("INSERT INTO t (k, s) VALUES ('a', 'committed')");
    final AtomicReference<String> seen = new AtomicReference<>();
    Thread thread =
        new Thread(
            () -> {
              SqlConnection reader = driver.acquireReader();
              try {
                seen.set(string(reader, "SELECT s FROM t WHERE k = 'a'"));
              } finally {
                driver.releaseReader(reader);
              }
            });
    thread.start();
    thread.join(10_000);
    assertEquals("committed", seen.get());
  }

  /** {@code synchronous} of the connection that writes (readers never write). */
  private static String writerSynchronous(SqlConnection writer) {
    writer.begin(); // Inside a write transaction, on the writer's own connection.
    try {
      return string(writer, "PRAGMA synchronous");
    } finally {
      writer.rollback();
    }
  }

  @Test
  public void walModeDurabilityAndReopening() {
    SqlConnection db = driver.writer();
    assertEquals("wal", string(db, "PRAGMA journal_mode").toLowerCase(Locale.ROOT));
    assertEquals("1", writerSynchronous(db)); // NORMAL
    db.execute("PRAGMA user_version = 7");
    db.execute("INSERT INTO t (k, s) VALUES ('a', 'kept')");
    driver.close();

    driver = open(file, true);
    db = driver.writer();
    assertEquals("2", writerSynchronous(db)); // FULL
    assertEquals("7", string(db, "PRAGMA user_version"));
    assertEquals("kept", string(db, "SELECT s FROM t WHERE k = 'a'"));
  }

  @Test
  public void largeValuesRoundTrip() {
    StringBuilder big = new StringBuilder();
    while (big.length() < 1_000_000) big.append("0123456789€");
    byte[] blob = new byte[300_000];
    for (int i = 0; i < blob.length; i++) blob[i] = (byte) i;
    SqlConnection db = driver.writer();
    db.execute("INSERT INTO t (k, s, b) VALUES (?, ?, ?)", "big", big.toString(), blob);
    assertEquals(big.toString(), string(db, "SELECT s FROM t WHERE k = 'big'"));
    try (SqlCursor c = db.query("SELECT length(b), hex(substr(b, 1, 3)) FROM t")) {
      assertTrue(c.next());
      assertEquals(300_000L, c.getLong(0));
      assertEquals("000102", c.getString(1));
    }
  }
}
