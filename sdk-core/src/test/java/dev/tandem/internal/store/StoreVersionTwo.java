package dev.tandem.internal.store;

import dev.tandem.internal.db.SqlConnection;
import dev.tandem.internal.db.SqlCursor;
import java.util.ArrayList;
import java.util.List;

/**
 * Store version 2's shape, for upgrade tests: the undo log in {@code tandem_undo} alone, and the
 * queue with a unique index on {@code (client_id, id)} and no {@code undo} column.
 */
public final class StoreVersionTwo {
  private StoreVersionTwo() {}

  /** Version 2's {@code tandem_pending}, named {@code table}. */
  public static String pendingDdl(String table) {
    return "CREATE TABLE "
        + table
        + " (seq INTEGER PRIMARY KEY AUTOINCREMENT, client_id TEXT NOT NULL, id INTEGER NOT NULL,"
        + " name TEXT NOT NULL, args TEXT NOT NULL, timestamp REAL NOT NULL,"
        + " schema_version TEXT NOT NULL DEFAULT '', UNIQUE (client_id, id))";
  }

  /**
   * Rewrites a closed store of this version into version 2's shape, as version 2 would have left
   * it: the queue records' undo entries moved into {@code tandem_undo}, the queue copied into
   * version 2's table. In one transaction on {@code db}.
   */
  public static void rewrite(SqlConnection db) {
    db.begin();
    List<Entry> entries = new ArrayList<>();
    try (SqlCursor cursor =
        db.query("SELECT undo FROM tandem_pending WHERE undo IS NOT NULL ORDER BY seq")) {
      while (cursor.next()) UndoLog.decode(cursor.getString(0), entries);
    }
    for (Entry entry : entries) {
      db.execute(
          "INSERT OR IGNORE INTO tandem_undo (key, prior) VALUES (?, ?)", entry.key, entry.json);
    }
    db.execute(pendingDdl("pending_v2"));
    db.execute(
        "INSERT INTO pending_v2 SELECT seq, client_id, id, name, args, timestamp, schema_version"
            + " FROM tandem_pending");
    db.execute("DROP TABLE tandem_pending");
    db.execute("ALTER TABLE pending_v2 RENAME TO tandem_pending");
    db.execute("PRAGMA user_version = 2");
    db.commit();
  }
}
