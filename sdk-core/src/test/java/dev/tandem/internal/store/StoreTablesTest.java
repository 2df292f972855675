package dev.tandem.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.internal.db.JdbcSqlDriver;
import dev.tandem.internal.db.SqlConnection;
import dev.tandem.internal.db.SqlCursor;
import java.io.File;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's own tables and their version, on a real SQLite file. */
class StoreTablesTest {
  @TempDir Path directory;

  static long scalar(SqlConnection db, String sql) {
    try (SqlCursor cursor = db.query(sql)) {
      cursor.next();
      return cursor.getLong(0);
    }
  }

  @Test
  void aStoreOfANewerVersionIsRefusedClearlyAndLeftAsItWas() {
    File file = new File(directory.toFile(), "newer.db");
    JdbcSqlDriver driver = new JdbcSqlDriver(file, false);
    try {
      SqlConnection db = driver.writer();
      db.execute("CREATE TABLE tandem_pending (seq INTEGER PRIMARY KEY, future TEXT)");
      db.execute("INSERT INTO tandem_pending (future) VALUES ('kept')");
      db.execute("PRAGMA user_version = " + (StoreTables.VERSION + 1));

      IllegalStateException refused =
          assertThrows(IllegalStateException.class, () -> StoreTables.create(driver, "1"));
      assertTrue(
          refused
              .getMessage()
              .contains(
                  "written by a newer Tandem (store version " + (StoreTables.VERSION + 1) + ")"),
          refused.getMessage());

      assertEquals(StoreTables.VERSION + 1, scalar(db, "PRAGMA user_version"));
      assertEquals(1, scalar(db, "SELECT COUNT(*) FROM tandem_pending WHERE future = 'kept'"));
      assertEquals(0, scalar(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'tandem_undo'"));
    } finally {
      driver.close();
    }
  }

  @Test
  void aNewStoreHasTheCurrentVersionAndNoIndexNorAutoincrementOnItsQueue() {
    JdbcSqlDriver driver = new JdbcSqlDriver(new File(directory.toFile(), "new.db"), false);
    try {
      StoreTables.create(driver, "1");
      SqlConnection db = driver.writer();
      assertEquals(StoreTables.VERSION, scalar(db, "PRAGMA user_version"));
      assertEquals(
          0,
          scalar(
              db,
              "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index'"
                  + " AND tbl_name = 'tandem_pending'"));
      // No AUTOINCREMENT: its high-water mark (sqlite_sequence) cost every commit a page.
      assertEquals(
          0, scalar(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_sequence'"));
    } finally {
      driver.close();
    }
  }
}
