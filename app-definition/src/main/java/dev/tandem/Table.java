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

  private Table(
      String name,
      String from,
      List<Column> columns,
      List<String> primaryKey,
      List<Relationship> relationships) {
    this.name = name;
    this.from = from;
    this.columns = Collections.unmodifiableList(columns);
    this.primaryKey = Collections.unmodifiableList(primaryKey);
    this.relationships = Collections.unmodifiableList(relationships);
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
        new ArrayList<Relationship>());
  }

  /**
   * The server's name for the table, which is also the key prefix of its rows: {@code
   * from("analytics.event")} syncs keys {@code analytics.event/…} into this table.
   */
  public Table from(String serverName) {
    return new Table(name, serverName, columns, primaryKey, relationships);
  }

  /** Adds columns, after those added before. */
  public Table columns(Column... more) {
    List<Column> all = new ArrayList<>(columns);
    all.addAll(Arrays.asList(more));
    return new Table(name, from, all, primaryKey, relationships);
  }

  /**
   * Sets the primary key, replacing any set before: required columns of this table, several for a
   * compound key. A row's key is {@code <from>/<its key values joined by />}.
   */
  public Table primaryKey(String... columnNames) {
    return new Table(name, from, columns, Arrays.asList(columnNames), relationships);
  }

  /** Adds relationships from this table's rows, after those added before. */
  public Table relationships(Relationship... more) {
    List<Relationship> all = new ArrayList<>(relationships);
    all.addAll(Arrays.asList(more));
    return new Table(name, from, columns, primaryKey, all);
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
