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
