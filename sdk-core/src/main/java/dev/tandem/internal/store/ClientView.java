package dev.tandem.internal.store;

import dev.tandem.Column;
import dev.tandem.Schema;
import dev.tandem.SchemaViolationListener;
import dev.tandem.Table;
import dev.tandem.internal.app.JsonCodec;
import dev.tandem.internal.db.SqlConnection;
import dev.tandem.internal.db.SqlCursor;
import dev.tandem.protocol.KeyOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client view's storage: a key whose prefix names a schema table ({@code message/m1}) lives as
 * a typed row of that table; any other key, or a value that does not fit its table's schema (which
 * is reported to the {@link SchemaViolationListener} and kept), lives in {@code tandem_kv}. Reads
 * and scans see one key space in UTF-8 order either way. Immutable; stateless over the connection.
 */
public final class ClientView {
  private static final int REFILL_CHUNK = 1024;

  private final Map<String, TypedTable> byPrefix = new LinkedHashMap<>();
  private final Map<String, TypedTable> byName = new LinkedHashMap<>();
  private final Schema schema;
  private final SchemaViolationListener violations;

  /** Violations seen by the current write transaction; guarded by the engine's write lock. */
  private final List<Violation> seen = new ArrayList<>();

  public ClientView(Schema schema, JsonCodec codec, SchemaViolationListener violations) {
    this.schema = schema;
    this.violations = violations;
    if (schema != null) {
      for (Table table : schema.tables()) {
        TypedTable store = new TypedTable(table, codec);
        byPrefix.put(table.serverName(), store);
        byName.put(table.name(), store);
      }
    }
  }

  public Schema schema() {
    return schema;
  }

  /** The store of table {@code name}. */
  public TypedTable table(String name) {
    TypedTable store = byName.get(name);
    if (store == null) throw new IllegalArgumentException("no table '" + name + "' in the schema");
    return store;
  }

  /**
   * Creates the tables (and columns a newer schema added), and moves into them the synced rows that
   * were kept as plain keys or whose new columns need filling. In the caller's transaction. A
   * column is filled from each row's {@code _json} if {@code stored} (the schema the rows were
   * stored under; null if unknown) lacks it, or if the SQLite table lacked it: a column removed in
   * one version and added back in a later one holds stale values, and is filled again too.
   */
  public void migrate(SqlConnection db, Schema stored) {
    for (TypedTable store : byName.values()) {
      List<String> added = store.create(db, schema);
      List<String> refill = new ArrayList<>(added);
      Table before = stored == null ? null : stored.table(store.table.name());
      if (before != null) {
        for (Column column : store.table.columns()) {
          if (before.column(column.name()) == null && !refill.contains(column.name())) {
            refill.add(column.name());
          }
        }
      }
      String end = KeySet.prefixEnd(store.prefix);
      List<Entry> plain = new ArrayList<>();
      KvTable.scan(db, store.prefix, false, end, Integer.MAX_VALUE, plain);
      for (Entry row : plain) put(db, row.key, row.json);
      if (!refill.isEmpty()) refill(db, store, end, refill, added.size() == refill.size());
    }
  }

  /**
   * Fills {@code columns} of every row of {@code store} from its {@code _json}, a chunk at a time,
   * writing only those columns (no index the other columns are in changes). A row that no longer
   * fits (a new required column it lacks) moves to the key/value table, reported. With {@code
   * wereNull} (the columns were just added, so hold NULL) a row with none of the fields is skipped.
   */
  private void refill(
      SqlConnection db, TypedTable store, String end, List<String> columns, boolean wereNull) {
    String update = store.updateColumns(columns);
    int[] positions = store.argPositions(columns);
    String after = store.prefix;
    boolean exclusive = false;
    List<Entry> rows = new ArrayList<>();
    List<Object[]> updates = new ArrayList<>();
    Object[] args = store.newArgs();
    while (true) {
      rows.clear();
      updates.clear();
      store.scan(db, after, exclusive, end, REFILL_CHUNK, rows);
      if (rows.isEmpty()) return;
      for (Entry row : rows) {
        if (store.bind(row.key, row.json, args) != null) {
          put(db, row.key, row.json); // Moves it to tandem_kv and reports why.
          continue;
        }
        Object[] values = new Object[positions.length + 1];
        boolean any = false;
        for (int i = 0; i < positions.length; i++) {
          values[i] = args[positions[i]];
          any |= values[i] != null;
        }
        if (!any && wereNull) continue;
        values[positions.length] = row.key;
        updates.add(values);
      }
      if (!updates.isEmpty()) db.executeBatch(update, updates);
      after = rows.get(rows.size() - 1).key;
      exclusive = true;
    }
  }

  private TypedTable route(String key) {
    if (byPrefix.isEmpty()) return null;
    int slash = key.indexOf('/');
    return slash < 0 ? null : byPrefix.get(key.substring(0, slash));
  }

  /** Whether {@code key} is a plain key (no schema table's): its value is stored as written. */
  public boolean isPlain(String key) {
    return route(key) == null;
  }

  public String get(SqlConnection db, String key) {
    TypedTable table = route(key);
    if (table != null) {
      String json = table.getJson(db, key);
      if (json != null) return json;
    }
    return KvTable.get(db, key);
  }

  public void put(SqlConnection db, String key, String json) {
    TypedTable table = route(key);
    if (table == null) {
      KvTable.put(db, key, json);
      return;
    }
    String problem = table.put(db, key, json);
    if (problem == null) {
      KvTable.del(db, key);
      return;
    }
    table.delete(db, key);
    KvTable.put(db, key, json);
    seen.add(new Violation(table.table.name(), key, json, problem));
  }

  /** {@link #put} of a row {@link TypedTable#prepare} made: it fits its table. */
  void put(SqlConnection db, TableRow row) {
    row.table.put(db, row);
    KvTable.del(db, row.key); // An earlier value that did not fit, now replaced.
  }

  /**
   * Puts {@code row} only if its key is absent (not a row of its table, not in {@code tandem_kv}):
   * true if it was (and is now put); false, with nothing written, if it is stored.
   */
  boolean insertIfAbsent(SqlConnection db, TableRow row) {
    return row.table.insertIfAbsent(db, row);
  }

  /**
   * Puts {@code key}, a plain key (no schema table's), only if it is absent: true if it was (and is
   * now put); false, with nothing written, if it is a schema table's key or is stored.
   */
  boolean putIfAbsentPlain(SqlConnection db, String key, String json) {
    return route(key) == null && KvTable.insertIfAbsent(db, key, json);
  }

  /** Reports the violations of a committed transaction; call without holding the write lock. */
  void report(List<Violation> committed) {
    for (Violation violation : committed) violation.reportTo(violations);
  }

  /** Takes the violations of the transaction that just ended (under the write lock). */
  List<Violation> takeViolations() {
    if (seen.isEmpty()) return Collections.emptyList();
    List<Violation> taken = new ArrayList<>(seen);
    seen.clear();
    return taken;
  }

  /** The keys pending mutations changed since the last snapshot (the undo log's keys). */
  public java.util.Set<String> optimisticKeys(SqlConnection db) {
    return UndoLog.keys(db);
  }

  /**
   * Reverts optimistic changes after a pull's patch was written: each key of {@code optimistic}
   * (the undo log's keys, read before the patch) gets its snapshot value back, except keys the
   * patch wrote ({@code patched}; all of them if it {@code cleared}), whose new snapshot value is
   * already there, and keys in {@code kept} (null: none), whose optimistic value and undo entry
   * stay. With {@code kept}, the entries of the keys reverted are read from {@code tandem_undo} and
   * the queue records up to position {@code upToSeq} (the mutations this pull confirmed, which the
   * caller drops next: no remaining mutation changed a key that is not kept). Returns the keys
   * whose entries were dropped.
   */
  public List<String> revertAfterPatch(
      SqlConnection db,
      java.util.Set<String> optimistic,
      java.util.Set<String> patched,
      boolean cleared,
      KeySet kept,
      long upToSeq) {
    List<String> keys = new ArrayList<>();
    if (kept == null) {
      for (Map.Entry<String, String> entry : UndoLog.entries(db, Long.MAX_VALUE).entrySet()) {
        if (!cleared && !patched.contains(entry.getKey())) {
          restore(db, entry.getKey(), entry.getValue());
        }
        keys.add(entry.getKey());
      }
      if (!keys.isEmpty()) UndoLog.clear(db);
      return keys;
    }
    Map<String, String> entries = null;
    // New mutations keep their entries in their queue records: often tandem_undo has none.
    boolean inTable = UndoLog.hasTableEntries(db);
    for (String key : optimistic) {
      if (kept.contains(key)) continue;
      if (!cleared && !patched.contains(key)) {
        if (entries == null) entries = UndoLog.entries(db, upToSeq);
        if (!entries.containsKey(key)) throw new IllegalStateException("no undo entry for " + key);
        restore(db, key, entries.get(key));
      }
      if (inTable) UndoLog.remove(db, key);
      keys.add(key);
    }
    return keys;
  }

  private void restore(SqlConnection db, String key, String json) {
    if (json == null) {
      del(db, key);
    } else {
      put(db, key, json);
    }
  }

  /**
   * Records {@code key}'s value before its first optimistic change since the last snapshot in
   * {@code tandem_undo} (a replay's write), unless recorded.
   */
  public void recordUndo(SqlConnection db, String key) {
    TypedTable table = route(key);
    if (table == null) {
      UndoLog.addPlain(db, key); // One statement when the key cannot be a table row.
    } else {
      db.execute(table.recordUndo, key, key, key); // Its row's JSON, else its plain value.
    }
  }

  /**
   * For a new mutation's undo entry, kept in its queue record: {@code key}'s entry (its value now,
   * null json if absent), or null if {@code tandem_undo} has one already. One statement.
   */
  Entry undoEntry(SqlConnection db, String key) {
    TypedTable table = route(key);
    try (SqlCursor cursor =
        table == null
            ? db.query(UndoLog.PRIOR_PLAIN, key, key)
            : db.query(table.priorForUndo, key, key, key)) {
      cursor.next();
      if (cursor.getLong(0) != 0) return null;
      return new Entry(key, cursor.isNull(1) ? null : cursor.getString(1));
    }
  }

  /**
   * Puts many entries at once, in batches per target table: what a pull's patch does between
   * deletes. Same effect as {@link #put} for each, in order (keys are distinct or the later wins,
   * as with REPLACE).
   */
  public void putAll(SqlConnection db, List<Entry> entries) {
    List<Entry> plain = new ArrayList<>();
    Map<TypedTable, List<Object[]>> rows = new LinkedHashMap<>();
    Map<TypedTable, List<String>> rowKeys = new LinkedHashMap<>();
    for (Entry entry : entries) {
      TypedTable table = route(entry.key);
      if (table == null) {
        plain.add(entry);
        continue;
      }
      Object[] args = table.newArgs();
      String problem = table.bind(entry.key, entry.json, args);
      if (problem != null) {
        table.delete(db, entry.key);
        plain.add(entry);
        seen.add(new Violation(table.table.name(), entry.key, entry.json, problem));
        continue;
      }
      List<Object[]> list = rows.get(table);
      if (list == null) {
        rows.put(table, list = new ArrayList<>());
        rowKeys.put(table, new ArrayList<String>());
      }
      list.add(args);
      rowKeys.get(table).add(entry.key);
    }
    for (Map.Entry<TypedTable, List<Object[]>> table : rows.entrySet()) {
      TypedTable store = table.getKey();
      if (KvTable.hasKeys(db, store.prefix, KeySet.prefixEnd(store.prefix))) {
        KvTable.delAll(db, rowKeys.get(store)); // Earlier values that did not fit, now replaced.
      }
      store.putAll(db, table.getValue());
    }
    KvTable.putAll(db, plain);
  }

  /** True if the key existed. */
  public boolean del(SqlConnection db, String key) {
    TypedTable table = route(key);
    boolean existed = table != null && table.delete(db, key);
    return KvTable.del(db, key) || existed;
  }

  /**
   * Drops every schema table (whatever schema version made it: each {@code t_…} table) and empties
   * {@code tandem_kv} and the undo log: the local copy is gone, pending mutations stay.
   */
  void dropSyncedData(SqlConnection db) {
    List<String> tables = new ArrayList<>();
    try (SqlCursor cursor =
        db.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 't\\_%' ESCAPE '\\'")) {
      while (cursor.next()) tables.add(cursor.getString(0));
    }
    for (String table : tables) db.execute("DROP TABLE " + TypedTable.quote(table));
    KvTable.clear(db);
    UndoLog.clear(db);
  }

  public void clear(SqlConnection db) {
    KvTable.clear(db);
    for (TypedTable table : byName.values()) table.clear(db);
  }

  /** Entries with keys in [from, to) in UTF-8 order, at most {@code limit}. */
  public List<Entry> scan(SqlConnection db, String from, boolean exclusive, String to, int limit) {
    List<Entry> entries = new ArrayList<>();
    KvTable.scan(db, from, exclusive, to, limit, entries);
    boolean merged = false;
    for (TypedTable table : byName.values()) {
      String tableEnd = KeySet.prefixEnd(table.prefix);
      boolean overlaps =
          (to == null || KeyOrder.compare(table.prefix, to) < 0)
              && KeyOrder.compare(from, tableEnd) < 0;
      if (overlaps) {
        table.scan(db, from, exclusive, to, limit, entries);
        merged = true;
      }
    }
    if (merged) {
      Collections.sort(entries, (a, b) -> KeyOrder.compare(a.key, b.key));
      if (entries.size() > limit) entries = new ArrayList<>(entries.subList(0, limit));
    }
    return entries;
  }
}
