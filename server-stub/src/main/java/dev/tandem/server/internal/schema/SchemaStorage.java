package dev.tandem.server.internal.schema;

import dev.tandem.Column;
import dev.tandem.Schema;
import dev.tandem.Table;
import dev.tandem.internal.app.JsonCodec;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /**
   * Storage for {@code schema} (null for none: every key goes to {@code tandem_kv}).
   *
   * @throws IllegalArgumentException if a table has a json primary key column, which the server
   *     cannot spell in a key.
   */
  public SchemaStorage(Schema schema, Dialect dialect, JsonCodec codec) {
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

  JsonCodec codec() {
    return codec;
  }

  Dialect dialect() {
    return dialect;
  }

  Iterable<ServerTable> tables() {
    return byName.values();
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
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE IF NOT EXISTS "
              + KV
              + " (key TEXT "
              + (dialect == Dialect.POSTGRES ? "COLLATE \"C\" " : "")
              + "PRIMARY KEY NOT NULL, value TEXT NOT NULL, version BIGINT NOT NULL,"
              + " deleted BOOLEAN NOT NULL)");
      statement.execute("CREATE INDEX IF NOT EXISTS tandem_kv_by_version ON " + KV + " (version)");
      for (ServerTable table : missing) {
        for (String sql : table.create()) statement.execute(sql);
      }
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
