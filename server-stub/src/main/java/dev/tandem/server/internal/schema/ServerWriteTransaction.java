package dev.tandem.server.internal.schema;

import dev.tandem.Column;
import dev.tandem.KeyValue;
import dev.tandem.Query;
import dev.tandem.Row;
import dev.tandem.ScanOptions;
import dev.tandem.TableWriter;
import dev.tandem.WriteTransaction;
import dev.tandem.internal.app.ApiAccess;
import dev.tandem.internal.app.JsonCodec;
import dev.tandem.server.MutationContext;
import dev.tandem.server.ServerTransaction;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A shared mutator's transaction on the server ({@link Reason#AUTHORITATIVE}): reads and writes go
 * to the real tables of the push transaction, through {@link MutationContext#statement}. Keys under
 * a schema table's prefix are rows of that table (validated against the schema; a value that does
 * not fit fails the mutation); other keys live in {@code tandem_kv}. Writes are stamped with the
 * push's version; deletes are soft; reads skip deleted rows. Valid only while the mutator runs.
 *
 * <p>With permissions, reads ({@code get}, {@code has}, {@code isEmpty}, {@code scan}, {@code
 * query} and its relationships) see only the rows the mutation's user may read, decided in SQL on
 * the push's connection as the mutation runs, plus the rows this push wrote (they carry its
 * version): what the mutator sees on its user's client, which holds the readable rows and its own
 * pending writes. Keys outside the tables read as absent (no one pulls them). Columns the push's
 * schema version lacks read as null on this push's rows the user may not read ({@link #source}).
 * {@link #unfiltered} is the way out for serverMutator overrides.
 */
public final class ServerWriteTransaction implements ServerTransaction {
  private static final ApiAccess API = ApiAccess.get();

  private final SchemaStorage storage;
  private final JsonCodec codec;
  private final MutationContext context;
  private final long mutationID;

  /** The mutator is a serverMutator override (server only): it may read unfiltered. */
  private final boolean override;

  /** The user's select grants filter reads (an app with permissions, not {@link #unfiltered}). */
  private final boolean filtered;

  /** The transaction the mutator was given: it holds the first refusal. */
  private final ServerWriteTransaction root;

  private RuntimeException denied;

  /**
   * The transaction of the mutation {@code mutationID}; {@code override}: its mutator is a
   * serverMutator override, which may call {@link #unfiltered}.
   */
  public ServerWriteTransaction(
      SchemaStorage storage, MutationContext context, long mutationID, boolean override) {
    this.storage = storage;
    this.codec = storage.codec();
    this.context = context;
    this.mutationID = mutationID;
    this.override = override;
    this.filtered = storage.access() != null;
    this.root = this;
  }

  private ServerWriteTransaction(ServerWriteTransaction root) {
    this.storage = root.storage;
    this.codec = root.codec;
    this.context = root.context;
    this.mutationID = root.mutationID;
    this.override = true;
    this.filtered = false;
    this.root = root;
  }

  @Override
  public WriteTransaction unfiltered() {
    if (!override) {
      throw new IllegalStateException(
          "unfiltered() is for serverMutator overrides: a shared mutator runs on the client too,"
              + " which holds only the rows its user may read");
    }
    return filtered ? new ServerWriteTransaction(root) : this;
  }

  /**
   * The SQL condition under which this transaction reads {@code alias}'s row of {@code table} (its
   * values added to {@code args}): the user may read it, or this push wrote it; null when reads are
   * not filtered.
   */
  String visible(ServerTable table, String alias, List<Object> args) {
    if (!filtered) return null;
    args.add(context.version());
    String readable = storage.access().readable(table, alias, context.userID(), args);
    return "(" + alias + "." + ServerTable.VERSION + " = ? OR " + readable + ")";
  }

  /**
   * The FROM item reading {@code table} as {@code alias} (a plain name; its values added to {@code
   * args}): the table, or, when the push's schema version lacks some of its columns, the table with
   * those columns null on the rows this push wrote that its user may not read. The client holds
   * such a row as it wrote it, without them: after an old client's upsert over a row its user may
   * not read, the columns it does not know keep their stored values (the push writes only its
   * version's columns), which the mutation must not see, by key, in a condition or in an order.
   * Rows the user may read, and rows of an earlier push, are unchanged; so is whether a row is
   * visible ({@link #visible}: the hidden rows are this push's).
   */
  String source(ServerTable table, String alias, List<Object> args) {
    List<Column> lacked = lacked(table);
    if (lacked.isEmpty()) return table.sqlName + " AS " + alias;
    String x = "w";
    StringBuilder sql = new StringBuilder("(SELECT ");
    for (Column column : table.table.columns()) {
      String field = ServerTable.quote(column.field());
      if (lacked.contains(column)) {
        args.add(context.version());
        String readable = storage.access().readable(table, x, context.userID(), args);
        sql.append("CASE WHEN ")
            .append(x)
            .append('.')
            .append(ServerTable.VERSION)
            .append(" <> ? OR ")
            .append(readable)
            .append(" THEN ")
            .append(x)
            .append('.')
            .append(field)
            .append(" END");
      } else {
        sql.append(x).append('.').append(field);
      }
      sql.append(" AS ").append(field).append(", ");
    }
    return sql.append(x)
        .append('.')
        .append(ServerTable.VERSION)
        .append(", ")
        .append(x)
        .append('.')
        .append(ServerTable.DELETED)
        .append(" FROM ")
        .append(table.sqlName)
        .append(" AS ")
        .append(x)
        .append(") AS ")
        .append(alias)
        .toString();
  }

  /** The columns of {@code table} reads hide on this push's unreadable rows ({@link #source}). */
  List<Column> lacked(ServerTable table) {
    return filtered ? storage.lackedColumns(context.schemaVersion(), table) : List.of();
  }

  MutationContext context() {
    return context;
  }

  @Override
  public Object get(String key) {
    String json = getJson(key);
    return json == null ? null : codec.fromJson(json, Object.class);
  }

  @Override
  public <T> T get(String key, Class<T> type) {
    String json = getJson(key);
    return json == null ? null : codec.fromJson(json, type);
  }

  @Override
  public String getJson(String key) {
    if (key == null) throw new NullPointerException("key == null");
    try {
      ServerTable table = storage.tableOf(key);
      if (table == null) return filtered ? null : kvGet(key);
      Object[] keyValues = table.parseKey(key);
      if (keyValues == null) return null;
      try (ResultSet rows = selectVisible(table, keyValues).executeQuery()) {
        if (!rows.next() || rows.getBoolean(table.table.columns().size() + 1)) return null;
        return table.json(rows, 1);
      }
    } catch (SQLException e) {
      throw new StorageException(e);
    }
  }

  /** The statement reading the row {@code keyValues} names, if this transaction may read it. */
  private PreparedStatement selectVisible(ServerTable table, Object[] keyValues)
      throws SQLException {
    List<Object> args = new ArrayList<>();
    if (!lacked(table).isEmpty()) {
      List<Object> sourceArgs = new ArrayList<>();
      String source = source(table, "r", sourceArgs);
      String visible = visible(table, "r", args);
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
    String visible = visible(table, table.sqlName, args);
    PreparedStatement select =
        storage.statement(
            context, visible == null ? table.selectByKey : table.selectByKey + " AND " + visible);
    int next = table.setKey(select, 1, keyValues);
    GrantSql.bind(select, next, args);
    return select;
  }

  /** The live row {@code keyValues} names by JSON field, if this transaction may read it. */
  private Map<String, Object> visibleRow(ServerTable table, Object[] keyValues)
      throws SQLException {
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

  @Override
  public boolean has(String key) {
    return getJson(key) != null;
  }

  @Override
  public boolean isEmpty() {
    try {
      for (ServerTable table : storage.tables()) {
        List<Object> args = new ArrayList<>();
        String visible = visible(table, table.sqlName, args);
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
      return filtered
          || !exists("SELECT 1 FROM " + SchemaStorage.KV + " WHERE deleted = ? LIMIT 1", List.of());
    } catch (SQLException e) {
      throw new StorageException(e);
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
   * schema table under the prefix is read whole (its rows' keys are not a column), so prefer {@link
   * #query} for tables.
   */
  @Override
  public List<KeyValue> scan(ScanOptions options) {
    String prefix = options.prefix();
    String start =
        options.start() != null && options.start().compareTo(prefix) > 0 ? options.start() : prefix;
    boolean exclusive =
        options.start() != null && start.equals(options.start()) && options.startExclusive();
    List<String[]> entries = new ArrayList<>();
    try {
      if (!filtered) scanKv(prefix, start, exclusive, options.limit(), entries);
      for (ServerTable table : storage.tables()) {
        if (!table.prefix.startsWith(prefix) && !prefix.startsWith(table.prefix)) continue;
        List<Object> sourceArgs = new ArrayList<>();
        boolean hiding = !lacked(table).isEmpty();
        String from = hiding ? source(table, "r", sourceArgs) : table.sqlName;
        String alias = hiding ? "r" : table.sqlName;
        List<Object> args = new ArrayList<>();
        String visible = visible(table, alias, args);
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
      throw new StorageException(e);
    }
    entries.sort(
        Comparator.comparing((String[] entry) -> entry[0], ServerWriteTransaction::compareUtf8));
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

  @Override
  public List<Row> query(Query query) {
    try {
      return new ServerQuery(storage, context, this).run(query);
    } catch (SQLException e) {
      throw new StorageException(e);
    }
  }

  @Override
  public <T> List<T> query(Query query, Class<T> type) {
    List<T> mapped = new ArrayList<>();
    for (Row row : query(query)) mapped.add(row.as(type));
    return mapped;
  }

  @Override
  public String clientID() {
    return context.clientID();
  }

  @Override
  public void put(String key, Object value) {
    if (key == null) throw new NullPointerException("key == null");
    ServerTable table = storage.tableOf(key);
    try {
      if (table == null) {
        kvPut(key, codec.toJson(value));
        return;
      }
      Object plain = codec.toJsonValue(value);
      if (!(plain instanceof Map)) {
        throw new IllegalArgumentException(
            "the value of "
                + key
                + " is not a JSON object, so it is no row of table '"
                + table.table.name()
                + "'");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> fields =
          table.withKeyFields(key, new LinkedHashMap<>((Map<String, Object>) plain));
      String rowKey = table.keyOf(fields);
      if (!rowKey.equals(key)) {
        throw new IllegalArgumentException(
            "key " + key + " does not match the row's primary key, whose key is " + rowKey);
      }
      store(table, false, fields);
    } catch (SQLException e) {
      throw new StorageException(e);
    }
  }

  /**
   * Writes the row {@code fields} (by JSON field) with an upsert, or with an insert ({@code
   * insert}: it changes nothing over a live row, and returns 0): the columns the client's schema
   * version lacks keep their stored values, mirrored columns follow each other ({@link
   * SchemaStorage#reconcile}). With permissions, the grants' condition that needs the database
   * rides in the write itself ({@code INSERT … SELECT … WHERE}): no row written means refused.
   */
  private int store(ServerTable table, boolean insert, Map<String, Object> fields)
      throws SQLException {
    return store(table, insert, fields, null);
  }

  /**
   * {@link #store}, where {@code read} is the live row (by JSON field) the caller has just read
   * under the same key, or null if it has not read it.
   */
  private int store(
      ServerTable table, boolean insert, Map<String, Object> fields, Map<String, Object> read)
      throws SQLException {
    Access access = storage.access();
    // An insert is checked as one: over a live row it fails below, whatever the grants say.
    Map<String, Object> before =
        access == null || insert ? null : read != null ? read : live(table, fields);
    Map<String, Object> row;
    try {
      row =
          storage.reconcile(
              table,
              fields,
              context.schemaVersion(),
              () -> access == null || insert ? live(table, fields) : before);
    } catch (SQLException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    Verdict verdict = null;
    if (access != null) {
      try {
        verdict = access.writeVerdict(context, table, before, row);
      } catch (Access.Denied e) {
        throw denied(e);
      }
    }
    Object[] values = table.bind(row, codec);
    boolean guarded = verdict != null && verdict.sql != null;
    String sql =
        guarded ? table.guardedWrite(insert, verdict.sql) : insert ? table.insert : table.upsert;
    PreparedStatement write = storage.statement(context, sql);
    int next = table.setValues(write, 1, values);
    write.setLong(next, context.version());
    write.setBoolean(next + 1, false);
    if (guarded) GrantSql.bind(write, next + 2, verdict.args);
    int count = write.executeUpdate();
    // No row: refused, or (an insert) a live row has the key, which the condition alone tells.
    if (guarded && count == 0 && (!insert || !access.holds(context, verdict))) {
      throw denied(WriteChecks.denied(verdict, table.keyOf(row)));
    }
    return count;
  }

  /** The live row with the primary key {@code fields} hold, by JSON field; null if none. */
  private Map<String, Object> live(ServerTable table, Map<String, Object> fields)
      throws SQLException {
    Object[] keyValues = table.parseKey(table.keyOf(fields));
    if (keyValues == null) return null;
    return liveByKey(table, keyValues);
  }

  /** True if {@code key} names a live row of {@code table}, whoever may read it. */
  private boolean liveKey(ServerTable table, String key) {
    Object[] keyValues = table.parseKey(key);
    try {
      return keyValues != null && liveByKey(table, keyValues) != null;
    } catch (SQLException e) {
      throw new StorageException(e);
    }
  }

  private Map<String, Object> liveByKey(ServerTable table, Object[] keyValues) throws SQLException {
    PreparedStatement select = storage.statement(context, table.selectByKey);
    table.setKey(select, 1, keyValues);
    try (ResultSet rows = select.executeQuery()) {
      if (!rows.next() || rows.getBoolean(table.table.columns().size() + 1)) return null;
      return table.readFields(rows, 1, codec);
    }
  }

  /** The first write the permissions refused, or null: the mutation is refused even if caught. */
  public RuntimeException denied() {
    return root.denied;
  }

  private RuntimeException denied(Access.Denied e) {
    if (root.denied == null) root.denied = e;
    return e;
  }

  private void kvPut(String key, String json) throws SQLException {
    if (storage.access() != null) {
      try {
        WriteChecks.denyKv(key);
      } catch (Access.Denied e) {
        throw denied(e);
      }
    }
    PreparedStatement upsert =
        storage.statement(
            context,
            "INSERT INTO "
                + SchemaStorage.KV
                + " (key, value, version, deleted) VALUES (?, ?, ?, ?) ON CONFLICT (key)"
                + " DO UPDATE SET value = excluded.value, version = excluded.version,"
                + " deleted = excluded.deleted");
    upsert.setString(1, key);
    upsert.setString(2, json);
    upsert.setLong(3, context.version());
    upsert.setBoolean(4, false);
    upsert.executeUpdate();
  }

  @Override
  public void set(String key, Object value) {
    put(key, value);
  }

  @Override
  public boolean del(String key) {
    if (key == null) throw new NullPointerException("key == null");
    try {
      ServerTable table = storage.tableOf(key);
      PreparedStatement delete;
      int next;
      Access access = storage.access();
      Verdict verdict = null;
      if (access != null) {
        try {
          if (table == null) WriteChecks.denyKv(key);
          Object[] keyValues = table.parseKey(key);
          Map<String, Object> before = keyValues == null ? null : liveByKey(table, keyValues);
          if (before == null) return false;
          verdict = access.deleteVerdict(context, table, before);
        } catch (Access.Denied e) {
          throw denied(e);
        }
      }
      boolean guarded = verdict != null && verdict.sql != null;
      if (table == null) {
        delete =
            storage.statement(
                context,
                "UPDATE "
                    + SchemaStorage.KV
                    + " SET deleted = ?, version = ? WHERE key = ? AND deleted = ?");
        delete.setBoolean(1, true);
        delete.setLong(2, context.version());
        delete.setString(3, key);
        next = 4;
      } else {
        Object[] keyValues = table.parseKey(key);
        if (keyValues == null) return false;
        delete =
            storage.statement(
                context, guarded ? table.guardedDelete(verdict.sql) : table.softDelete);
        delete.setBoolean(1, true);
        delete.setLong(2, context.version());
        next = table.setKey(delete, 3, keyValues);
      }
      delete.setBoolean(next, false);
      if (guarded) GrantSql.bind(delete, next + 1, verdict.args);
      int count = delete.executeUpdate();
      // The row was live (read above, under the push lock): no row deleted means refused.
      if (guarded && count == 0) throw denied(WriteChecks.denied(verdict, key));
      return count > 0;
    } catch (SQLException e) {
      throw new StorageException(e);
    }
  }

  @Override
  public TableWriter table(String name) {
    final ServerTable table = storage.table(name);
    return new TableWriter() {
      @Override
      public void insert(Object row) {
        Map<String, Object> fields = table.byField(values(row));
        String key = table.keyOf(fields);
        try {
          // One statement: it writes over a deleted row, and changes nothing if a live one exists.
          if (store(table, true, fields) == 0) {
            throw new IllegalStateException(
                "table '" + table.table.name() + "' already has " + key);
          }
        } catch (SQLException e) {
          throw new StorageException(e);
        }
      }

      @Override
      public void upsert(Object row) {
        Map<String, Object> fields = table.byField(values(row));
        write(fields);
      }

      @Override
      public void update(Object partialRow) {
        Map<String, Object> changes = table.byField(values(partialRow));
        String key = table.keyOf(changes);
        Object[] keyValues = table.parseKey(key);
        Map<String, Object> current;
        try {
          current = keyValues == null ? null : visibleRow(table, keyValues);
        } catch (SQLException e) {
          throw new StorageException(e);
        }
        if (current == null) {
          // A live row the user may not read: the client could not update it either (it does not
          // hold it), and the update would read it; refused as a permission matter.
          if (filtered && liveKey(table, key)) {
            throw denied(new Access.Denied("permission denied: you may not update " + key));
          }
          throw new IllegalStateException("table '" + table.table.name() + "' has no row " + key);
        }
        Map<String, Object> fields = new LinkedHashMap<>(current);
        fields.putAll(changes);
        try {
          // The row just read is the row before, unless the read hid columns the client lacks:
          // then store reads the stored row, whose values those columns keep.
          store(table, false, fields, lacked(table).isEmpty() ? current : null);
        } catch (SQLException e) {
          throw new StorageException(e);
        }
      }

      @Override
      public boolean delete(Object primaryKey) {
        return del(table.keyOf(table.byField(values(primaryKey))));
      }

      private void write(Map<String, Object> fields) {
        try {
          store(table, false, fields);
        } catch (SQLException e) {
          throw new StorageException(e);
        }
      }
    };
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> values(Object row) {
    Object value = row instanceof Map ? row : codec.toJsonValue(row);
    if (!(value instanceof Map)) {
      throw new IllegalArgumentException("a row is a Map or an object with fields, not " + row);
    }
    return (Map<String, Object>) value; // Read only: ServerTable.byField copies it.
  }

  @Override
  public long mutationID() {
    return mutationID;
  }

  @Override
  public Reason reason() {
    return Reason.AUTHORITATIVE;
  }

  @Override
  public String userID() {
    return context.userID();
  }

  /** A database failure under a mutator, unchecked so it passes through the mutator's code. */
  public static final class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StorageException(SQLException cause) {
      super(cause.getMessage(), cause);
    }

    public SQLException sqlCause() {
      return (SQLException) getCause();
    }
  }
}
