package dev.tandem.internal.store;

import dev.tandem.internal.db.SqlConnection;
import dev.tandem.internal.db.SqlCursor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The undo log: for each key a pending mutation changed, its value at the last confirmed snapshot
 * (NULL: absent), so a rebase can revert it and its cost follows the keys pending mutations
 * touched, not the size of the database. It lives in two places:
 *
 * <ul>
 *   <li>{@code tandem_undo}: entries a rebase's replays recorded ({@link #addPlain}, {@link
 *       #addTypedSql}; the first time a replay touches the key).
 *   <li>{@code tandem_pending.undo}: entries a new mutation recorded, in its own queue record
 *       ({@link #encode}): the same b-tree page the commit writes anyway, so a {@code mutate}
 *       writes no page for its undo entries.
 * </ul>
 *
 * A key's entry is its {@code tandem_undo} row if it has one, else the first entry for it in queue
 * order: every {@code tandem_undo} row is older than every queue record's entry (a replay runs
 * after {@link #clear}, which empties both), and a key's first entry in queue order was recorded by
 * the first mutation that changed it. A later duplicate (recorded after a restart, which forgets
 * which keys are recorded) is never read.
 */
final class UndoLog {
  private UndoLog() {}

  /**
   * Records {@code key}'s value (NULL: absent) in {@code tandem_undo}, unless recorded: for a plain
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

  /** For a new mutation's entry: whether {@code tandem_undo} has the key, and its value now. */
  static final String PRIOR_PLAIN =
      "SELECT EXISTS (SELECT 1 FROM tandem_undo WHERE key = ?),"
          + " (SELECT value FROM tandem_kv WHERE key = ?)";

  /** {@link #PRIOR_PLAIN} for a key of schema table {@code table}, read as {@link #addTypedSql}. */
  static String priorTypedSql(String table) {
    return "SELECT EXISTS (SELECT 1 FROM tandem_undo WHERE key = ?), COALESCE((SELECT \"_json\" FROM "
        + table
        + " WHERE \"_key\" = ?), (SELECT value FROM tandem_kv WHERE key = ?))";
  }

  /**
   * A queue record's entries as its {@code undo} column holds them: per entry the key's length in
   * chars, {@code ':'}, the key, then {@code '-'} for an absent value or the value's length, {@code
   * ':'} and the value's JSON text. Null if there are none.
   */
  static String encode(List<Entry> entries) {
    if (entries == null || entries.isEmpty()) return null;
    StringBuilder out = new StringBuilder();
    for (Entry entry : entries) {
      out.append(entry.key.length()).append(':').append(entry.key);
      if (entry.json == null) {
        out.append('-');
      } else {
        out.append(entry.json.length()).append(':').append(entry.json);
      }
    }
    return out.toString();
  }

  /** The entries {@link #encode} wrote, in order, added to {@code into}. */
  static void decode(String text, List<Entry> into) {
    int i = 0;
    int end = text.length();
    try {
      while (i < end) {
        int colon = text.indexOf(':', i);
        int keyEnd = colon + 1 + Integer.parseInt(text.substring(i, colon));
        String key = text.substring(colon + 1, keyEnd);
        if (text.charAt(keyEnd) == '-') {
          into.add(new Entry(key, null));
          i = keyEnd + 1;
          continue;
        }
        colon = text.indexOf(':', keyEnd);
        int valueEnd = colon + 1 + Integer.parseInt(text.substring(keyEnd, colon));
        into.add(new Entry(key, text.substring(colon + 1, valueEnd)));
        i = valueEnd;
      }
    } catch (RuntimeException e) {
      throw new IllegalStateException("a pending mutation's undo entries are damaged: " + text, e);
    }
  }

  /**
   * Every entry in {@code tandem_undo} and in queue records up to position {@code upToSeq}, the
   * key's first one (see the class comment): its snapshot value, null if absent.
   */
  static Map<String, String> entries(SqlConnection db, long upToSeq) {
    Map<String, String> undo = new LinkedHashMap<>();
    try (SqlCursor cursor = db.query("SELECT key, prior FROM tandem_undo")) {
      while (cursor.next()) undo.put(cursor.getString(0), cursor.getString(1));
    }
    for (Entry entry : queued(db, upToSeq)) {
      if (!undo.containsKey(entry.key)) undo.put(entry.key, entry.json);
    }
    return undo;
  }

  /** The keys pending mutations changed. */
  static Set<String> keys(SqlConnection db) {
    Set<String> keys = new HashSet<>();
    try (SqlCursor cursor = db.query("SELECT key FROM tandem_undo")) {
      while (cursor.next()) keys.add(cursor.getString(0));
    }
    for (Entry entry : queued(db, Long.MAX_VALUE)) keys.add(entry.key);
    return keys;
  }

  /** The entries in queue records up to position {@code upToSeq}, in queue order. */
  private static List<Entry> queued(SqlConnection db, long upToSeq) {
    List<Entry> entries = new ArrayList<>();
    try (SqlCursor cursor =
        db.query(
            "SELECT undo FROM tandem_pending WHERE seq <= ? AND undo IS NOT NULL ORDER BY seq",
            upToSeq)) {
      while (cursor.next()) decode(cursor.getString(0), entries);
    }
    return entries;
  }

  /** Whether {@code tandem_undo} has any entry. */
  static boolean hasTableEntries(SqlConnection db) {
    try (SqlCursor cursor = db.query("SELECT EXISTS (SELECT 1 FROM tandem_undo)")) {
      return cursor.next() && cursor.getLong(0) != 0;
    }
  }

  /**
   * Removes {@code key}'s entry from {@code tandem_undo}. A queue record's entry of it goes with
   * its mutation: the caller reverts only keys no remaining mutation changed.
   */
  static void remove(SqlConnection db, String key) {
    db.execute("DELETE FROM tandem_undo WHERE key = ?", key);
  }

  /** Empties the log: {@code tandem_undo} and every queue record's entries. */
  static void clear(SqlConnection db) {
    db.execute("DELETE FROM tandem_undo");
    db.execute("UPDATE tandem_pending SET undo = NULL WHERE undo IS NOT NULL");
  }
}
