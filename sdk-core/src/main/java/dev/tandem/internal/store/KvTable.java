package dev.tandem.internal.store;

import dev.tandem.internal.db.SqlConnection;
import dev.tandem.internal.db.SqlCursor;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tandem_kv}: synced keys that are not rows of a schema table (or whose values do not fit
 * it), {@code WITHOUT ROWID}, keys in UTF-8 byte order (SQLite's BINARY collation).
 */
final class KvTable {
  private KvTable() {}

  /** The value's JSON text, or null. */
  static String get(SqlConnection db, String key) {
    try (SqlCursor cursor = db.query("SELECT value FROM tandem_kv WHERE key = ?", key)) {
      return cursor.next() ? cursor.getString(0) : null;
    }
  }

  static void put(SqlConnection db, String key, String json) {
    db.execute("INSERT OR REPLACE INTO tandem_kv (key, value) VALUES (?, ?)", key, json);
  }

  /** Puts {@code key} only if it is not stored here; true if it was not (and is now). */
  static boolean insertIfAbsent(SqlConnection db, String key, String json) {
    return db.execute("INSERT OR IGNORE INTO tandem_kv (key, value) VALUES (?, ?)", key, json) == 1;
  }

  static void putAll(SqlConnection db, List<Entry> entries) {
    List<Object[]> args = new ArrayList<>(entries.size());
    for (Entry entry : entries) args.add(new Object[] {entry.key, entry.json});
    db.executeBatch("INSERT OR REPLACE INTO tandem_kv (key, value) VALUES (?, ?)", args);
  }

  /** True if some key in [from, to) is stored here. */
  static boolean hasKeys(SqlConnection db, String from, String to) {
    try (SqlCursor cursor =
        to == null
            ? db.query("SELECT 1 FROM tandem_kv WHERE key >= ? LIMIT 1", from)
            : db.query("SELECT 1 FROM tandem_kv WHERE key >= ? AND key < ? LIMIT 1", from, to)) {
      return cursor.next();
    }
  }

  static void delAll(SqlConnection db, List<String> keys) {
    List<Object[]> args = new ArrayList<>(keys.size());
    for (String key : keys) args.add(new Object[] {key});
    db.executeBatch("DELETE FROM tandem_kv WHERE key = ?", args);
  }

  /** Deletes {@code key}; true if it existed. */
  static boolean del(SqlConnection db, String key) {
    return db.execute("DELETE FROM tandem_kv WHERE key = ?", key) > 0;
  }

  static void clear(SqlConnection db) {
    db.execute("DELETE FROM tandem_kv");
  }

  /**
   * Entries with keys in [from, to) in UTF-8 order, at most {@code limit}, added to {@code out}.
   */
  static void scan(
      SqlConnection db, String from, boolean exclusive, String to, int limit, List<Entry> out) {
    StringBuilder sql = new StringBuilder("SELECT key, value FROM tandem_kv WHERE key ");
    sql.append(exclusive ? "> ?" : ">= ?");
    List<Object> args = new ArrayList<>();
    args.add(from);
    if (to != null) {
      sql.append(" AND key < ?");
      args.add(to);
    }
    sql.append(" ORDER BY key LIMIT ?");
    args.add((long) limit);
    try (SqlCursor cursor = db.query(sql.toString(), args.toArray())) {
      while (cursor.next()) out.add(new Entry(cursor.getString(0), cursor.getString(1)));
    }
  }
}
