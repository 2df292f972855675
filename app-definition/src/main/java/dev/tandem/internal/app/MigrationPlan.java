package dev.tandem.internal.app;

import dev.tandem.Column;
import dev.tandem.Migration;
import dev.tandem.Schema;
import dev.tandem.Table;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * What an app's migrations do to the server's database, step by step, validated.
 *
 * <p>The database stores the <em>union</em> of the schemas the server serves: every table and
 * column of every client schema version from the minimum to the current one. An expand step can
 * only grow that union (new tables, new optional columns, new indexes, new enumeration values); a
 * column or table that leaves the current schema stays stored, and is still written and served,
 * while an older served version has it. A contract step raises the minimum, and what falls out of
 * the union is dropped. A column never changes in place (type, field, optionality, key): that is a
 * new column, mirrored while both are served.
 *
 * <p>The union stored after each step is {@link StoredUnion}'s, what a step changes {@link
 * StepDiff}'s (its mirrors {@link StepMirrors}'), and its checksum {@link StepChecksum}'s.
 */
public final class MigrationPlan {
  /** A column of a table, for added and dropped columns. */
  public static final class TableColumn {
    public final String table;
    public final Column column;

    TableColumn(String table, Column column) {
      this.table = table;
      this.column = column;
    }

    @Override
    public String toString() {
      return table + "." + column.name();
    }
  }

  /** An index to create. */
  public static final class Index {
    public final String table;
    public final List<String> columns;

    Index(String table, List<String> columns) {
      this.table = table;
      this.columns = columns;
    }
  }

  /** One validated step. Immutable. */
  public static final class Step {
    public final Migration migration;
    public final int version;

    /** The oldest client schema version served once this step is applied. */
    public final int minClientVersion;

    /** The stored tables after this step: the union of the served schemas. */
    public final Schema stored;

    /** Tables created by this step (their full definitions, from {@link #stored}). */
    public final List<Table> createdTables;

    public final List<TableColumn> addedColumns;
    public final List<Index> addedIndexes;

    /** Enumeration columns that gained values. */
    public final List<TableColumn> widenedEnumerations;

    /** Tables dropped by a contract step, as they were stored before it. */
    public final List<Table> droppedTables;

    public final List<TableColumn> droppedColumns;

    /** Mirrors this step declares: their new column is filled from the old one. */
    public final List<Migration.Mirror> newMirrors;

    /** Every mirror in force after this step (both columns still stored). */
    public final List<Migration.Mirror> mirrors;

    /** SHA-256 of what defines the step (see {@link #checksum(Migration)}), in hex. */
    public final String checksum;

    Step(
        Migration migration,
        int minClientVersion,
        Schema stored,
        List<Table> createdTables,
        List<TableColumn> addedColumns,
        List<Index> addedIndexes,
        List<TableColumn> widenedEnumerations,
        List<Table> droppedTables,
        List<TableColumn> droppedColumns,
        List<Migration.Mirror> mirrors) {
      this.migration = migration;
      this.version = migration.version();
      this.minClientVersion = minClientVersion;
      this.stored = stored;
      this.createdTables = Collections.unmodifiableList(createdTables);
      this.addedColumns = Collections.unmodifiableList(addedColumns);
      this.addedIndexes = Collections.unmodifiableList(addedIndexes);
      this.widenedEnumerations = Collections.unmodifiableList(widenedEnumerations);
      this.droppedTables = Collections.unmodifiableList(droppedTables);
      this.droppedColumns = Collections.unmodifiableList(droppedColumns);
      this.newMirrors = migration.mirrors();
      this.mirrors = Collections.unmodifiableList(mirrors);
      this.checksum = checksum(migration);
    }

    /** One line per change, for logs. */
    public List<String> describe() {
      List<String> lines = new ArrayList<>();
      for (Table table : createdTables) lines.add("create table " + table.serverName());
      for (TableColumn added : addedColumns) lines.add("add column " + added);
      for (Index index : addedIndexes) lines.add("add index on " + index.table + index.columns);
      for (TableColumn widened : widenedEnumerations)
        lines.add("widen enumeration " + widened + " to " + widened.column.values());
      for (Migration.Mirror mirror : newMirrors) lines.add("mirror " + mirror);
      for (TableColumn dropped : droppedColumns) lines.add("drop column " + dropped);
      for (Table table : droppedTables) lines.add("drop table " + table.serverName());
      if (migration.isContract()) lines.add("serve client versions " + minClientVersion + "+");
      for (Map.Entry<String, List<String>> sql : migration.allSql().entrySet())
        lines.add(sql.getValue().size() + " hand-written statement(s) for " + sql.getKey());
      return lines;
    }
  }

  private final List<Step> steps;

  private MigrationPlan(List<Step> steps) {
    this.steps = Collections.unmodifiableList(steps);
  }

  public List<Step> steps() {
    return steps;
  }

  public Step last() {
    return steps.get(steps.size() - 1);
  }

  /**
   * The schema a client of {@code clientVersion} uses: the latest step's at or below it (the first
   * step's for older ones).
   */
  public Schema schemaFor(long clientVersion) {
    Schema result = steps.get(0).migration.schema();
    for (Step step : steps) {
      if (step.version <= clientVersion) result = step.migration.schema();
    }
    return result;
  }

  /**
   * Validates {@code migrations} in order and plans each step.
   *
   * @throws IllegalArgumentException naming the step and the first change it may not make.
   */
  public static MigrationPlan of(List<Migration> migrations) {
    if (migrations.isEmpty()) throw new IllegalArgumentException("no migrations");
    List<Step> steps = new ArrayList<>();
    Schema stored = null;
    int min = -1;
    List<Migration> applied = new ArrayList<>();
    for (Migration migration : migrations) {
      String where = migration + ": ";
      int version = migration.version();
      if (!applied.isEmpty() && version <= applied.get(applied.size() - 1).version()) {
        throw new IllegalArgumentException(
            where
                + "versions must increase (the previous step is version "
                + applied.get(applied.size() - 1).version()
                + ")");
      }
      if (migration.isContract()) {
        if (applied.isEmpty()) {
          throw new IllegalArgumentException(where + "the first step cannot be a contract step");
        }
        if (migration.minClientVersion() <= min || migration.minClientVersion() > version) {
          throw new IllegalArgumentException(
              where
                  + "a contract step must raise the minimum client version (now "
                  + min
                  + ") to at most its own version "
                  + version
                  + ", got "
                  + migration.minClientVersion());
        }
        min = migration.minClientVersion();
      } else if (applied.isEmpty()) {
        min = version;
      }
      applied.add(migration);
      Schema union = StoredUnion.of(applied, min, where);
      steps.add(StepDiff.plan(migration, min, stored, union, where, steps));
      stored = union;
    }
    return new MigrationPlan(steps);
  }

  /** How messages name a column: {@code column 'table.name'}. */
  static String named(Table table, Column column) {
    return "column '" + table.name() + "." + column.name() + "'";
  }

  /**
   * The SHA-256 of a step as its app defines it: version, contract minimum, the stored definition
   * of its schema ({@link SchemaJson}: relationships and Java types left out), mirrors and
   * hand-written SQL. Editing any of these after the step was applied changes it.
   */
  public static String checksum(Migration migration) {
    return StepChecksum.of(migration);
  }
}
