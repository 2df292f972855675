package dev.tandem.server.internal.schema;

import dev.tandem.Column;
import dev.tandem.Condition;
import dev.tandem.Permissions;
import dev.tandem.internal.app.SqlWhere;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;

/**
 * The SQL pieces the permission checks and the pull's reads are built from: a hop's join, a grant's
 * condition on a row, a column's quoted name, and the binding of their values.
 */
final class GrantSql {
  private GrantSql() {}

  static void joinOn(StringBuilder sql, CompiledHop hop, String fromAlias, String toAlias) {
    for (int j = 0; j < hop.fromFields.size(); j++) {
      if (j > 0) sql.append(" AND ");
      sql.append(toAlias)
          .append('.')
          .append(ServerTable.quote(hop.toFields.get(j)))
          .append(" = ")
          .append(fromAlias)
          .append('.')
          .append(ServerTable.quote(hop.fromFields.get(j)));
    }
  }

  static String condition(
      Condition condition, ServerTable table, String alias, String user, List<Object> args) {
    return SqlWhere.compile(
        condition,
        new SqlWhere.Columns() {
          @Override
          public String sql(String column) {
            Column c = table.table.column(column);
            String sql = alias + "." + ServerTable.quote(c.field());
            boolean text = c.type() == Column.Type.STRING || c.type() == Column.Type.ENUMERATION;
            return text && table.postgres() ? sql + " COLLATE \"C\"" : sql;
          }

          @Override
          public Object bindable(Object value) {
            return GrantSql.bindable(value == Permissions.USER ? user : value);
          }
        },
        args);
  }

  static String field(ServerTable table, String column) {
    return ServerTable.quote(table.table.column(column).field());
  }

  static Object bindable(Object value) {
    if (value instanceof Enum) return ((Enum<?>) value).name();
    if (value instanceof Number && !(value instanceof Double)) {
      return ((Number) value).doubleValue();
    }
    if (value instanceof Collection) throw new IllegalArgumentException("use IN for collections");
    return value;
  }

  static void bind(PreparedStatement statement, List<Object> args) throws SQLException {
    bind(statement, 1, args);
  }

  /** Binds {@code args} from parameter {@code first} on. */
  static void bind(PreparedStatement statement, int first, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      Object arg = args.get(i);
      if (arg instanceof Boolean) statement.setBoolean(first + i, (Boolean) arg);
      else if (arg instanceof Long) statement.setLong(first + i, (Long) arg);
      else statement.setObject(first + i, arg);
    }
  }
}
