package dev.tandem.internal.store;

import dev.tandem.internal.db.SqlConnection;

/**
 * Store version 3's shape, for upgrade tests: the queue as version 4 has it (undo entries in its
 * records, no index) but numbered by {@code AUTOINCREMENT}.
 */
public final class StoreVersionThree {
  private StoreVersionThree() {}

  /**
   * Rewrites a closed store of this version into version 3's shape, as version 3 would have left
   * it: the queue copied into an {@code AUTOINCREMENT} table whose high-water mark is {@code mark}
   * (at least the newest position). In one transaction on {@code db}.
   */
  public static void rewrite(SqlConnection db, long mark) {
    db.begin();
    db.execute(
        "CREATE TABLE pending_v3 (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
            + " client_id TEXT NOT NULL, id INTEGER NOT NULL, name TEXT NOT NULL,"
            + " args TEXT NOT NULL, timestamp REAL NOT NULL,"
            + " schema_version TEXT NOT NULL DEFAULT '', undo TEXT)");
    db.execute(
        "INSERT INTO pending_v3"
            + " SELECT seq, client_id, id, name, args, timestamp, schema_version, undo"
            + " FROM tandem_pending");
    db.execute("DROP TABLE tandem_pending");
    db.execute("ALTER TABLE pending_v3 RENAME TO tandem_pending");
    if (db.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'tandem_pending'", mark) == 0) {
      db.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('tandem_pending', ?)", mark);
    }
    db.execute("PRAGMA user_version = 3");
    db.commit();
  }
}
