package dev.tandem.internal.store;

import dev.tandem.internal.db.SqlConnection;
import dev.tandem.internal.db.SqlCursor;
import dev.tandem.internal.db.SqlDriver;

/**
 * Tandem's own tables in the local database. The SQL stays within what Android API 21's SQLite
 * (3.8) understands: no UPSERT, no window functions.
 *
 * <ul>
 *   <li>{@code tandem_meta}: clientID, clientGroupID, profileID, cookie, a disabled reason, the
 *       schema (and its version) the database was last opened with ({@link Meta}).
 *   <li>{@code tandem_kv}: synced keys that are not rows of a schema table ({@link KvTable}).
 *   <li>{@code tandem_pending}: mutations not yet confirmed, in the order they were made, each with
 *       the schema version it was made with ({@link PendingQueue}).
 *   <li>{@code tandem_confirmed}: the last mutation ID the server confirmed, per client of the
 *       group ({@link Meta}).
 *   <li>{@code tandem_undo}: each key's value before the first pending mutation changed it ({@link
 *       UndoLog}).
 * </ul>
 */
final class StoreTables {
  /**
   * 2: {@code tandem_pending.schema_version}, the schema version each mutation was made with. 3: a
   * new mutation's undo entries in its queue record ({@code tandem_pending.undo}, see {@link
   * UndoLog}), and no index on {@code (client_id, id)}: each cost every commit a b-tree page. 4:
   * {@code tandem_pending.seq} without {@code AUTOINCREMENT}, whose high-water mark in {@code
   * sqlite_sequence} cost every commit a third page; {@link LocalStore} numbers the queue itself.
   */
  static final int VERSION = 4;

  private static final String PENDING_COLUMNS =
      " (seq INTEGER PRIMARY KEY, client_id TEXT NOT NULL, id INTEGER NOT NULL,"
          + " name TEXT NOT NULL, args TEXT NOT NULL, timestamp REAL NOT NULL,"
          + " schema_version TEXT NOT NULL DEFAULT '', undo TEXT)";

  private static final String[] DDL = {
    "CREATE TABLE IF NOT EXISTS tandem_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT)"
        + " WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS tandem_kv (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)"
        + " WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS tandem_pending" + PENDING_COLUMNS,
    "CREATE TABLE IF NOT EXISTS tandem_confirmed (client_id TEXT PRIMARY KEY NOT NULL,"
        + " last_mutation_id INTEGER NOT NULL) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS tandem_undo (key TEXT PRIMARY KEY NOT NULL, prior TEXT)"
        + " WITHOUT ROWID",
  };

  private StoreTables() {}

  /**
   * Creates the tables of a new database, or checks that an existing one is one Tandem knows and
   * upgrades it in place: a store of version 1 gains {@code tandem_pending.schema_version}, filled
   * with {@code schemaVersion} (the version opening it; version 1 did not record one); one of
   * version 1, 2 or 3 gets {@code tandem_pending} rebuilt in version 4's shape: with the {@code
   * undo} column (a version 1 or 2 store's undo entries stay in {@code tandem_undo}, where they
   * still count first), without the index, without {@code AUTOINCREMENT}.
   */
  static void create(SqlDriver driver, String schemaVersion) {
    SqlConnection db = driver.writer();
    db.begin();
    try {
      long version;
      try (SqlCursor cursor = db.query("PRAGMA user_version")) {
        cursor.next();
        version = cursor.getLong(0);
      }
      if (version > VERSION) {
        throw new IllegalStateException(
            "this database was written by a newer Tandem (store version "
                + version
                + "); this one reads up to "
                + VERSION);
      }
      for (String sql : DDL) db.execute(sql);
      if (version == 1) {
        db.execute("ALTER TABLE tandem_pending ADD COLUMN schema_version TEXT NOT NULL DEFAULT ''");
        db.execute("UPDATE tandem_pending SET schema_version = ?", schemaVersion);
      }
      if (version >= 1 && version <= 3) rebuildPending(db, version == 3);
      db.execute("PRAGMA user_version = " + VERSION);
      db.commit();
    } catch (RuntimeException e) {
      db.rollback();
      throw e;
    }
  }

  /**
   * Copies {@code tandem_pending} into a table of version 4's shape (SQLite can neither drop a
   * constraint nor {@code AUTOINCREMENT}), keeping the positions, and the undo entries of a version
   * 3 store ({@code withUndo}). Dropping the old table drops its {@code sqlite_sequence} row.
   */
  private static void rebuildPending(SqlConnection db, boolean withUndo) {
    String columns =
        "seq, client_id, id, name, args, timestamp, schema_version" + (withUndo ? ", undo" : "");
    db.execute("CREATE TABLE tandem_pending_v4" + PENDING_COLUMNS);
    db.execute(
        "INSERT INTO tandem_pending_v4 ("
            + columns
            + ") SELECT "
            + columns
            + " FROM tandem_pending ORDER BY seq");
    db.execute("DROP TABLE tandem_pending");
    db.execute("ALTER TABLE tandem_pending_v4 RENAME TO tandem_pending");
  }
}
