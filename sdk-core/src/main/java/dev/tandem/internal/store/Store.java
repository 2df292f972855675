package dev.tandem.internal.store;

import dev.tandem.protocol.Cookie;
import dev.tandem.protocol.RawJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tandem's tables in the local database and the statements over them. The SQL stays within what
 * Android API 21's SQLite (3.8) understands: no UPSERT, no window functions. The store does no
 * locking: writes go through {@link SqlDriver#writer()} under the engine's write lock, reads
 * through a reader connection.
 *
 * <ul>
 *   <li>{@code tandem_meta}: clientID, clientGroupID, profileID, cookie, a disabled reason.
 *   <li>{@code tandem_kv}: the client view with optimistic changes applied, keys in UTF-8 order.
 *   <li>{@code tandem_pending}: mutations not yet confirmed, in the order they were made.
 *   <li>{@code tandem_confirmed}: the last mutation ID the server confirmed, per client of the
 *       group.
 *   <li>{@code tandem_undo}: each key's value before the first pending mutation changed it, so a
 *       rebase reverts exactly what pending mutations touched (NULL: the key did not exist).
 * </ul>
 */
public final class Store {
  static final int SCHEMA_VERSION = 1;

  static final String[] SCHEMA = {
    "CREATE TABLE IF NOT EXISTS tandem_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT)"
        + " WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS tandem_kv (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)"
        + " WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS tandem_pending (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
        + " client_id TEXT NOT NULL, id INTEGER NOT NULL,"
        + " name TEXT NOT NULL, args TEXT NOT NULL, timestamp REAL NOT NULL,"
        + " UNIQUE (client_id, id))",
    "CREATE TABLE IF NOT EXISTS tandem_confirmed (client_id TEXT PRIMARY KEY NOT NULL,"
        + " last_mutation_id INTEGER NOT NULL) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS tandem_undo (key TEXT PRIMARY KEY NOT NULL, prior TEXT)"
        + " WITHOUT ROWID",
  };

  public static final String CLIENT_ID = "clientID";
  public static final String CLIENT_GROUP_ID = "clientGroupID";
  public static final String PROFILE_ID = "profileID";
  public static final String COOKIE = "cookie";
  public static final String DISABLED = "disabled";

  private final SqlDriver driver;

  public Store(SqlDriver driver) {
    this.driver = driver;
  }

  public SqlDriver driver() {
    return driver;
  }

  public SqlConnection writer() {
    return driver.writer();
  }

  /** Creates the tables of a new database, or checks that an existing one is one Tandem knows. */
  public void migrate() {
    SqlConnection db = driver.writer();
    db.begin();
    try {
      long version;
      try (SqlCursor cursor = db.query("PRAGMA user_version")) {
        cursor.next();
        version = cursor.getLong(0);
      }
      if (version > SCHEMA_VERSION) {
        throw new IllegalStateException(
            "this database was written by a newer Tandem (store version "
                + version
                + "); this one reads up to "
                + SCHEMA_VERSION);
      }
      for (String sql : SCHEMA) db.execute(sql);
      db.execute("PRAGMA user_version = " + SCHEMA_VERSION);
      db.commit();
    } catch (RuntimeException e) {
      db.rollback();
      throw e;
    }
  }

  // --- meta ---

  public static String meta(SqlConnection db, String key) {
    try (SqlCursor cursor = db.query("SELECT value FROM tandem_meta WHERE key = ?", key)) {
      return cursor.next() ? cursor.getString(0) : null;
    }
  }

  public static void setMeta(SqlConnection db, String key, String value) {
    db.execute("INSERT OR REPLACE INTO tandem_meta (key, value) VALUES (?, ?)", key, value);
  }

  public static Cookie cookie(SqlConnection db) {
    String json = meta(db, COOKIE);
    return json == null ? Cookie.NULL : Cookie.parse(json);
  }

  // --- kv ---

  /** The value's JSON text, or null. */
  public static String get(SqlConnection db, String key) {
    try (SqlCursor cursor = db.query("SELECT value FROM tandem_kv WHERE key = ?", key)) {
      return cursor.next() ? cursor.getString(0) : null;
    }
  }

  public static void put(SqlConnection db, String key, String json) {
    db.execute("INSERT OR REPLACE INTO tandem_kv (key, value) VALUES (?, ?)", key, json);
  }

  /** Puts many {key, json} entries at once. */
  public static void putAll(SqlConnection db, List<String[]> entries) {
    List<Object[]> args = new ArrayList<>(entries.size());
    for (String[] entry : entries) args.add(new Object[] {entry[0], entry[1]});
    db.executeBatch("INSERT OR REPLACE INTO tandem_kv (key, value) VALUES (?, ?)", args);
  }

  /** True if some key in [from, to) is stored as a plain key. */
  public static boolean hasKeys(SqlConnection db, String from, String to) {
    try (SqlCursor cursor =
        to == null
            ? db.query("SELECT 1 FROM tandem_kv WHERE key >= ? LIMIT 1", from)
            : db.query("SELECT 1 FROM tandem_kv WHERE key >= ? AND key < ? LIMIT 1", from, to)) {
      return cursor.next();
    }
  }

  /** Deletes many keys at once. */
  public static void delAll(SqlConnection db, List<String> keys) {
    List<Object[]> args = new ArrayList<>(keys.size());
    for (String key : keys) args.add(new Object[] {key});
    db.executeBatch("DELETE FROM tandem_kv WHERE key = ?", args);
  }

  /** Deletes {@code key}; true if it existed. */
  public static boolean del(SqlConnection db, String key) {
    return db.execute("DELETE FROM tandem_kv WHERE key = ?", key) > 0;
  }

  public static void clear(SqlConnection db) {
    db.execute("DELETE FROM tandem_kv");
  }

  // --- undo log ---

  public static boolean hasUndo(SqlConnection db, String key) {
    try (SqlCursor cursor = db.query("SELECT 1 FROM tandem_undo WHERE key = ?", key)) {
      return cursor.next();
    }
  }

  /** Records {@code prior} (null: absent) as {@code key}'s value at the last snapshot. */
  public static void addUndo(SqlConnection db, String key, String prior) {
    db.execute("INSERT OR IGNORE INTO tandem_undo (key, prior) VALUES (?, ?)", key, prior);
  }

  /** {@link #addUndo} for a plain key, reading its prior value in the same statement. */
  public static void recordPlainUndo(SqlConnection db, String key) {
    db.execute(
        "INSERT OR IGNORE INTO tandem_undo (key, prior)"
            + " VALUES (?, (SELECT value FROM tandem_kv WHERE key = ?))",
        key,
        key);
  }

  /** Every undo entry: {key, prior value or null}. */
  public static List<String[]> undo(SqlConnection db) {
    List<String[]> undo = new ArrayList<>();
    try (SqlCursor cursor = db.query("SELECT key, prior FROM tandem_undo")) {
      while (cursor.next()) undo.add(new String[] {cursor.getString(0), cursor.getString(1)});
    }
    return undo;
  }

  public static void clearUndo(SqlConnection db) {
    db.execute("DELETE FROM tandem_undo");
  }

  // --- pending mutations ---

  /** A mutation made here and not yet confirmed. */
  public static final class Pending {
    /** The position in the queue; 0 before it is stored. */
    public final long seq;

    public final String clientID;
    public final long id;
    public final String name;
    public final RawJson args;
    public final double timestamp;

    public Pending(
        long seq, String clientID, long id, String name, RawJson args, double timestamp) {
      this.seq = seq;
      this.clientID = clientID;
      this.id = id;
      this.name = name;
      this.args = args;
      this.timestamp = timestamp;
    }
  }

  public static void addPending(SqlConnection db, Pending pending) {
    db.execute(
        "INSERT INTO tandem_pending (client_id, id, name, args, timestamp) VALUES (?, ?, ?, ?, ?)",
        pending.clientID,
        pending.id,
        pending.name,
        pending.args.toString(),
        pending.timestamp);
  }

  /**
   * Pending mutations after position {@code afterSeq} (0 for all), in the order they were made, at
   * most {@code limit}.
   */
  public static List<Pending> pending(SqlConnection db, long afterSeq, int limit) {
    List<Pending> result = new ArrayList<>();
    try (SqlCursor cursor =
        db.query(
            "SELECT seq, client_id, id, name, args, timestamp FROM tandem_pending"
                + " WHERE seq > ? ORDER BY seq LIMIT ?",
            afterSeq,
            (long) limit)) {
      while (cursor.next()) {
        result.add(
            new Pending(
                cursor.getLong(0),
                cursor.getString(1),
                cursor.getLong(2),
                cursor.getString(3),
                RawJson.parse(cursor.getString(4)),
                cursor.getDouble(5)));
      }
    }
    return result;
  }

  public static long pendingCount(SqlConnection db) {
    try (SqlCursor cursor = db.query("SELECT COUNT(*) FROM tandem_pending")) {
      cursor.next();
      return cursor.getLong(0);
    }
  }

  /** The highest mutation ID {@code clientID} has used, pending or confirmed; 0 if none. */
  public static long lastMutationID(SqlConnection db, String clientID) {
    try (SqlCursor cursor =
        db.query(
            "SELECT MAX(m) FROM (SELECT MAX(id) AS m FROM tandem_pending WHERE client_id = ?"
                + " UNION ALL SELECT last_mutation_id FROM tandem_confirmed WHERE client_id = ?)",
            clientID,
            clientID)) {
      return cursor.next() && !cursor.isNull(0) ? cursor.getLong(0) : 0;
    }
  }

  /** Drops pending mutations the server has confirmed; returns how many. */
  public static int dropConfirmed(SqlConnection db, String clientID, long lastMutationID) {
    return db.execute(
        "DELETE FROM tandem_pending WHERE client_id = ? AND id <= ?", clientID, lastMutationID);
  }

  // --- confirmed last mutation IDs ---

  public static Map<String, Long> confirmed(SqlConnection db) {
    Map<String, Long> result = new LinkedHashMap<>();
    try (SqlCursor cursor = db.query("SELECT client_id, last_mutation_id FROM tandem_confirmed")) {
      while (cursor.next()) result.put(cursor.getString(0), cursor.getLong(1));
    }
    return result;
  }

  public static void setConfirmed(SqlConnection db, String clientID, long lastMutationID) {
    db.execute(
        "INSERT OR REPLACE INTO tandem_confirmed (client_id, last_mutation_id) VALUES (?, ?)",
        clientID,
        lastMutationID);
  }
}
