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
  /** 2: {@code tandem_pending.schema_version}, the schema version each mutation was made with. */
  static final int VERSION = 2;

  private static final String[] DDL = {
    "CREATE TABLE IF NOT EXISTS tandem_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT)"
        + " WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS tandem_kv (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)"
        + " WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS tandem_pending (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
        + " client_id TEXT NOT NULL, id INTEGER NOT NULL,"
        + " name TEXT NOT NULL, args TEXT NOT NULL, timestamp REAL NOT NULL,"
        + " schema_version TEXT NOT NULL DEFAULT '', UNIQUE (client_id, id))",
    "CREATE TABLE IF NOT EXISTS tandem_confirmed (client_id TEXT PRIMARY KEY NOT NULL,"
        + " last_mutation_id INTEGER NOT NULL) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS tandem_undo (key TEXT PRIMARY KEY NOT NULL, prior TEXT)"
        + " WITHOUT ROWID",
  };

  private StoreTables() {}

  /**
   * Creates the tables of a new database, or checks that an existing one is one Tandem knows and
   * upgrades it in place: a store of version 1 gains {@code tandem_pending.schema_version}, filled
   * with {@code schemaVersion} (the version opening it; version 1 did not record one).
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
      db.execute("PRAGMA user_version = " + VERSION);
      db.commit();
    } catch (RuntimeException e) {
      db.rollback();
      throw e;
    }
  }
}
