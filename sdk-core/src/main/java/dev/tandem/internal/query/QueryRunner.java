package dev.tandem.internal.query;

import dev.tandem.Condition;
import dev.tandem.Query;
import dev.tandem.Relationship;
import dev.tandem.Row;
import dev.tandem.internal.app.ApiAccess;
import dev.tandem.internal.app.JsonCodec;
import dev.tandem.internal.app.SqlWhere;
import dev.tandem.internal.db.SqlConnection;
import dev.tandem.internal.db.SqlCursor;
import dev.tandem.internal.store.ClientView;
import dev.tandem.internal.store.KeySet;
import dev.tandem.internal.store.TypedTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a {@link Query} as SQL over the schema tables. Identifiers come from the validated schema
 * and are quoted; every value is a bound parameter. Relationships load in one batched {@code IN}
 * query per level when they have no per-row limit, else per row (Android API 21's SQLite has no
 * window functions); junction relationships join the junction table per row.
 */
public final class QueryRunner {
  private static final ApiAccess INTERNAL = ApiAccess.get();

  /** SQLite before 3.32 allows 999 parameters per statement. */
  private static final int MAX_PARAMETERS = 900;

  private final SqlConnection db;
  private final ClientView data;
  private final JsonCodec codec;
  private final KeySet reads;

  public QueryRunner(SqlConnection db, ClientView data, JsonCodec codec, KeySet reads) {
    this.db = db;
    this.data = data;
    this.codec = codec;
    this.reads = reads;
  }

  public List<Row> run(Query query) {
    TypedTable table = lookUp(query.table());
    Select select = new Select(table, "");
    select.where(query.conditions());
    if (query.startAfter() != null) select.startAfter(query.order(), query.startAfter());
    List<Row> rows = select.run(query.order(), query.limit());
    if (reads != null) {
      // Finer than the whole table: the rows returned, and the rows the conditions may select.
      Set<String> keys = new HashSet<>();
      for (Row row : rows) keys.add(row.key());
      reads.addRows(table, query.conditions(), keys);
    }
    loadRelated(table, rows, query.related());
    return rows;
  }

  /** A table related rows come from: its whole key range is read. */
  private TypedTable table(String name) {
    TypedTable table = lookUp(name);
    if (reads != null) table.addRange(reads);
    return table;
  }

  private TypedTable lookUp(String name) {
    if (data.schema() == null) {
      throw new IllegalStateException(
          "queries need a schema: set one with Tandem.Builder.schema()");
    }
    return data.table(name);
  }

  /** Fills in relationships of {@code rows}, in place, nested relationships included. */
  private void loadRelated(TypedTable table, List<Row> rows, List<Query.Related> related) {
    if (related.isEmpty() || rows.isEmpty()) return;
    for (Query.Related spec : related) {
      Relationship relationship = table.table.relationship(spec.name());
      if (relationship == null) {
        throw new IllegalArgumentException(
            "table '" + table.table.name() + "' has no relationship '" + spec.name() + "'");
      }
      TypedTable dest = table(relationship.destTable());
      Map<Row, List<Row>> found =
          relationship.hops().size() == 1 && spec.query().limit() < 0
              ? batched(rows, relationship.hops().get(0), dest, spec.query())
              : perRow(rows, relationship, dest, spec.query());
      if (!spec.query().related().isEmpty()) {
        List<Row> children = new ArrayList<>();
        for (List<Row> list : found.values()) children.addAll(list);
        loadRelated(dest, children, spec.query().related());
      }
      for (Row row : rows) {
        List<Row> children = found.get(row);
        INTERNAL.setRelated(
            row,
            spec.name(),
            relationship.isMany()
                ? Collections.unmodifiableList(children)
                : (children.isEmpty() ? null : children.get(0)));
      }
    }
  }

  /** One query for all parents: dest rows whose dest fields are IN the parents' source values. */
  private Map<Row, List<Row>> batched(
      List<Row> parents, Relationship.Hop hop, TypedTable dest, Query sub) {
    Map<List<Object>, List<Row>> byValues = new LinkedHashMap<>();
    for (Row parent : parents) {
      List<Object> values = new ArrayList<>();
      for (String field : hop.sourceFields()) values.add(parent.get(field));
      if (values.contains(null)) continue;
      List<Row> same = byValues.get(values);
      if (same == null) byValues.put(values, same = new ArrayList<>());
      same.add(parent);
    }
    Map<Row, List<Row>> result = new IdentityHashMap<>();
    for (Row parent : parents) result.put(parent, new ArrayList<Row>());
    List<List<Object>> keys = new ArrayList<>(byValues.keySet());
    int perChunk = Math.max(1, MAX_PARAMETERS / hop.destFields().size());
    for (int start = 0; start < keys.size(); start += perChunk) {
      List<List<Object>> chunk = keys.subList(start, Math.min(keys.size(), start + perChunk));
      Select select = new Select(dest, "");
      select.whereTuples(hop.destFields(), chunk);
      select.where(sub.conditions());
      for (Row row : select.run(sub.order(), -1)) {
        List<Object> values = new ArrayList<>();
        for (String field : hop.destFields()) values.add(row.get(field));
        List<Row> owners = byValues.get(values);
        if (owners == null) continue;
        for (Row owner : owners) result.get(owner).add(row);
      }
    }
    return result;
  }

  /** One query per parent, with the sub-query's limit; two hops join the junction table. */
  private Map<Row, List<Row>> perRow(
      List<Row> parents, Relationship relationship, TypedTable dest, Query sub) {
    Map<Row, List<Row>> result = new IdentityHashMap<>();
    Relationship.Hop first = relationship.hops().get(0);
    for (Row parent : parents) {
      List<Object> values = new ArrayList<>();
      for (String field : first.sourceFields()) values.add(parent.get(field));
      if (values.contains(null)) {
        result.put(parent, new ArrayList<Row>());
        continue;
      }
      Select select;
      if (relationship.hops().size() == 1) {
        select = new Select(dest, "");
        select.whereTuples(first.destFields(), Arrays.<List<Object>>asList(values));
      } else {
        TypedTable junction = table(first.destTable());
        Relationship.Hop second = relationship.hops().get(1);
        select = new Select(dest, "d.");
        select.join(junction, second.destFields(), second.sourceFields());
        select.whereTuples("j.", first.destFields(), Arrays.<List<Object>>asList(values));
      }
      select.where(sub.conditions());
      result.put(parent, select.run(sub.order(), sub.limit()));
    }
    return result;
  }

  /** One SELECT over a table, built up clause by clause. */
  private final class Select implements SqlWhere.Columns {
    final TypedTable table;
    final String alias;
    final StringBuilder from;
    final StringBuilder where = new StringBuilder();
    final List<Object> args = new ArrayList<>();

    Select(TypedTable table, String alias) {
      this.table = table;
      this.alias = alias;
      this.from = new StringBuilder(table.sqlName);
      if (!alias.isEmpty()) from.append(" AS ").append(alias, 0, alias.length() - 1);
    }

    void join(TypedTable junction, List<String> destFields, List<String> junctionFields) {
      from.append(" JOIN ").append(junction.sqlName).append(" AS j ON ");
      for (int i = 0; i < destFields.size(); i++) {
        if (i > 0) from.append(" AND ");
        from.append(alias)
            .append(TypedTable.column(destFields.get(i)))
            .append(" = j.")
            .append(TypedTable.column(junctionFields.get(i)));
      }
    }

    private void and(String clause) {
      where.append(where.length() == 0 ? " WHERE " : " AND ").append(clause);
    }

    void where(List<Condition> conditions) {
      for (Condition condition : conditions) and(compile(condition));
    }

    void whereTuples(List<String> fields, List<List<Object>> tuples) {
      whereTuples(alias, fields, tuples);
    }

    void whereTuples(String prefix, List<String> fields, List<List<Object>> tuples) {
      StringBuilder clause = new StringBuilder();
      if (fields.size() == 1) {
        clause.append(prefix).append(TypedTable.column(fields.get(0))).append(" IN (");
        for (int i = 0; i < tuples.size(); i++) {
          clause.append(i == 0 ? "?" : ", ?");
          args.add(bindable(tuples.get(i).get(0)));
        }
        clause.append(')');
      } else {
        clause.append('(');
        for (int t = 0; t < tuples.size(); t++) {
          if (t > 0) clause.append(" OR ");
          clause.append('(');
          for (int i = 0; i < fields.size(); i++) {
            if (i > 0) clause.append(" AND ");
            clause.append(prefix).append(TypedTable.column(fields.get(i))).append(" = ?");
            args.add(bindable(tuples.get(t).get(i)));
          }
          clause.append(')');
        }
        clause.append(')');
      }
      and(clause.toString());
    }

    /** Rows after {@code row} in (order columns…, key) order. */
    void startAfter(List<Query.Order> order, Row row) {
      List<String> columns = new ArrayList<>();
      List<Query.Direction> directions = new ArrayList<>();
      List<Object> values = new ArrayList<>();
      for (Query.Order o : order) {
        columns.add(alias + column(o.column()));
        directions.add(o.direction());
        values.add(bindable(row.get(o.column())));
      }
      columns.add(alias + "\"_key\"");
      directions.add(Query.Direction.ASC);
      values.add(row.key());
      and(SqlWhere.startAfter(columns, directions, values, args));
    }

    private String compile(Condition condition) {
      return SqlWhere.compile(condition, this, args);
    }

    @Override
    public String sql(String column) {
      return alias + column(column);
    }

    @Override
    public Object bindable(Object value) {
      return QueryRunner.bindable(value);
    }

    private String column(String name) {
      if (table.table.column(name) == null) {
        throw new IllegalArgumentException(
            "table '" + table.table.name() + "' has no column '" + name + "'");
      }
      return TypedTable.column(name);
    }

    List<Row> run(List<Query.Order> order, int limit) {
      StringBuilder sql =
          new StringBuilder("SELECT ")
              .append(alias)
              .append("\"_key\", ")
              .append(table.selectColumns(alias))
              .append(" FROM ")
              .append(from)
              .append(where)
              .append(" ORDER BY ");
      for (Query.Order o : order) {
        sql.append(alias)
            .append(column(o.column()))
            .append(o.direction() == Query.Direction.DESC ? " DESC, " : ", ");
      }
      sql.append(alias).append("\"_key\"");
      if (limit >= 0) {
        sql.append(" LIMIT ?");
        args.add((long) limit);
      }
      List<Row> rows = new ArrayList<>();
      try (SqlCursor cursor = db.query(sql.toString(), args.toArray())) {
        while (cursor.next()) {
          rows.add(
              INTERNAL.row(
                  cursor.getString(0),
                  table.read(cursor, 1),
                  new LinkedHashMap<String, Object>(),
                  codec));
        }
      }
      return rows;
    }
  }

  /** A value as SQLite stores it in a typed column. */
  private static Object bindable(Object value) {
    if (value instanceof Boolean) return ((Boolean) value) ? 1L : 0L;
    if (value instanceof Enum) return ((Enum<?>) value).name();
    if (value instanceof Number && !(value instanceof Double))
      return ((Number) value).doubleValue();
    if (value instanceof Collection) throw new IllegalArgumentException("use IN for collections");
    return value;
  }
}
