package dev.tandem.server.internal.schema;

import dev.tandem.Column;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares tables that exist in the database with the schema: every column present with a type that
 * holds its values, NOT NULL exactly when required, the primary key, the bookkeeping columns, and
 * no other column that inserts would fail on (NOT NULL without a default). Reads only.
 */
final class SchemaCheck {
  private SchemaCheck() {}

  /** A column of an existing table. */
  private static final class Existing {
    final String type;
    final boolean notNull;
    final boolean hasDefault;

    Existing(String type, boolean notNull, boolean hasDefault) {
      this.type = type;
      this.notNull = notNull;
      this.hasDefault = hasDefault;
    }
  }

  /**
   * The differences between {@code table} and the table of that name in the database, one line
   * each; null if there is no such table (it is created), empty if it matches.
   */
  static List<String> differences(Connection connection, ServerTable table) throws SQLException {
    Map<String, Existing> columns = new LinkedHashMap<>();
    List<String> primaryKey = new ArrayList<>();
    if (table.postgres()) describePostgres(connection, table, columns, primaryKey);
    else describeSqlite(connection, table, columns, primaryKey);
    if (columns.isEmpty()) return null;

    String where = "table " + table.table.serverName() + ": ";
    List<String> differences = new ArrayList<>();
    List<String> expectedKey = new ArrayList<>();
    for (Column column : table.key) expectedKey.add(column.field());
    for (Column column : table.table.columns()) {
      Existing existing = columns.remove(column.field());
      String name = "column " + column.field();
      if (existing == null) {
        differences.add(
            where + name + " is missing (" + SqlTypes.declared(column, table.dialect) + ")");
        continue;
      }
      if (!SqlTypes.accepts(column.type(), table.dialect, existing.type)) {
        differences.add(
            where
                + name
                + " is "
                + existing.type
                + ", but a "
                + column.type().name().toLowerCase()
                + " column needs one of "
                + SqlTypes.accepted(column.type(), table.dialect));
      }
      boolean notNull = existing.notNull || expectedKey.contains(column.field());
      if (column.isOptional() && notNull && !expectedKey.contains(column.field())) {
        differences.add(where + name + " is NOT NULL, but the schema makes it optional");
      } else if (!column.isOptional() && !notNull) {
        differences.add(where + name + " allows NULL, but the schema requires it (NOT NULL)");
      }
    }
    Existing version = columns.remove(ServerTable.VERSION);
    if (version == null || !SqlTypes.isBigint(table.dialect, version.type) || !version.notNull) {
      differences.add(
          where
              + "bookkeeping column "
              + ServerTable.VERSION
              + " BIGINT NOT NULL is missing or different");
    }
    Existing deleted = columns.remove(ServerTable.DELETED);
    if (deleted == null || !SqlTypes.isBoolean(table.dialect, deleted.type) || !deleted.notNull) {
      differences.add(
          where
              + "bookkeeping column "
              + ServerTable.DELETED
              + " BOOLEAN NOT NULL is missing or different");
    }
    for (Map.Entry<String, Existing> extra : columns.entrySet()) {
      if (extra.getValue().notNull && !extra.getValue().hasDefault) {
        differences.add(
            where
                + "column "
                + extra.getKey()
                + " is not in the schema and is NOT NULL without a default, so inserts would fail");
      }
    }
    if (!primaryKey.equals(expectedKey)) {
      differences.add(
          where + "the primary key is " + primaryKey + ", but the schema's is " + expectedKey);
    }
    return differences;
  }

  private static void describeSqlite(
      Connection connection, ServerTable table, Map<String, Existing> columns, List<String> key)
      throws SQLException {
    Map<Integer, String> keyColumns = new TreeMap<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?)")) {
      statement.setString(1, table.table.serverName());
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          columns.put(
              rows.getString(1),
              new Existing(rows.getString(2), rows.getInt(3) != 0, rows.getString(4) != null));
          if (rows.getInt(5) > 0) keyColumns.put(rows.getInt(5), rows.getString(1));
        }
      }
    }
    key.addAll(keyColumns.values());
  }

  private static void describePostgres(
      Connection connection, ServerTable table, Map<String, Existing> columns, List<String> key)
      throws SQLException {
    String name = table.table.serverName();
    int dot = name.indexOf('.');
    String schema = dot < 0 ? null : name.substring(0, dot);
    String relation = dot < 0 ? name : name.substring(dot + 1);
    String inSchema = schema == null ? "current_schema()" : "?";
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT column_name, data_type, is_nullable, column_default"
                + " FROM information_schema.columns WHERE table_schema = "
                + inSchema
                + " AND table_name = ? ORDER BY ordinal_position")) {
      bindName(statement, schema, relation);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          columns.put(
              rows.getString(1),
              new Existing(
                  rows.getString(2), "NO".equals(rows.getString(3)), rows.getString(4) != null));
        }
      }
    }
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT k.column_name FROM information_schema.table_constraints c"
                + " JOIN information_schema.key_column_usage k"
                + " ON k.constraint_name = c.constraint_name AND k.table_schema = c.table_schema"
                + " AND k.table_name = c.table_name"
                + " WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = "
                + inSchema
                + " AND c.table_name = ? ORDER BY k.ordinal_position")) {
      bindName(statement, schema, relation);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) key.add(rows.getString(1));
      }
    }
  }

  private static void bindName(PreparedStatement statement, String schema, String relation)
      throws SQLException {
    int index = 1;
    if (schema != null) statement.setString(index++, schema);
    statement.setString(index, relation);
  }
}
