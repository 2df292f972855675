package dev.tandem.server.internal.schema;

import dev.tandem.Column;
import dev.tandem.Condition;
import dev.tandem.Query;
import dev.tandem.Relationship;
import dev.tandem.Row;
import dev.tandem.internal.app.ApiAccess;
import dev.tandem.internal.app.SqlWhere;
import dev.tandem.server.MutationContext;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A table {@link Query} as SQL over the server's real tables, live rows only: conditions, order
 * (then the primary key, a total order), limit, {@code startAfter} and relationships (one query per
 * parent row and relationship). Text orders and compares byte-wise on both databases ({@code
 * COLLATE "C"} on Postgres) and nulls sort first ascending, as on the client's SQLite.
 */
final class ServerQuery {
  private static final ApiAccess API = ApiAccess.get();

  private final SchemaStorage storage;
  private final MutationContext context;
  private final ReadFilter filter;

  /** Reads as {@code filter} lets the mutation read ({@link ReadFilter#visible}). */
  ServerQuery(SchemaStorage storage, MutationContext context, ReadFilter filter) {
    this.storage = storage;
    this.context = context;
    this.filter = filter;
  }

  List<Row> run(Query query) throws SQLException {
    ServerTable table = storage.table(query.table());
    Select select = new Select(table, "");
    select.where(query.conditions());
    if (query.startAfter() != null) select.startAfter(query.order(), query.startAfter());
    List<Row> rows = select.run(query.order(), query.limit());
    loadRelated(table, rows, query.related());
    return rows;
  }

  private void loadRelated(ServerTable table, List<Row> rows, List<Query.Related> related)
      throws SQLException {
    for (Query.Related spec : related) {
      Relationship relationship = table.table.relationship(spec.name());
      if (relationship == null) {
        throw new IllegalArgumentException(
            "table '" + table.table.name() + "' has no relationship '" + spec.name() + "'");
      }
      ServerTable dest = storage.table(relationship.destTable());
      Relationship.Hop first = relationship.hops().get(0);
      for (Row row : rows) {
        List<Object> values = new ArrayList<>();
        for (String field : first.sourceFields()) values.add(row.get(field));
        List<Row> children = new ArrayList<>();
        if (!values.contains(null)) {
          Select select;
          if (relationship.hops().size() == 1) {
            select = new Select(dest, "");
            select.whereEqual("", dest, first.destFields(), values);
          } else {
            ServerTable junction = storage.table(first.destTable());
            Relationship.Hop second = relationship.hops().get(1);
            select = new Select(dest, "d.");
            select.join(junction, second.destFields(), second.sourceFields());
            select.whereEqual("j.", junction, first.destFields(), values);
          }
          select.where(spec.query().conditions());
          children = select.run(spec.query().order(), spec.query().limit());
          loadRelated(dest, children, spec.query().related());
        }
        API.setRelated(
            row,
            spec.name(),
            relationship.isMany()
                ? Collections.unmodifiableList(children)
                : (children.isEmpty() ? null : children.get(0)));
      }
    }
  }

  /** One SELECT over a table, built up clause by clause. */
  private final class Select implements SqlWhere.Columns {
    final ServerTable table;
    final String alias;
    final StringBuilder from;
    final List<Object> fromArgs = new ArrayList<>(); // bound before args
    final StringBuilder where = new StringBuilder();
    final List<Object> args = new ArrayList<>();

    /** {@code alias}: {@code "d."}, or empty for none (then {@code "r."} if reads hide columns). */
    Select(ServerTable table, String alias) {
      this.table = table;
      this.alias = alias.isEmpty() && !filter.lacked(table).isEmpty() ? "r." : alias;
      String name = this.alias.isEmpty() ? null : this.alias.substring(0, this.alias.length() - 1);
      this.from =
          new StringBuilder(name == null ? table.sqlName : filter.source(table, name, fromArgs));
      and(this.alias + ServerTable.DELETED + " = ?");
      args.add(Boolean.FALSE);
      String visible = filter.visible(table, name == null ? table.sqlName : name, args);
      if (visible != null) and(visible);
    }

    void join(ServerTable junction, List<String> destFields, List<String> junctionFields) {
      from.append(" JOIN ").append(filter.source(junction, "j", fromArgs)).append(" ON ");
      for (int i = 0; i < destFields.size(); i++) {
        if (i > 0) from.append(" AND ");
        from.append(alias)
            .append(field(table, destFields.get(i)))
            .append(" = j.")
            .append(field(junction, junctionFields.get(i)));
      }
      from.append(" AND j.").append(ServerTable.DELETED).append(" = ?");
      fromArgs.add(Boolean.FALSE);
      List<Object> junctionArgs = new ArrayList<>();
      String visible = filter.visible(junction, "j", junctionArgs);
      if (visible != null) { // The client holds a link only if its user may read the junction row.
        and(visible);
        args.addAll(junctionArgs);
      }
    }

    private void and(String clause) {
      where.append(where.length() == 0 ? " WHERE " : " AND ").append(clause);
    }

    void where(List<Condition> conditions) {
      for (Condition condition : conditions) and(compile(condition));
    }

    void whereEqual(String prefix, ServerTable owner, List<String> columns, List<Object> values) {
      for (int i = 0; i < columns.size(); i++) {
        and(prefix + field(owner, columns.get(i)) + " = ?");
        args.add(bindable(values.get(i)));
      }
    }

    /** Rows after {@code row} in (order columns…, primary key) order. */
    void startAfter(List<Query.Order> order, Row row) {
      List<String> columns = new ArrayList<>();
      List<Query.Direction> directions = new ArrayList<>();
      List<Object> values = new ArrayList<>();
      for (Query.Order o : order) {
        columns.add(sortable(o.column()));
        directions.add(o.direction());
        values.add(bindable(row.get(o.column())));
      }
      for (Column column : table.key) {
        columns.add(sortable(column.name()));
        directions.add(Query.Direction.ASC);
        values.add(bindable(row.get(column.name())));
      }
      and(SqlWhere.startAfter(columns, directions, values, args));
    }

    private String compile(Condition condition) {
      return SqlWhere.compile(condition, this, args);
    }

    @Override
    public String sql(String column) {
      return sortable(column);
    }

    @Override
    public Object bindable(Object value) {
      return ServerQuery.bindable(value);
    }

    /** The column, compared and ordered byte-wise if it holds text. */
    private String sortable(String name) {
      String column = alias + field(table, name);
      Column.Type type = table.table.column(name).type();
      boolean text = type == Column.Type.STRING || type == Column.Type.ENUMERATION;
      return text && table.postgres() ? column + " COLLATE \"C\"" : column;
    }

    List<Row> run(List<Query.Order> order, int limit) throws SQLException {
      StringBuilder sql =
          new StringBuilder("SELECT ")
              .append(table.selectList(alias))
              .append(" FROM ")
              .append(from)
              .append(where)
              .append(" ORDER BY ");
      for (Query.Order o : order) {
        boolean descending = o.direction() == Query.Direction.DESC;
        sql.append(sortable(o.column())).append(descending ? " DESC" : "");
        if (table.postgres()) sql.append(descending ? " NULLS LAST" : " NULLS FIRST");
        sql.append(", ");
      }
      for (int i = 0; i < table.key.size(); i++) {
        sql.append(i == 0 ? "" : ", ").append(sortable(table.key.get(i).name()));
      }
      if (limit >= 0) {
        sql.append(" LIMIT ?");
        args.add((long) limit);
      }
      List<Row> rows = new ArrayList<>();
      PreparedStatement statement = context.statement(sql.toString());
      List<Object> all = new ArrayList<>(fromArgs);
      all.addAll(args);
      for (int i = 0; i < all.size(); i++) {
        Object arg = all.get(i);
        if (arg instanceof Boolean) statement.setBoolean(i + 1, (Boolean) arg);
        else if (arg instanceof Long) statement.setLong(i + 1, (Long) arg);
        else statement.setObject(i + 1, arg);
      }
      try (ResultSet results = statement.executeQuery()) {
        while (results.next()) {
          Map<String, Object> fields = table.readFields(results, 1, storage.codec());
          rows.add(
              API.row(
                  table.keyOf(fields),
                  table.byColumn(fields),
                  new LinkedHashMap<String, Object>(),
                  storage.codec()));
        }
      }
      return rows;
    }
  }

  private static String field(ServerTable table, String name) {
    Column column = table.table.column(name);
    if (column == null) {
      throw new IllegalArgumentException(
          "table '" + table.table.name() + "' has no column '" + name + "'");
    }
    return ServerTable.quote(column.field());
  }

  /** A value as the server's typed columns hold it. */
  private static Object bindable(Object value) {
    if (value instanceof Enum) return ((Enum<?>) value).name();
    if (value instanceof Number && !(value instanceof Double)) {
      return ((Number) value).doubleValue();
    }
    if (value instanceof Collection) throw new IllegalArgumentException("use IN for collections");
    return value;
  }
}
