package dev.tandem.internal.store;

import dev.tandem.internal.db.SqlConnection;
import dev.tandem.internal.db.SqlCursor;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tandem_undo}: for each key a pending mutation changed, its value at the last confirmed
 * snapshot (NULL: absent), recorded the first time a mutation touches it. A rebase puts these back
 * before applying a pull, so its cost follows the keys pending mutations touched, not the size of
 * the database.
 */
final class UndoLog {
  private UndoLog() {}

  /**
   * Records {@code key}'s value (NULL: absent) as its snapshot value, unless recorded: for a plain
   * key, reading its prior value in the same statement.
   */
  static void addPlain(SqlConnection db, String key) {
    db.execute(
        "INSERT OR IGNORE INTO tandem_undo (key, prior)"
            + " VALUES (?, (SELECT value FROM tandem_kv WHERE key = ?))",
        key,
        key);
  }

  /**
   * {@link #addPlain} for a key of schema table {@code table} (its quoted SQL name), reading its
   * prior value in the same statement: the row's {@code _json}, else the plain key's value (a value
   * that did not fit the table), else NULL, as {@link ClientView#get} reads it.
   */
  static String addTypedSql(String table) {
    return "INSERT OR IGNORE INTO tandem_undo (key, prior) VALUES (?, COALESCE((SELECT \"_json\" FROM "
        + table
        + " WHERE \"_key\" = ?), (SELECT value FROM tandem_kv WHERE key = ?)))";
  }

  /**
   * The view an optimistic write of a plain key goes through: a temporary view of {@code tandem_kv}
   * on the writer connection whose {@code INSTEAD OF INSERT} trigger records the key's undo entry
   * (as {@link #addPlain}) and then stores the value (as {@code KvTable.put}), so both are one
   * statement from Java. Temporary objects live with the connection and are not part of the
   * database file: nothing to migrate, and a file written by another version reads the same.
   */
  static final String PUT_PLAIN_VIEW = "tandem_kv_put";

  /** Creates {@link #PUT_PLAIN_VIEW} on the writer connection {@code db}, if it has none. */
  static void install(SqlConnection db) {
    db.execute(
        "CREATE TEMP VIEW IF NOT EXISTS "
            + PUT_PLAIN_VIEW
            + " AS SELECT key, value FROM tandem_kv");
    // A TEMP trigger may write tables of the main database; their names stay unqualified.
    db.execute(
        "CREATE TEMP TRIGGER IF NOT EXISTS tandem_kv_put_undo INSTEAD OF INSERT ON "
            + PUT_PLAIN_VIEW
            + " BEGIN"
            + " INSERT OR IGNORE INTO tandem_undo (key, prior)"
            + " VALUES (NEW.key, (SELECT value FROM tandem_kv WHERE key = NEW.key));"
            + " INSERT OR REPLACE INTO tandem_kv (key, value) VALUES (NEW.key, NEW.value);"
            + " END");
  }

  /** {@link #addPlain} then {@code KvTable.put}, in one statement (see {@link #install}). */
  static void putPlain(SqlConnection db, String key, String json) {
    db.execute("INSERT INTO " + PUT_PLAIN_VIEW + " (key, value) VALUES (?, ?)", key, json);
  }

  /** Every entry: the key and its snapshot value (null json: absent). */
  static List<Entry> entries(SqlConnection db) {
    List<Entry> undo = new ArrayList<>();
    try (SqlCursor cursor = db.query("SELECT key, prior FROM tandem_undo")) {
      while (cursor.next()) undo.add(new Entry(cursor.getString(0), cursor.getString(1)));
    }
    return undo;
  }

  /** The keys pending mutations changed. */
  static java.util.Set<String> keys(SqlConnection db) {
    java.util.Set<String> keys = new java.util.HashSet<>();
    try (SqlCursor cursor = db.query("SELECT key FROM tandem_undo")) {
      while (cursor.next()) keys.add(cursor.getString(0));
    }
    return keys;
  }

  /** The entry of {@code key}, which must be in the log. */
  static Entry entry(SqlConnection db, String key) {
    try (SqlCursor cursor = db.query("SELECT prior FROM tandem_undo WHERE key = ?", key)) {
      if (!cursor.next()) throw new IllegalStateException("no undo entry for " + key);
      return new Entry(key, cursor.getString(0));
    }
  }

  static void remove(SqlConnection db, String key) {
    db.execute("DELETE FROM tandem_undo WHERE key = ?", key);
  }

  static void clear(SqlConnection db) {
    db.execute("DELETE FROM tandem_undo");
  }
}
