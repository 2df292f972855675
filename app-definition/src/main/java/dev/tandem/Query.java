package dev.tandem;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A query over a schema table: filters, order, limit, a start-after cursor, and relationships to
 * load with each row, nested to any depth. Immutable; each method returns a new query.
 *
 * <pre>{@code
 * Query page = Query.from("message")
 *     .where("channelID", "=", channel)
 *     .orderBy("order", Query.Direction.DESC)
 *     .limit(50)
 *     .related("sender")
 *     .related("replies", q -> q.orderBy("order").limit(10));
 * }</pre>
 */
public final class Query {
  /** Sort direction. SQLite sorts nulls first ascending and last descending. */
  public enum Direction {
    /** Smallest first; nulls first. */
    ASC,
    /** Largest first; nulls last. */
    DESC
  }

  /**
   * Refines the query of a relationship: filters, order, a limit per parent row, and nested
   * relationships.
   */
  public interface Refinement {
    /**
     * Returns {@code query} with what this refinement adds. {@code query} stands for the
     * relationship's rows: its {@link Query#table()} is empty, and a {@link #startAfter(Row)}
     * cursor set on it is ignored.
     */
    Query refine(Query query);
  }

  /** One term of the sort order. Immutable. */
  public static final class Order {
    private final String column;
    private final Direction direction;

    Order(String column, Direction direction) {
      this.column = column;
      this.direction = direction;
    }

    /** The column sorted on. */
    public String column() {
      return column;
    }

    /** Ascending or descending. */
    public Direction direction() {
      return direction;
    }
  }

  /** A relationship loaded with each row, and the query refining it. Immutable. */
  public static final class Related {
    private final String name;
    private final Query query;

    Related(String name, Query query) {
      this.name = name;
      this.query = query;
    }

    /** The relationship's name in the schema. */
    public String name() {
      return name;
    }

    /**
     * The query refining the related rows: its conditions, order, limit and nested relationships
     * apply. Its {@link Query#table()} is empty: the rows come from the relationship's destination
     * table.
     */
    public Query query() {
      return query;
    }
  }

  private final String table;
  private final List<Condition> conditions;
  private final List<Order> order;
  private final int limit;
  private final Row startAfter;
  private final List<Related> related;

  private Query(
      String table,
      List<Condition> conditions,
      List<Order> order,
      int limit,
      Row startAfter,
      List<Related> related) {
    this.table = table;
    this.conditions = Collections.unmodifiableList(conditions);
    this.order = Collections.unmodifiableList(order);
    this.limit = limit;
    this.startAfter = startAfter;
    this.related = Collections.unmodifiableList(related);
  }

  /**
   * All rows of {@code table}, in key order unless {@link #orderBy} says otherwise. The table is
   * checked against the schema when the query runs.
   *
   * @throws NullPointerException if {@code table} is null.
   */
  public static Query from(String table) {
    if (table == null) throw new NullPointerException("table == null");
    return new Query(
        table,
        new ArrayList<Condition>(),
        new ArrayList<Order>(),
        -1,
        null,
        new ArrayList<Related>());
  }

  /**
   * Keeps rows where {@code column op value}; several {@code where}s all apply. Same as {@code
   * where(Condition.cmp(column, op, value))}.
   *
   * @throws IllegalArgumentException as {@link Condition#cmp} does.
   */
  public Query where(String column, String op, Object value) {
    return where(Condition.cmp(column, op, value));
  }

  /**
   * Keeps rows for which {@code condition} holds; several {@code where}s all apply.
   *
   * <pre>{@code
   * Query.from("issue").where(Condition.or(Condition.eq("open", true), Condition.isNull("closedAt")));
   * }</pre>
   */
  public Query where(Condition condition) {
    List<Condition> all = new ArrayList<>(conditions);
    all.add(condition);
    return new Query(table, all, order, limit, startAfter, related);
  }

  /**
   * Sorts by {@code column}, ascending, after any earlier {@code orderBy} terms. Rows that tie on
   * every term sort by key, so the order is total (which {@link #startAfter(Row)} relies on).
   */
  public Query orderBy(String column) {
    return orderBy(column, Direction.ASC);
  }

  /**
   * Sorts by {@code column} in {@code direction}, after any earlier {@code orderBy} terms. Rows
   * that tie on every term sort by key, ascending.
   */
  public Query orderBy(String column, Direction direction) {
    List<Order> all = new ArrayList<>(order);
    all.add(new Order(column, direction));
    return new Query(table, conditions, all, limit, startAfter, related);
  }

  /**
   * Returns at most {@code limit} rows; 0 returns none. In a relationship's {@link Refinement} it
   * applies to each parent row's related rows.
   *
   * @throws IllegalArgumentException if {@code limit} is negative.
   */
  public Query limit(int limit) {
    if (limit < 0) throw new IllegalArgumentException("limit < 0: " + limit);
    return new Query(table, conditions, order, limit, startAfter, related);
  }

  /**
   * Starts after {@code row} (a row this query returned) in this query's order: the next page.
   *
   * <pre>{@code
   * List<Row> next = tandem.query(page.startAfter(rows.get(rows.size() - 1)));
   * }</pre>
   *
   * @throws NullPointerException if {@code row} is null.
   */
  public Query startAfter(Row row) {
    if (row == null) throw new NullPointerException("row == null");
    return new Query(table, conditions, order, limit, row, related);
  }

  /**
   * Loads relationship {@code name} of each row, for {@link Row#one} or {@link Row#many}. The name
   * is checked against the schema when the query runs.
   */
  public Query related(String name) {
    return related(name, q -> q);
  }

  /** Loads relationship {@code name} of each row, filtered, ordered or limited per row. */
  public Query related(String name, Refinement refinement) {
    List<Related> all = new ArrayList<>(related);
    all.add(new Related(name, refinement.refine(from(""))));
    return new Query(table, conditions, order, limit, startAfter, all);
  }

  /** The table this query reads. */
  public String table() {
    return table;
  }

  /** The filters, all of which a row must pass. */
  public List<Condition> conditions() {
    return conditions;
  }

  /** The sort order, first term first; empty for primary key order. */
  public List<Order> order() {
    return order;
  }

  /** The maximum number of rows, or -1 for no limit. */
  public int limit() {
    return limit;
  }

  /** The row the results start after, or null. */
  public Row startAfter() {
    return startAfter;
  }

  /** The relationships loaded with each row. */
  public List<Related> related() {
    return related;
  }
}
