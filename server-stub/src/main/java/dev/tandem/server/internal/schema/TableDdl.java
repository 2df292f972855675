package dev.tandem.server.internal.schema;

import static dev.tandem.server.internal.schema.ServerTable.DELETED;
import static dev.tandem.server.internal.schema.ServerTable.VERSION;
import static dev.tandem.server.internal.schema.ServerTable.quote;

import dev.tandem.Column;
import dev.tandem.Table;
import java.util.ArrayList;
import java.util.List;

/**
 * The DDL of one schema table on the server: its schema (Postgres), the table with typed columns,
 * bookkeeping and primary key, the version index, and the indexes declared with {@code
 * Table.index(...)}.
 */
final class TableDdl {
  private TableDdl() {}

  /** The DDL creating the table and its version index, in order. */
  static List<String> create(ServerTable server) {
    Table table = server.table;
    List<String> ddl = new ArrayList<>();
    int dot = table.serverName().indexOf('.');
    if (dot > 0 && server.postgres()) {
      ddl.add("CREATE SCHEMA IF NOT EXISTS " + quote(table.serverName().substring(0, dot)));
    }
    StringBuilder sql =
        new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(server.sqlName).append(" (");
    for (Column column : table.columns()) {
      sql.append(quote(column.field()))
          .append(' ')
          .append(SqlTypes.declared(column, server.dialect));
      // Enumeration values are checked by the server on every write, not by a CHECK: a later
      // schema version may add values without rebuilding the table.
      if (!column.isOptional()) sql.append(" NOT NULL");
      sql.append(", ");
    }
    sql.append(VERSION).append(" BIGINT NOT NULL, ").append(DELETED).append(" BOOLEAN NOT NULL, ");
    sql.append("PRIMARY KEY (").append(server.keyList()).append("))");
    ddl.add(sql.toString());
    String index = quote(table.serverName().replace('.', '_') + "_tandem_version");
    ddl.add("CREATE INDEX IF NOT EXISTS " + index + " ON " + server.sqlName + " (" + VERSION + ")");
    for (List<String> declared : table.indexes()) ddl.add(index(server, declared));
    return ddl;
  }

  /** The DDL of an index declared with {@code Table.index(columns)}. */
  static String index(ServerTable server, List<String> columns) {
    Table table = server.table;
    StringBuilder name = new StringBuilder(table.serverName().replace('.', '_'));
    StringBuilder list = new StringBuilder();
    for (String column : columns) {
      String field = table.column(column).field();
      name.append('_').append(field);
      if (list.length() > 0) list.append(", ");
      list.append(quote(field));
    }
    return "CREATE INDEX IF NOT EXISTS "
        + quote(name.append("_idx").toString())
        + " ON "
        + server.sqlName
        + " ("
        + list
        + ")";
  }
}
