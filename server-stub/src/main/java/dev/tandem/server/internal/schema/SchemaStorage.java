package dev.tandem.server.internal.schema;

import dev.tandem.Column;
import dev.tandem.Migration;
import dev.tandem.Permissions;
import dev.tandem.Schema;
import dev.tandem.Table;
import dev.tandem.internal.app.JsonCodec;
import dev.tandem.internal.app.MigrationPlan;
import dev.tandem.protocol.PatchOperation;
import dev.tandem.protocol.RawJson;
import dev.tandem.server.ClientView;
import dev.tandem.server.Dialect;
import dev.tandem.server.MutationContext;
import dev.tandem.server.internal.KeptStatements;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * An app's data in the server's database: each schema table in a real table ({@link ServerTable}),
 * and every key that matches no table in {@code tandem_kv} (key, value, version, deleted), for
 * schemaless Replicache apps. Creates what is missing after checking what exists; serves the
 * changes of a pull under the client's keys. Immutable; thread-safe.
 */
public final class SchemaStorage implements ClientView {
  static final String KV = "tandem_kv";

  private final Dialect dialect;
  private final JsonCodec codec;
  private final Map<String, ServerTable> byName = new LinkedHashMap<>();
  private final Map<String, ServerTable> byPrefix = new LinkedHashMap<>();
  private final KeptStatements kept = new KeptStatements();
  final String kvOrder;

  /** The app's migrations, or null: then every client writes every column. */
  private final MigrationPlan plan;

  /** Mirrors in force, by table name. */
  private final Map<String, List<Migration.Mirror>> mirrors = new LinkedHashMap<>();

  /** The columns each client schema version knows, by version, then by table name. */
  private final Map<Long, Map<String, Set<String>>> known = new ConcurrentHashMap<>();

  /**
   * Storage for {@code schema} (null for none: every key goes to {@code tandem_kv}).
   *
   * @throws IllegalArgumentException if a table has a json primary key column, which the server
   *     cannot spell in a key.
   */
  public SchemaStorage(Schema schema, Dialect dialect, JsonCodec codec) {
    this(schema, null, dialect, codec);
  }

  /**
   * Storage for the tables {@code plan} stores after its last step (the union of the schemas it
   * serves), each client writing the columns its own schema version has.
   */
  public SchemaStorage(MigrationPlan plan, Dialect dialect, JsonCodec codec) {
    this(plan.last().stored, plan, dialect, codec);
    for (Migration.Mirror mirror : plan.last().mirrors) {
      List<Migration.Mirror> list = mirrors.get(mirror.table());
      if (list == null) mirrors.put(mirror.table(), list = new ArrayList<>());
      list.add(mirror);
    }
  }

  private SchemaStorage(Schema schema, MigrationPlan plan, Dialect dialect, JsonCodec codec) {
    this.plan = plan;
    this.dialect = dialect;
    this.codec = codec;
    this.kvOrder = dialect == Dialect.POSTGRES ? "key COLLATE \"C\"" : "key";
    if (schema == null) return;
    for (Table table : schema.tables()) {
      for (String name : table.primaryKey()) {
        if (table.column(name).type() == Column.Type.JSON) {
          throw new IllegalArgumentException(
              "primary key column '"
                  + table.name()
                  + "."
                  + name
                  + "' is json: the server keys rows by string, number, bool or enumeration"
                  + " values only");
        }
      }
      ServerTable server = new ServerTable(table, dialect);
      byName.put(table.name(), server);
      byPrefix.put(table.serverName(), server);
    }
  }

  /**
   * The statement for {@code sql}, one of the storage's fixed statements, on the push's connection:
   * prepared once per physical connection and kept (not per push), so a push compiles none of them
   * again. Parameters are not cleared: every one is set on each use.
   */
  PreparedStatement statement(MutationContext context, String sql) throws SQLException {
    return kept.get(context.connection(), sql);
  }

  /** The app's permissions, compiled; null when it has none (everyone reads and writes all). */
  private volatile Access access;

  /** Enforces {@code permissions} on every write of the app's mutators from now on. */
  public Access permissions(Permissions permissions) {
    this.access = new Access(permissions, this);
    return access;
  }

  Access access() {
    return access;
  }

  JsonCodec codec() {
    return codec;
  }

  Dialect dialect() {
    return dialect;
  }

  Iterable<ServerTable> tables() {
    return byName.values();
  }

  /**
   * The row a mutation of a client on {@code schemaVersion} writes, given the fields it set: the
   * columns its version does not have keep their stored values ({@code stored} supplies the live
   * row, or null), and mirrored columns follow each other. Returns {@code fields} itself when
   * neither applies.
   */
  Map<String, Object> reconcile(
      ServerTable table,
      Map<String, Object> fields,
      String schemaVersion,
      Callable<Map<String, Object>> stored)
      throws Exception {
    List<Migration.Mirror> tableMirrors = mirrors.get(table.table.name());
    Set<String> columns = knownColumns(schemaVersion, table);
    if (tableMirrors == null && columns == null) return fields;
    Map<String, Object> current = stored.call();
    Map<String, Object> result = new LinkedHashMap<>(fields);
    if (columns != null) {
      for (Column column : table.table.columns()) {
        if (columns.contains(column.name())) continue;
        result.remove(column.field());
        if (current != null && current.get(column.field()) != null) {
          result.put(column.field(), current.get(column.field()));
        }
      }
    }
    if (tableMirrors != null) {
      for (Migration.Mirror mirror : tableMirrors) mirror(table, mirror, result, current);
    }
    return result;
  }

  /**
   * Keeps a mirror's columns equal: whichever the write changed wins (on insert, whichever is set).
   */
  private static void mirror(
      ServerTable table,
      Migration.Mirror mirror,
      Map<String, Object> row,
      Map<String, Object> current) {
    String from = table.table.column(mirror.from()).field();
    String to = table.table.column(mirror.to()).field();
    Object newFrom = row.get(from);
    Object newTo = row.get(to);
    boolean fromChanged;
    boolean toChanged;
    if (current == null) {
      fromChanged = newFrom != null;
      toChanged = newTo != null;
    } else {
      fromChanged = !same(newFrom, current.get(from));
      toChanged = !same(newTo, current.get(to));
    }
    if (toChanged && !fromChanged) {
      Object value = newTo != null ? newTo : mirror.whenNull();
      if (value == null) row.remove(from);
      else row.put(from, value);
    } else if (fromChanged && !toChanged) {
      if (newFrom == null) row.remove(to);
      else row.put(to, newFrom);
    }
    // A client that has only the new column, inserting with it unset: the old one still needs one.
    if (row.get(from) == null && mirror.whenNull() != null) row.put(from, mirror.whenNull());
  }

  private static boolean same(Object a, Object b) {
    if (a instanceof Number && b instanceof Number) {
      return ((Number) a).doubleValue() == ((Number) b).doubleValue();
    }
    return a == null ? b == null : a.equals(b);
  }

  /**
   * The stored columns of {@code table} a client on {@code schemaVersion} lacks (it never writes
   * them, {@link #reconcile}); empty if it has them all.
   */
  List<Column> lackedColumns(String schemaVersion, ServerTable table) {
    Set<String> columns = knownColumns(schemaVersion, table);
    if (columns == null) return List.of();
    List<Column> lacked = new ArrayList<>();
    for (Column column : table.table.columns()) {
      if (!columns.contains(column.name())) lacked.add(column);
    }
    return lacked;
  }

  /**
   * The names of {@code table}'s columns a client on {@code schemaVersion} has, or null if it has
   * them all (no migrations, a version that is no integer, or a version without the table).
   */
  private Set<String> knownColumns(String schemaVersion, ServerTable table) {
    if (plan == null || schemaVersion == null) return null;
    long version;
    try {
      version = Long.parseLong(schemaVersion.trim());
    } catch (NumberFormatException e) {
      return null;
    }
    // Served versions only reach here: the map holds a few entries.
    Map<String, Set<String>> byTable = known.get(version);
    if (byTable == null) {
      byTable = new LinkedHashMap<>();
      Schema schema = plan.schemaFor(version);
      for (ServerTable stored : byName.values()) {
        Table own = schema.table(stored.table.name());
        if (own == null || own.columns().size() == stored.table.columns().size()) continue;
        Set<String> names = new HashSet<>();
        for (Column column : own.columns()) names.add(column.name());
        byTable.put(stored.table.name(), names);
      }
      known.put(version, byTable);
    }
    return byTable.get(table.table.name());
  }

  /** The table called {@code name}. */
  ServerTable table(String name) {
    ServerTable table = byName.get(name);
    if (table == null) {
      throw new IllegalArgumentException(
          byName.isEmpty() ? "there is no schema" : "the schema has no table '" + name + "'");
    }
    return table;
  }

  /** The table whose rows {@code key} falls under, or null for a {@code tandem_kv} key. */
  ServerTable tableOf(String key) {
    int slash = key.indexOf('/');
    return slash < 0 ? null : byPrefix.get(key.substring(0, slash));
  }

  /**
   * Checks every existing table against the schema, then creates what is missing. A mismatch
   * changes nothing.
   *
   * @throws IllegalStateException naming every difference found.
   */
  public void migrate(Connection connection) throws SQLException {
    if (plan != null) {
      Migrator.migrate(connection, dialect, plan);
      createKv(connection);
      return;
    }
    List<String> differences = new ArrayList<>();
    List<ServerTable> missing = new ArrayList<>();
    for (ServerTable table : byName.values()) {
      List<String> found = SchemaCheck.differences(connection, table);
      if (found == null) missing.add(table);
      else differences.addAll(found);
    }
    if (!differences.isEmpty()) {
      throw new IllegalStateException(
          "the database does not match the app's schema; nothing was changed:\n  "
              + String.join("\n  ", differences));
    }
    createKv(connection);
    try (Statement statement = connection.createStatement()) {
      for (ServerTable table : missing) {
        for (String sql : table.create()) statement.execute(sql);
      }
    }
  }

  private void createKv(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE IF NOT EXISTS "
              + KV
              + " (key TEXT "
              + (dialect == Dialect.POSTGRES ? "COLLATE \"C\" " : "")
              + "PRIMARY KEY NOT NULL, value TEXT NOT NULL, version BIGINT NOT NULL,"
              + " deleted BOOLEAN NOT NULL)");
      statement.execute("CREATE INDEX IF NOT EXISTS tandem_kv_by_version ON " + KV + " (version)");
    }
  }

  /**
   * The pull's patch: every row of every table, and every {@code tandem_kv} key, changed after
   * {@code since}, as {@code put} or {@code del} under the client's keys. A first pull ({@code
   * since == 0}) starts from {@code clear}, so it reads live rows only.
   */
  @Override
  public void changes(Connection connection, long since, Consumer<PatchOperation> out)
      throws SQLException {
    // A first pull reads every live row: a plain scan, not one through the version index.
    String which = since == 0 ? ServerTable.DELETED + " = ?" : ServerTable.VERSION + " > ?";
    for (ServerTable table : byName.values()) {
      try (PreparedStatement statement =
          connection.prepareStatement(
              "SELECT " + table.selectList("") + " FROM " + table.sqlName + " WHERE " + which)) {
        if (since == 0) statement.setBoolean(1, false);
        else statement.setLong(1, since);
        int deleted = table.table.columns().size() + 1;
        String[] key = new String[1];
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            if (since > 0 && rows.getBoolean(deleted)) {
              out.accept(PatchOperation.del(table.keyAt(rows, 1)));
              continue;
            }
            RawJson value = RawJson.build(writer -> key[0] = writeRow(table, rows, writer));
            out.accept(PatchOperation.put(key[0], value));
          }
        }
      }
    }
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT key, value, deleted FROM " + KV + " WHERE " + which.replace("_tandem_", ""))) {
      if (since == 0) statement.setBoolean(1, false);
      else statement.setLong(1, since);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          if (rows.getBoolean(3)) out.accept(PatchOperation.del(rows.getString(1)));
          else out.accept(PatchOperation.put(rows.getString(1), RawJson.parse(rows.getString(2))));
        }
      }
    }
  }

  private static String writeRow(
      ServerTable table, ResultSet rows, com.squareup.moshi.JsonWriter writer)
      throws java.io.IOException {
    try {
      return table.writeJson(rows, 1, writer);
    } catch (SQLException e) {
      throw new java.io.IOException(e);
    }
  }
}
