package dev.tandem;

import dev.tandem.internal.live.KeySet;
import dev.tandem.internal.store.SqlConnection;
import dev.tandem.internal.store.SqlCursor;
import dev.tandem.internal.store.Store;
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
final class DataStore {
  private final Map<String, TableStore> byPrefix = new LinkedHashMap<>();
  private final Map<String, TableStore> byName = new LinkedHashMap<>();
  private final Schema schema;
  private final SchemaViolationListener violations;

  /** Violations seen by the current write transaction; guarded by the engine's write lock. */
  private final List<String[]> seen = new ArrayList<>();

  DataStore(Schema schema, JsonCodec codec, SchemaViolationListener violations) {
    this.schema = schema;
    this.violations = violations;
    if (schema != null) {
      for (Table table : schema.tables()) {
        TableStore store = new TableStore(table, codec);
        byPrefix.put(table.serverName(), store);
        byName.put(table.name(), store);
      }
    }
  }

  Schema schema() {
    return schema;
  }

  /** The store of table {@code name}. */
  TableStore table(String name) {
    TableStore store = byName.get(name);
    if (store == null) throw new IllegalArgumentException("no table '" + name + "' in the schema");
    return store;
  }

  /**
   * Creates the tables (and columns a newer schema added), and moves into them the synced rows that
   * were kept as plain keys or whose new columns need filling. In the caller's transaction.
   */
  void migrate(SqlConnection db) {
    for (TableStore store : byName.values()) {
      List<String> added = store.create(db, schema);
      List<String[]> rows = new ArrayList<>();
      String end = KeySet.prefixEnd(store.prefix);
      scanKv(db, store.prefix, false, end, Integer.MAX_VALUE, rows);
      if (!added.isEmpty()) store.scan(db, store.prefix, false, end, Integer.MAX_VALUE, rows);
      for (String[] row : rows) put(db, row[0], row[1]);
    }
  }

  private TableStore route(String key) {
    if (byPrefix.isEmpty()) return null;
    int slash = key.indexOf('/');
    return slash < 0 ? null : byPrefix.get(key.substring(0, slash));
  }

  String get(SqlConnection db, String key) {
    TableStore table = route(key);
    if (table != null) {
      String json = table.getJson(db, key);
      if (json != null) return json;
    }
    return Store.get(db, key);
  }

  void put(SqlConnection db, String key, String json) {
    TableStore table = route(key);
    if (table == null) {
      Store.put(db, key, json);
      return;
    }
    String problem = table.put(db, key, json);
    if (problem == null) {
      Store.del(db, key);
      return;
    }
    table.delete(db, key);
    Store.put(db, key, json);
    seen.add(new String[] {table.table.name(), key, json, problem});
  }

  /** Reports the violations of a committed transaction; call without holding the write lock. */
  void report(List<String[]> committed) {
    for (String[] violation : committed) {
      violations.violated(violation[0], violation[1], violation[2], violation[3]);
    }
  }

  /** Takes the violations of the transaction that just ended (under the write lock). */
  List<String[]> takeViolations() {
    if (seen.isEmpty()) return Collections.emptyList();
    List<String[]> taken = new ArrayList<>(seen);
    seen.clear();
    return taken;
  }

  /** Puts back every value pending mutations changed, as of the last snapshot; returns the keys. */
  List<String> revertOptimistic(SqlConnection db) {
    List<String[]> undo = Store.undo(db);
    List<String> keys = new ArrayList<>(undo.size());
    for (String[] entry : undo) {
      if (entry[1] == null) {
        del(db, entry[0]);
      } else {
        put(db, entry[0], entry[1]);
      }
      keys.add(entry[0]);
    }
    if (!undo.isEmpty()) Store.clearUndo(db);
    return keys;
  }

  /** Records {@code key}'s value before its first optimistic change since the last snapshot. */
  void recordUndo(SqlConnection db, String key) {
    if (route(key) == null) {
      Store.recordPlainUndo(db, key); // One statement when the key cannot be a table row.
    } else if (!Store.hasUndo(db, key)) {
      Store.addUndo(db, key, get(db, key));
    }
  }

  /**
   * Puts many {key, json} entries at once, in batches per target table: what a pull's patch does
   * between deletes. Same effect as {@link #put} for each, in order (keys are distinct or the later
   * wins, as with REPLACE).
   */
  void putAll(SqlConnection db, List<String[]> entries) {
    List<String[]> plain = new ArrayList<>();
    Map<TableStore, List<Object[]>> rows = new LinkedHashMap<>();
    Map<TableStore, List<String>> rowKeys = new LinkedHashMap<>();
    for (String[] entry : entries) {
      TableStore table = route(entry[0]);
      if (table == null) {
        plain.add(entry);
        continue;
      }
      Object[] args = table.newArgs();
      String problem = table.bind(entry[0], entry[1], args);
      if (problem != null) {
        table.delete(db, entry[0]);
        plain.add(entry);
        seen.add(new String[] {table.table.name(), entry[0], entry[1], problem});
        continue;
      }
      List<Object[]> list = rows.get(table);
      if (list == null) {
        rows.put(table, list = new ArrayList<>());
        rowKeys.put(table, new ArrayList<String>());
      }
      list.add(args);
      rowKeys.get(table).add(entry[0]);
    }
    for (Map.Entry<TableStore, List<Object[]>> table : rows.entrySet()) {
      TableStore store = table.getKey();
      if (Store.hasKeys(db, store.prefix, KeySet.prefixEnd(store.prefix))) {
        Store.delAll(db, rowKeys.get(store)); // Earlier values that did not fit, now replaced.
      }
      store.putAll(db, table.getValue());
    }
    Store.putAll(db, plain);
  }

  /** True if the key existed. */
  boolean del(SqlConnection db, String key) {
    TableStore table = route(key);
    boolean existed = table != null && table.delete(db, key);
    return Store.del(db, key) || existed;
  }

  void clear(SqlConnection db) {
    Store.clear(db);
    for (TableStore table : byName.values()) table.clear(db);
  }

  /** Entries with keys in [from, to) in UTF-8 order, at most {@code limit}. */
  List<String[]> scan(SqlConnection db, String from, boolean exclusive, String to, int limit) {
    List<String[]> entries = new ArrayList<>();
    scanKv(db, from, exclusive, to, limit, entries);
    boolean merged = false;
    for (TableStore table : byName.values()) {
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
      Collections.sort(entries, (a, b) -> KeyOrder.compare(a[0], b[0]));
      if (entries.size() > limit) entries = new ArrayList<>(entries.subList(0, limit));
    }
    return entries;
  }

  private static void scanKv(
      SqlConnection db, String from, boolean exclusive, String to, int limit, List<String[]> out) {
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
      while (cursor.next()) out.add(new String[] {cursor.getString(0), cursor.getString(1)});
    }
  }
}
