package dev.tandem.internal.app;

import dev.tandem.Condition;
import dev.tandem.Query;
import java.util.List;

/**
 * The WHERE clauses of a table {@link Query} as SQL, shared by the client's query engine (SQLite)
 * and the server's (SQLite or Postgres): a {@link Condition} and a {@code startAfter} cursor. Each
 * engine names its columns and binds its values through {@link Columns}; values are always bound
 * parameters, added to {@code args} in the order their {@code ?}s appear.
 */
public final class SqlWhere {
  private SqlWhere() {}

  /** How one engine spells a column of the queried table and stores a value. */
  public interface Columns {
    /**
     * The SQL of {@code column} (alias and collation included).
     *
     * @throws IllegalArgumentException if the table has no such column.
     */
    String sql(String column);

    /** {@code value} as the engine binds it. */
    Object bindable(Object value);
  }

  /** {@code condition} as SQL; its values are added to {@code args}. */
  public static String compile(Condition condition, Columns columns, List<Object> args) {
    switch (condition.kind()) {
      case AND:
      case OR:
        if (condition.parts().isEmpty()) {
          return condition.kind() == Condition.Kind.AND ? "1 = 1" : "1 = 0";
        }
        StringBuilder joined = new StringBuilder("(");
        for (int i = 0; i < condition.parts().size(); i++) {
          if (i > 0) joined.append(condition.kind() == Condition.Kind.AND ? " AND " : " OR ");
          joined.append(compile(condition.parts().get(i), columns, args));
        }
        return joined.append(')').toString();
      case IS_NULL:
        return columns.sql(condition.column()) + " IS NULL";
      case IS_NOT_NULL:
        return columns.sql(condition.column()) + " IS NOT NULL";
      case IN:
        if (condition.values().isEmpty()) return "1 = 0";
        StringBuilder in = new StringBuilder(columns.sql(condition.column()) + " IN (");
        for (int i = 0; i < condition.values().size(); i++) {
          in.append(i == 0 ? "?" : ", ?");
          args.add(columns.bindable(condition.values().get(i)));
        }
        return in.append(')').toString();
      case COMPARE:
      default:
        String column = columns.sql(condition.column());
        args.add(columns.bindable(condition.value()));
        return column + " " + condition.operator() + " ?";
    }
  }

  /**
   * Rows after the one holding {@code values} in the order of {@code columns} (SQL, as {@link
   * Columns#sql} spells them) and {@code directions}, nulls first ascending: the last columns must
   * make the order total. {@code values} are bound as they are.
   */
  public static String startAfter(
      List<String> columns,
      List<Query.Direction> directions,
      List<Object> values,
      List<Object> args) {
    StringBuilder clause = new StringBuilder("(");
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) clause.append(" OR ");
      clause.append('(');
      for (int j = 0; j < i; j++) {
        Object value = values.get(j);
        if (value == null) {
          clause.append(columns.get(j)).append(" IS NULL AND ");
        } else {
          clause.append(columns.get(j)).append(" = ? AND ");
          args.add(value);
        }
      }
      Object value = values.get(i);
      boolean ascending = directions.get(i) == Query.Direction.ASC;
      if (value == null) {
        clause.append(ascending ? columns.get(i) + " IS NOT NULL" : "1 = 0");
      } else if (ascending) {
        clause.append(columns.get(i)).append(" > ?");
        args.add(value);
      } else {
        clause
            .append('(')
            .append(columns.get(i))
            .append(" < ? OR ")
            .append(columns.get(i))
            .append(" IS NULL)");
        args.add(value);
      }
      clause.append(')');
    }
    return clause.append(')').toString();
  }
}
