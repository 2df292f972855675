package dev.tandem.internal.app;

import com.squareup.moshi.JsonWriter;
import dev.tandem.Column;
import dev.tandem.Migration;
import dev.tandem.Relationship;
import dev.tandem.Schema;
import dev.tandem.Table;
import java.io.IOException;
import java.nio.charset.Charset;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okio.Buffer;

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
      Schema union = union(applied, min, where);
      steps.add(step(migration, min, stored, union, where, steps));
      stored = union;
    }
    return new MigrationPlan(steps);
  }

  /** The union of the schemas served at minimum {@code min}, newest definition first. */
  private static Schema union(List<Migration> applied, int min, String where) {
    List<Schema> served = new ArrayList<>();
    for (int i = applied.size() - 1; i >= 0; i--) {
      Schema schema = applied.get(i).schema();
      served.add(schema);
      if (schema.version() <= min) break;
    }
    Map<String, Table> tables = new LinkedHashMap<>();
    Map<String, Integer> from = new LinkedHashMap<>();
    for (Schema schema : served) {
      for (Table table : schema.tables()) {
        Table known = tables.get(table.name());
        if (known == null) {
          tables.put(table.name(), table);
          from.put(table.name(), schema.version());
          continue;
        }
        String why = SchemaDiff.changed(table, known);
        if (why != null) {
          throw new IllegalArgumentException(
              where
                  + "table '"
                  + table.name()
                  + "' "
                  + why
                  + " between versions "
                  + schema.version()
                  + " and "
                  + from.get(table.name())
                  + " while both are served: a table never changes in place; add a new one");
        }
        for (Column column : table.columns()) {
          Column newer = known.column(column.name());
          if (newer == null) {
            known = known.columns(column);
            continue;
          }
          why = SchemaDiff.changed(column, newer);
          if (why != null) {
            throw new IllegalArgumentException(
                where
                    + named(table, column)
                    + " "
                    + why
                    + " between versions "
                    + schema.version()
                    + " and "
                    + from.get(table.name())
                    + " while both are served: add a new column, mirror() it, and contract the"
                    + " old one");
          }
        }
        for (List<String> index : table.indexes()) {
          if (!known.indexes().contains(index)) known = known.index(index.toArray(new String[0]));
        }
        tables.put(table.name(), known);
      }
    }
    Schema.Builder builder = Schema.builder().version(applied.get(applied.size() - 1).version());
    for (Table table : tables.values()) builder.table(keepValidRelationships(table, tables));
    return builder.build();
  }

  private static Table keepValidRelationships(Table table, Map<String, Table> tables) {
    Table result = Table.named(table.name()).from(table.serverName());
    result = result.columns(table.columns().toArray(new Column[0]));
    result = result.primaryKey(table.primaryKey().toArray(new String[0]));
    for (List<String> index : table.indexes()) result = result.index(index.toArray(new String[0]));
    for (Relationship relationship : table.relationships()) {
      boolean valid = true;
      for (Relationship.Hop hop : relationship.hops()) {
        if (!tables.containsKey(hop.destTable())) valid = false;
      }
      if (valid) result = result.relationships(relationship);
    }
    return result;
  }

  private static Step step(
      Migration migration,
      int min,
      Schema before,
      Schema after,
      String where,
      List<Step> previous) {
    List<Table> created = new ArrayList<>();
    List<TableColumn> added = new ArrayList<>();
    List<Index> indexes = new ArrayList<>();
    List<TableColumn> widened = new ArrayList<>();
    List<Table> droppedTables = new ArrayList<>();
    List<TableColumn> droppedColumns = new ArrayList<>();
    Schema current = migration.schema();
    for (Table table : after.tables()) {
      Table old = before == null ? null : before.table(table.name());
      if (old == null) {
        created.add(table);
        continue;
      }
      String why = SchemaDiff.changed(old, table);
      if (why != null)
        throw new IllegalArgumentException(where + "table '" + table.name() + "' " + why);
      for (Column column : table.columns()) {
        Column was = old.column(column.name());
        if (was == null) {
          if (!column.isOptional()) {
            throw new IllegalArgumentException(
                where
                    + "new "
                    + named(table, column)
                    + " is required, but rows stored already have no value for it: make it"
                    + " optional()");
          }
          added.add(new TableColumn(table.name(), column));
          continue;
        }
        why = SchemaDiff.changed(was, column);
        if (why != null) {
          throw new IllegalArgumentException(
              where
                  + named(table, column)
                  + " "
                  + why
                  + ": a column never changes in place; add a new column, mirror() it, and"
                  + " contract the old one");
        }
        if (was.values() != null && !was.values().equals(column.values())) {
          widened.add(new TableColumn(table.name(), column));
        }
      }
      for (Column column : old.columns()) {
        if (table.column(column.name()) == null) {
          droppedColumns.add(new TableColumn(table.name(), column));
        }
      }
      for (List<String> index : table.indexes()) {
        if (!old.indexes().contains(index)) indexes.add(new Index(table.name(), index));
      }
    }
    if (before != null) {
      for (Table table : before.tables()) {
        if (after.table(table.name()) == null) droppedTables.add(table);
      }
    }
    if (!migration.isContract() && (!droppedTables.isEmpty() || !droppedColumns.isEmpty())) {
      throw new AssertionError(where + "an expand step cannot shrink the stored tables");
    }
    List<Migration.Mirror> mirrors = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    List<Migration.Mirror> candidates = new ArrayList<>();
    for (Step step : previous) candidates.addAll(step.newMirrors);
    candidates.addAll(migration.mirrors());
    for (Migration.Mirror mirror : candidates) {
      Table table = after.table(mirror.table());
      boolean own = migration.mirrors().contains(mirror);
      Column from = table == null ? null : table.column(mirror.from());
      Column to = table == null ? null : table.column(mirror.to());
      if (from == null || to == null) {
        if (own) {
          throw new IllegalArgumentException(
              where + "mirror " + mirror + " names a table or column that is not stored");
        }
        continue;
      }
      if (own && from.type() != to.type()) {
        throw new IllegalArgumentException(
            where
                + "mirror "
                + mirror
                + " joins a "
                + from.type()
                + " column and a "
                + to.type()
                + " column");
      }
      if (own && !from.isOptional() && mirror.whenNull() == null && to.isOptional()) {
        throw new IllegalArgumentException(
            where
                + "mirror "
                + mirror
                + ": "
                + mirror.from()
                + " is required and "
                + mirror.to()
                + " is optional; say what "
                + mirror.from()
                + " gets when "
                + mirror.to()
                + " is set to null (mirror(table, from, to,"
                + " whenNull))");
      }
      String id = mirror.table() + "." + mirror.from() + "." + mirror.to();
      if (!seen.add(id)) {
        throw new IllegalArgumentException(where + "mirror " + mirror + " is declared twice");
      }
      mirrors.add(mirror);
    }
    // Stored but not in the current schema: new clients leave it out of the rows they write.
    for (Table table : after.tables()) {
      Table own = current.table(table.name());
      if (own == null) continue;
      for (Column column : table.columns()) {
        if (own.column(column.name()) == null
            && !column.isOptional()
            && !filledByMirror(table.name(), column.name(), mirrors)) {
          throw new IllegalArgumentException(
              where
                  + named(table, column)
                  + " is required and still stored for older clients, but this version's"
                  + " schema leaves it out, so its rows could not be written: mirror it with a"
                  + " value for null (mirror(table, from, to, whenNull)), or contract the versions"
                  + " that have it");
        }
      }
    }
    return new Step(
        migration,
        min,
        after,
        created,
        added,
        indexes,
        widened,
        droppedTables,
        droppedColumns,
        mirrors);
  }

  /** How messages name a column: {@code column 'table.name'}. */
  private static String named(Table table, Column column) {
    return "column '" + table.name() + "." + column.name() + "'";
  }

  /** True if a mirror gives the required column {@code column} a value on every write. */
  private static boolean filledByMirror(
      String table, String column, List<Migration.Mirror> mirrors) {
    for (Migration.Mirror mirror : mirrors) {
      if (mirror.table().equals(table)
          && mirror.from().equals(column)
          && mirror.whenNull() != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * The SHA-256 of a step as its app defines it: version, contract minimum, the stored definition
   * of its schema ({@link SchemaJson}: relationships and Java types left out), mirrors and
   * hand-written SQL. Editing any of these after the step was applied changes it.
   */
  public static String checksum(Migration migration) {
    Buffer buffer = new Buffer();
    try (JsonWriter writer = JsonWriter.of(buffer)) {
      writer.beginObject();
      writer.name("version").value(migration.version());
      writer.name("minClientVersion").value(migration.minClientVersion());
      writer.name("schema");
      SchemaJson.write(migration.schema(), writer);
      writer.name("mirrors").beginArray();
      for (Migration.Mirror mirror : migration.mirrors()) {
        writer.beginArray().value(mirror.table()).value(mirror.from()).value(mirror.to());
        writer.value(String.valueOf(mirror.whenNull())).endArray();
      }
      writer.endArray();
      writer.name("sql").beginObject();
      for (Map.Entry<String, List<String>> entry : migration.allSql().entrySet()) {
        writer.name(entry.getKey()).beginArray();
        for (String statement : entry.getValue()) writer.value(statement);
        writer.endArray();
      }
      writer.endObject();
      writer.endObject();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(buffer.readUtf8().getBytes(Charset.forName("UTF-8")));
      StringBuilder hex = new StringBuilder();
      for (byte b : digest) hex.append(String.format("%02x", b & 0xff));
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
