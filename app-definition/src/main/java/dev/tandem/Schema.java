package dev.tandem;

import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The app's typed data model: tables, columns, keys and relationships, with an integer version that
 * travels to the server as {@code schemaVersion}. Validated when built: every name is a safe
 * identifier, nothing is defined twice, and every key and relationship names columns and tables
 * that exist. Immutable.
 *
 * <pre>{@code
 * Schema schema = Schema.builder().version(3)
 *     .table(Table.named("user").columns(Column.string("id"), Column.string("name")).primaryKey("id"))
 *     .table(Table.named("message")
 *         .columns(Column.string("id"), Column.string("senderID"), Column.number("order"))
 *         .primaryKey("id")
 *         .relationships(Relationship.one("sender").hop("senderID", "user", "id")))
 *     .build();
 * }</pre>
 */
public final class Schema {
  /** Table and column names: letters, digits and underscores, not starting with a digit. */
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  /**
   * Server table names: identifiers, optionally qualified by a schema ({@code analytics.event}).
   */
  private static final Pattern SERVER_NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

  private final int version;
  private final Map<String, Table> tables;

  private Schema(int version, Map<String, Table> tables) {
    this.version = version;
    this.tables = Collections.unmodifiableMap(tables);
  }

  /** A builder of a schema with version 0 and no tables. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The schema's version, sent as {@code schemaVersion} unless {@code Tandem.Builder.schemaVersion}
   * says otherwise.
   */
  public int version() {
    return version;
  }

  /**
   * A builder holding this schema's version and tables, for the next version of the schema: {@code
   * V1.toBuilder().version(2).replace(V1.table("user").columns(Column.string("bio")
   * .optional())).build()}.
   */
  public Builder toBuilder() {
    Builder builder = new Builder().version(version);
    builder.tables.putAll(tables);
    return builder;
  }

  /** The tables, in the order they were added. Unmodifiable. */
  public Collection<Table> tables() {
    return tables.values();
  }

  /** The table called {@code name}, or null. */
  public Table table(String name) {
    return tables.get(name);
  }

  /** Collects tables, then validates them all at once. Not thread-safe. */
  public static final class Builder {
    private int version;
    private final Map<String, Table> tables = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Sets the version; default 0. A server that does not support it answers that this client needs
     * an update ({@code Tandem.updateNeeded()}).
     *
     * @throws IllegalArgumentException if {@code version} is negative.
     */
    public Builder version(int version) {
      if (version < 0) throw new IllegalArgumentException("schema version < 0: " + version);
      this.version = version;
      return this;
    }

    /**
     * Adds {@code table}. The rest of its validation waits for {@link #build()}, so tables may name
     * each other in any order.
     *
     * @throws IllegalArgumentException if a table of the same name was added.
     */
    public Builder table(Table table) {
      if (tables.containsKey(table.name())) {
        throw new IllegalArgumentException("table '" + table.name() + "' is defined twice");
      }
      tables.put(table.name(), table);
      return this;
    }

    /**
     * Replaces the table of the same name as {@code table}, keeping its place.
     *
     * @throws IllegalArgumentException if there is no table of that name.
     */
    public Builder replace(Table table) {
      if (!tables.containsKey(table.name())) {
        throw new IllegalArgumentException("there is no table '" + table.name() + "' to replace");
      }
      tables.put(table.name(), table);
      return this;
    }

    /**
     * Removes the table called {@code name}.
     *
     * @throws IllegalArgumentException if there is no table of that name.
     */
    public Builder remove(String name) {
      if (tables.remove(name) == null) {
        throw new IllegalArgumentException("there is no table '" + name + "' to remove");
      }
      return this;
    }

    /**
     * Validates the tables and returns the schema.
     *
     * @throws IllegalArgumentException naming the first problem: an unsafe or duplicate name, a
     *     missing primary key, or a key or relationship naming a column or table that does not
     *     exist.
     */
    public Schema build() {
      Set<String> prefixes = new HashSet<>();
      for (Table table : tables.values()) {
        validate(table);
        if (!prefixes.add(table.serverName())) {
          throw new IllegalArgumentException(
              "two tables sync from '" + table.serverName() + "': give each its own from()");
        }
      }
      for (Table table : tables.values()) {
        for (Relationship relationship : table.relationships()) validate(table, relationship);
      }
      return new Schema(version, new LinkedHashMap<>(tables));
    }

    private static void validate(Table table) {
      identifier("table", table.name());
      if (!SERVER_NAME.matcher(table.serverName()).matches()) {
        throw new IllegalArgumentException(
            "table '"
                + table.name()
                + "' from '"
                + table.serverName()
                + "': use a name like user_pref or analytics.event");
      }
      if (table.columns().isEmpty()) {
        throw new IllegalArgumentException("table '" + table.name() + "' has no columns");
      }
      Set<String> names = new HashSet<>();
      Set<String> fields = new HashSet<>();
      for (Column column : table.columns()) {
        identifier("column " + table.name() + ".", column.name());
        if (!names.add(column.name())) {
          throw new IllegalArgumentException(
              "column '" + column.name() + "' is defined twice in table '" + table.name() + "'");
        }
        if (!fields.add(column.field())) {
          throw new IllegalArgumentException(
              "two columns of table '" + table.name() + "' read field '" + column.field() + "'");
        }
      }
      if (table.primaryKey().isEmpty()) {
        throw new IllegalArgumentException("table '" + table.name() + "' has no primary key");
      }
      Set<String> key = new HashSet<>();
      for (String column : table.primaryKey()) {
        Column found = table.column(column);
        if (found == null) {
          throw new IllegalArgumentException(
              "primary key of table '" + table.name() + "' names unknown column '" + column + "'");
        }
        if (found.isOptional()) {
          throw new IllegalArgumentException(
              "primary key column '" + table.name() + "." + column + "' cannot be optional");
        }
        if (!key.add(column)) {
          throw new IllegalArgumentException(
              "primary key of table '" + table.name() + "' names '" + column + "' twice");
        }
      }
      for (List<String> index : table.indexes()) {
        if (index.isEmpty()) {
          throw new IllegalArgumentException("an index of table '" + table.name() + "' is empty");
        }
        Set<String> indexed = new HashSet<>();
        for (String column : index) {
          if (table.column(column) == null) {
            throw new IllegalArgumentException(
                "index of table '" + table.name() + "' names unknown column '" + column + "'");
          }
          if (!indexed.add(column)) {
            throw new IllegalArgumentException(
                "index of table '" + table.name() + "' names '" + column + "' twice");
          }
        }
      }
      Set<String> relationships = new HashSet<>();
      for (Relationship relationship : table.relationships()) {
        identifier("relationship " + table.name() + ".", relationship.name());
        if (!relationships.add(relationship.name()) || names.contains(relationship.name())) {
          throw new IllegalArgumentException(
              "'" + relationship.name() + "' is defined twice in table '" + table.name() + "'");
        }
      }
    }

    private void validate(Table source, Relationship relationship) {
      String where = "relationship '" + source.name() + "." + relationship.name() + "'";
      if (relationship.hops().isEmpty()) throw new IllegalArgumentException(where + " has no hops");
      if (relationship.hops().size() > 2) {
        throw new IllegalArgumentException(where + " has more than two hops");
      }
      Table from = source;
      for (Relationship.Hop hop : relationship.hops()) {
        Table dest = tables.get(hop.destTable());
        if (dest == null) {
          throw new IllegalArgumentException(
              where + " names unknown table '" + hop.destTable() + "'");
        }
        if (hop.sourceFields().isEmpty() || hop.sourceFields().size() != hop.destFields().size()) {
          throw new IllegalArgumentException(
              where + " must match as many source fields as destination fields, at least one");
        }
        for (String field : hop.sourceFields()) {
          if (from.column(field) == null) {
            throw new IllegalArgumentException(
                where + " names unknown column '" + from.name() + "." + field + "'");
          }
        }
        for (String field : hop.destFields()) {
          if (dest.column(field) == null) {
            throw new IllegalArgumentException(
                where + " names unknown column '" + dest.name() + "." + field + "'");
          }
        }
        from = dest;
      }
    }

    private static void identifier(String what, String name) {
      if (!IDENTIFIER.matcher(name).matches()) {
        throw new IllegalArgumentException(
            what
                + "'"
                + name
                + "' is not a safe identifier: use letters, digits and _,"
                + " not starting with a digit");
      }
    }
  }
}
