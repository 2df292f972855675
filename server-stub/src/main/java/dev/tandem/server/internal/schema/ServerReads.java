package dev.tandem.server.internal.schema;

import dev.tandem.KeyValue;
import dev.tandem.ScanOptions;
import dev.tandem.internal.app.ApiAccess;
import dev.tandem.internal.app.JsonCodec;
import dev.tandem.server.MutationContext;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A mutation's key reads on the server ({@code get}, {@code has}, {@code isEmpty}, {@code scan}):
 * rows of the schema tables by key, and {@code tandem_kv}, through its {@link ReadFilter}.
 */
final class ServerReads {
  private static final ApiAccess API = ApiAccess.get();

  private final SchemaStorage storage;
  private final MutationContext context;
  private final JsonCodec codec;
  private final ReadFilter filter;

  ServerReads(SchemaStorage storage, MutationContext context, JsonCodec codec, ReadFilter filter) {
    this.storage = storage;
    this.context = context;
    this.codec = codec;
    this.filter = filter;
  }

  String getJson(String key) {
    if (key == null) throw new NullPointerException("key == null");
    try {
      ServerTable table = storage.tableOf(key);
      if (table == null) return filter.filtered() ? null : kvGet(key);
      Object[] keyValues = table.parseKey(key);
      if (keyValues == null) return null;
      try (ResultSet rows = selectVisible(table, keyValues).executeQuery()) {
        if (!rows.next() || rows.getBoolean(table.table.columns().size() + 1)) return null;
        return table.json(rows, 1);
      }
    } catch (SQLException e) {
      throw new ServerWriteTransaction.StorageException(e);
    }
  }

  /** The statement reading the row {@code keyValues} names, if this transaction may read it. */
  private PreparedStatement selectVisible(ServerTable table, Object[] keyValues)
      throws SQLException {
    List<Object> args = new ArrayList<>();
    if (!filter.lacked(table).isEmpty()) {
      List<Object> sourceArgs = new ArrayList<>();
      String source = filter.source(table, "r", sourceArgs);
      String visible = filter.visible(table, "r", args);
      PreparedStatement select =
          storage.statement(
              context,
              "SELECT "
                  + table.selectList("r.")
                  + " FROM "
                  + source
                  + " WHERE "
                  + table.keyMatch("r.")
                  + " AND "
                  + visible);
      GrantSql.bind(select, 1, sourceArgs);
      int next = table.setKey(select, 1 + sourceArgs.size(), keyValues);
      GrantSql.bind(select, next, args);
      return select;
    }
    String visible = filter.visible(table, table.sqlName, args);
    PreparedStatement select =
        storage.statement(
            context, visible == null ? table.selectByKey : table.selectByKey + " AND " + visible);
    int next = table.setKey(select, 1, keyValues);
    GrantSql.bind(select, next, args);
    return select;
  }

  /** The live row {@code keyValues} names by JSON field, if this transaction may read it. */
  Map<String, Object> visibleRow(ServerTable table, Object[] keyValues) throws SQLException {
    try (ResultSet rows = selectVisible(table, keyValues).executeQuery()) {
      if (!rows.next() || rows.getBoolean(table.table.columns().size() + 1)) return null;
      return table.readFields(rows, 1, codec);
    }
  }

  private String kvGet(String key) throws SQLException {
    PreparedStatement select =
        storage.statement(
            context, "SELECT value FROM " + SchemaStorage.KV + " WHERE key = ? AND deleted = ?");
    select.setString(1, key);
    select.setBoolean(2, false);
    try (ResultSet rows = select.executeQuery()) {
      return rows.next() ? rows.getString(1) : null;
    }
  }

  boolean isEmpty() {
    try {
      for (ServerTable table : storage.tables()) {
        List<Object> args = new ArrayList<>();
        String visible = filter.visible(table, table.sqlName, args);
        String sql =
            visible == null
                ? table.anyLive
                : "SELECT 1 FROM "
                    + table.sqlName
                    + " WHERE "
                    + ServerTable.DELETED
                    + " = ? AND "
                    + visible
                    + " LIMIT 1";
        if (exists(sql, args)) return false;
      }
      return filter.filtered()
          || !exists("SELECT 1 FROM " + SchemaStorage.KV + " WHERE deleted = ? LIMIT 1", List.of());
    } catch (SQLException e) {
      throw new ServerWriteTransaction.StorageException(e);
    }
  }

  private boolean exists(String sql, List<Object> args) throws SQLException {
    PreparedStatement statement = storage.statement(context, sql);
    statement.setBoolean(1, false);
    GrantSql.bind(statement, 2, args);
    try (ResultSet rows = statement.executeQuery()) {
      return rows.next();
    }
  }

  /**
   * Entries in UTF-8 order of their keys. {@code tandem_kv} is read in key order up to the limit; a
   * schema table under the prefix is read whole (its rows' keys are not a column), so prefer {@code
   * query} for tables.
   */
  List<KeyValue> scan(ScanOptions options) {
    String prefix = options.prefix();
    String start =
        options.start() != null && options.start().compareTo(prefix) > 0 ? options.start() : prefix;
    boolean exclusive =
        options.start() != null && start.equals(options.start()) && options.startExclusive();
    List<String[]> entries = new ArrayList<>();
    try {
      if (!filter.filtered()) scanKv(prefix, start, exclusive, options.limit(), entries);
      for (ServerTable table : storage.tables()) {
        if (!table.prefix.startsWith(prefix) && !prefix.startsWith(table.prefix)) continue;
        List<Object> sourceArgs = new ArrayList<>();
        boolean hiding = !filter.lacked(table).isEmpty();
        String from = hiding ? filter.source(table, "r", sourceArgs) : table.sqlName;
        String alias = hiding ? "r" : table.sqlName;
        List<Object> args = new ArrayList<>();
        String visible = filter.visible(table, alias, args);
        PreparedStatement all =
            storage.statement(
                context,
                "SELECT "
                    + table.selectList(hiding ? "r." : "")
                    + " FROM "
                    + from
                    + " WHERE "
                    + (hiding ? "r." : "")
                    + ServerTable.DELETED
                    + " = ?"
                    + (visible == null ? "" : " AND " + visible));
        GrantSql.bind(all, 1, sourceArgs);
        all.setBoolean(1 + sourceArgs.size(), false);
        GrantSql.bind(all, 2 + sourceArgs.size(), args);
        try (ResultSet rows = all.executeQuery()) {
          while (rows.next()) {
            String key = table.keyAt(rows, 1);
            int order = compareUtf8(key, start);
            if (!key.startsWith(prefix) || order < 0 || (exclusive && order == 0)) continue;
            entries.add(new String[] {key, table.json(rows, 1)});
          }
        }
      }
    } catch (SQLException e) {
      throw new ServerWriteTransaction.StorageException(e);
    }
    entries.sort(Comparator.comparing((String[] entry) -> entry[0], ServerReads::compareUtf8));
    List<KeyValue> result = new ArrayList<>();
    for (String[] entry : entries) {
      if (result.size() >= options.limit()) break;
      result.add(API.keyValue(entry[0], entry[1], codec));
    }
    return result;
  }

  /** The {@code tandem_kv} entries of a scan, in key order up to {@code limit}. */
  private void scanKv(
      String prefix, String start, boolean exclusive, int limit, List<String[]> entries)
      throws SQLException {
    PreparedStatement kv =
        storage.statement(
            context,
            "SELECT key, value FROM "
                + SchemaStorage.KV
                + " WHERE key >= ? AND deleted = ? ORDER BY "
                + storage.kvOrder);
    kv.setString(1, start);
    kv.setBoolean(2, false);
    try (ResultSet rows = kv.executeQuery()) {
      int count = 0;
      while (rows.next() && count < limit) {
        String key = rows.getString(1);
        if (!key.startsWith(prefix)) break;
        if (exclusive && key.equals(start)) continue;
        entries.add(new String[] {key, rows.getString(2)});
        count++;
      }
    }
  }

  static int compareUtf8(String a, String b) {
    byte[] x = a.getBytes(StandardCharsets.UTF_8);
    byte[] y = b.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      int order = (x[i] & 0xff) - (y[i] & 0xff);
      if (order != 0) return order;
    }
    return x.length - y.length;
  }
}
