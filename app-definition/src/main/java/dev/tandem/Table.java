package dev.tandem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A table of a {@link Schema}: synced keys {@code <name>/…} (or {@code <from>/…}) land as rows of a
 * real SQLite table with typed columns. Immutable; validated by {@link Schema.Builder#build()}.
 *
 * <pre>{@code
 * Table.named("userPref").from("user_pref")
 *     .columns(Column.string("id"), Column.string("orgID").from("org_id"))
 *     .primaryKey("id");
 * }</pre>
 */
public final class Table {
  private final String name;
  private final String from;
  private final List<Column> columns;
  private final List<String> primaryKey;
  private final List<Relationship> relationships;
  private final List<List<String>> indexes;

  private Table(
      String name,
      String from,
      List<Column> columns,
      List<String> primaryKey,
      List<Relationship> relationships,
      List<List<String>> indexes) {
    this.name = name;
    this.from = from;
    this.columns = Collections.unmodifiableList(columns);
    this.primaryKey = Collections.unmodifiableList(primaryKey);
    this.relationships = Collections.unmodifiableList(relationships);
    this.indexes = Collections.unmodifiableList(indexes);
  }

  /**
   * A table called {@code name} whose rows sync under keys {@code <name>/…} (unless {@link #from}
   * says otherwise), with no columns, key or relationships yet.
   *
   * @throws NullPointerException if {@code name} is null.
   */
  public static Table named(String name) {
    if (name == null) throw new NullPointerException("table name == null");
    return new Table(
        name,
        name,
        new ArrayList<Column>(),
        new ArrayList<String>(),
        new ArrayList<Relationship>(),
        new ArrayList<List<String>>());
  }

  /**
   * The server's name for the table, which is also the key prefix of its rows: {@code
   * from("analytics.event")} syncs keys {@code analytics.event/…} into this table.
   */
  public Table from(String serverName) {
    return new Table(name, serverName, columns, primaryKey, relationships, indexes);
  }

  /** Adds columns, after those added before. */
  public Table columns(Column... more) {
    List<Column> all = new ArrayList<>(columns);
    all.addAll(Arrays.asList(more));
    return new Table(name, from, all, primaryKey, relationships, indexes);
  }

  /**
   * Removes the columns called {@code columnNames}, and the indexes on them: a later schema version
   * that no longer has them ({@code V1.table("user").withoutColumns("nickname")}).
   *
   * @throws IllegalArgumentException if a name is no column of this table, or a primary key column.
   */
  public Table withoutColumns(String... columnNames) {
    List<String> removed = Arrays.asList(columnNames);
    for (String name : removed) {
      if (column(name) == null) {
        throw new IllegalArgumentException(
            "table '" + this.name + "' has no column '" + name + "'");
      }
      if (primaryKey.contains(name)) {
        throw new IllegalArgumentException(
            "column '" + this.name + "." + name + "' is part of the primary key");
      }
    }
    List<Column> kept = new ArrayList<>();
    for (Column column : columns) if (!removed.contains(column.name())) kept.add(column);
    List<List<String>> keptIndexes = new ArrayList<>();
    for (List<String> index : indexes) {
      if (Collections.disjoint(index, removed)) keptIndexes.add(index);
    }
    return new Table(name, from, kept, primaryKey, relationships, keptIndexes);
  }

  /**
   * Sets the primary key, replacing any set before: required columns of this table, several for a
   * compound key. A row's key is {@code <from>/<its key values joined by />}.
   */
  public Table primaryKey(String... columnNames) {
    return new Table(
        name, from, columns, new ArrayList<>(Arrays.asList(columnNames)), relationships, indexes);
  }

  /** Adds relationships from this table's rows, after those added before. */
  public Table relationships(Relationship... more) {
    List<Relationship> all = new ArrayList<>(relationships);
    all.addAll(Arrays.asList(more));
    return new Table(name, from, columns, primaryKey, all, indexes);
  }

  /**
   * Adds an index on {@code columnNames} (in that order), after those added before, for queries
   * that filter or sort on them: {@code Table.named("todo")….index("listID", "done")}. The primary
   * key and the fields relationships join on are indexed without asking.
   */
  public Table index(String... columnNames) {
    List<List<String>> all = new ArrayList<>(indexes);
    all.add(Collections.unmodifiableList(new ArrayList<>(Arrays.asList(columnNames))));
    return new Table(name, from, columns, primaryKey, relationships, all);
  }

  /** The indexes added with {@link #index}, each a list of column names. */
  public List<List<String>> indexes() {
    return indexes;
  }

  /** The table's name in queries and in {@link WriteTransaction#table}. */
  public String name() {
    return name;
  }

  /** The server's name; the key prefix is {@code from() + "/"}. */
  public String serverName() {
    return from;
  }

  /** The columns, in the order added. Unmodifiable. */
  public List<Column> columns() {
    return columns;
  }

  /** The names of the primary key columns, in order. Unmodifiable. */
  public List<String> primaryKey() {
    return primaryKey;
  }

  /** The relationships, in the order added. Unmodifiable. */
  public List<Relationship> relationships() {
    return relationships;
  }

  /** The column called {@code name}, or null. */
  public Column column(String name) {
    for (Column column : columns) {
      if (column.name().equals(name)) return column;
    }
    return null;
  }

  /** The relationship called {@code name}, or null. */
  public Relationship relationship(String name) {
    for (Relationship relationship : relationships) {
      if (relationship.name().equals(name)) return relationship;
    }
    return null;
  }
}
