package dev.tandem.server.internal.schema;

import dev.tandem.Column;
import dev.tandem.Migration;
import dev.tandem.Table;
import dev.tandem.internal.app.MigrationPlan;
import dev.tandem.server.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies an app's migrations to the server's database at start: {@code tandem_migration} records
 * each applied step (version, checksum, the minimum client version it set); the steps not applied
 * yet run in order, each in its own transaction (derived DDL, mirror backfills, hand-written SQL,
 * then a check of every stored table against the step's schema), so a failure leaves nothing of
 * that step behind. An applied step that the app edited, left out or no longer has stops the start.
 */
public final class Migrator {
  private static final Logger log = LoggerFactory.getLogger("dev.tandem.server.migrate");
  static final String TABLE = "tandem_migration";

  private Migrator() {}

  /** A step applied in the database: its version and checksum. */
  private static final class Applied {
    final int version;
    final String checksum;

    Applied(int version, String checksum) {
      this.version = version;
      this.checksum = checksum;
    }
  }

  /**
   * Brings the database to the plan's last step; returns how many steps were applied now. Leaves
   * {@code connection} in auto-commit mode.
   *
   * @throws IllegalStateException if an applied step was edited or removed, if the database has a
   *     step the app does not know, or if a step fails (naming it; that step is rolled back).
   */
  public static int migrate(Connection connection, Dialect dialect, MigrationPlan plan)
      throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE IF NOT EXISTS "
              + TABLE
              + " (version BIGINT PRIMARY KEY NOT NULL, checksum TEXT NOT NULL,"
              + " min_client_version BIGINT NOT NULL, description TEXT NOT NULL,"
              + " applied_at TEXT NOT NULL)");
    }
    int count = 0;
    for (MigrationPlan.Step step : plan.steps()) {
      connection.setAutoCommit(false);
      try {
        // Instances starting together: one applies a step, the others wait and then see it.
        lock(connection, dialect);
        Map<Integer, Applied> applied = applied(connection);
        verify(plan, applied);
        if (applied.containsKey(step.version)) {
          connection.rollback();
          continue;
        }
        apply(connection, dialect, step);
        record(connection, step);
        connection.commit();
        count++;
        log.info(
            "applied migration {} ({}): {}",
            step.version,
            step.migration.isContract() ? "contract" : "expand",
            String.join("; ", step.describe()));
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        if (e instanceof IllegalStateException) throw e;
        throw new IllegalStateException(
            "migration " + step.version + " failed and was rolled back: " + e.getMessage(), e);
      } finally {
        connection.setAutoCommit(true);
      }
    }
    return count;
  }

  private static void lock(Connection connection, Dialect dialect) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      if (dialect == Dialect.POSTGRES) {
        statement.execute("LOCK TABLE " + TABLE + " IN EXCLUSIVE MODE");
      } else {
        // Takes SQLite's write lock at once, so two processes cannot both apply a step.
        statement.execute("DELETE FROM " + TABLE + " WHERE version < -1");
      }
    }
  }

  private static Map<Integer, Applied> applied(Connection connection) throws SQLException {
    Map<Integer, Applied> applied = new LinkedHashMap<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT version, checksum FROM " + TABLE + " ORDER BY version")) {
      while (rows.next()) {
        applied.put(rows.getInt(1), new Applied(rows.getInt(1), rows.getString(2)));
      }
    }
    return applied;
  }

  /** Every applied step must be one of the app's, unchanged, with none of the app's skipped. */
  private static void verify(MigrationPlan plan, Map<Integer, Applied> applied) {
    Map<Integer, MigrationPlan.Step> byVersion = new LinkedHashMap<>();
    for (MigrationPlan.Step step : plan.steps()) byVersion.put(step.version, step);
    int newestApplied = Integer.MIN_VALUE;
    for (Applied row : applied.values()) {
      MigrationPlan.Step step = byVersion.get(row.version);
      if (step == null) {
        throw new IllegalStateException(
            "migration "
                + row.version
                + " is applied in this database, but the app has no migration "
                + row.version
                + ": it was removed, or the database was migrated by a newer version of the app."
                + " Applied migrations are never removed; run the app version that has it");
      }
      if (!step.checksum.equals(row.checksum)) {
        throw new IllegalStateException(
            "migration "
                + row.version
                + " was edited after it was applied (checksum "
                + row.checksum
                + ", now "
                + step.checksum
                + "): applied migrations are never changed; put it back as it was and add a new"
                + " migration");
      }
      newestApplied = Math.max(newestApplied, row.version);
    }
    for (MigrationPlan.Step step : plan.steps()) {
      if (step.version < newestApplied && !applied.containsKey(step.version)) {
        throw new IllegalStateException(
            "migration "
                + step.version
                + " is older than migration "
                + newestApplied
                + ", which is applied, but it never was: migrations are added after the last one"
                + " only");
      }
    }
  }

  private static void apply(Connection connection, Dialect dialect, MigrationPlan.Step step)
      throws SQLException {
    long version = nextVersion(connection);
    try (Statement statement = connection.createStatement()) {
      for (Table table : step.createdTables) {
        ServerTable server = new ServerTable(table, dialect);
        for (String sql : server.create()) statement.execute(sql);
      }
      for (MigrationPlan.TableColumn added : step.addedColumns) {
        ServerTable server = new ServerTable(step.stored.table(added.table), dialect);
        statement.execute(
            "ALTER TABLE "
                + server.sqlName
                + " ADD COLUMN "
                + ServerTable.quote(added.column.field())
                + " "
                + SqlTypes.declared(added.column, dialect));
      }
      for (MigrationPlan.Index index : step.addedIndexes) {
        statement.execute(
            new ServerTable(step.stored.table(index.table), dialect).indexDdl(index.columns));
      }
      for (MigrationPlan.TableColumn widened : step.widenedEnumerations) {
        dropEnumerationCheck(connection, dialect, step.stored.table(widened.table), widened.column);
      }
      for (Migration.Mirror mirror : step.newMirrors)
        backfill(statement, dialect, step, mirror, version);
      for (MigrationPlan.TableColumn dropped : step.droppedColumns) {
        ServerTable server = new ServerTable(step.stored.table(dropped.table), dialect);
        String field = dropped.column.field();
        for (String index : indexesOn(connection, dialect, server, field)) {
          statement.execute("DROP INDEX " + index);
        }
        statement.execute(
            "ALTER TABLE " + server.sqlName + " DROP COLUMN " + ServerTable.quote(field));
      }
      for (Table table : step.droppedTables) {
        statement.execute("DROP TABLE " + ServerTable.tableName(table.serverName(), dialect));
      }
      String name = dialect == Dialect.POSTGRES ? "postgres" : "sqlite";
      for (String sql : step.migration.sql(name)) {
        statement.execute(sql.replace("${version}", Long.toString(version)));
      }
    }
    List<String> differences = new ArrayList<>();
    for (Table table : step.stored.tables()) {
      List<String> found = SchemaCheck.differences(connection, new ServerTable(table, dialect));
      if (found == null) differences.add("table " + table.serverName() + " is missing");
      else differences.addAll(found);
    }
    if (!differences.isEmpty()) {
      throw new IllegalStateException(
          "migration "
              + step.version
              + " leaves the database unlike its schema, so it was rolled back:\n  "
              + String.join("\n  ", differences));
    }
  }

  /** Takes the next sync version, for the rows a step changes: clients pull them again. */
  private static long nextVersion(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.executeUpdate("UPDATE replicache_server SET version = version + 1 WHERE id = 1");
      try (ResultSet rows =
          statement.executeQuery("SELECT version FROM replicache_server WHERE id = 1")) {
        if (!rows.next()) throw new IllegalStateException("replicache_server has no version row");
        return rows.getLong(1);
      }
    }
  }

  /** Copies a mirror's old column into the new one where it is unset, as a change clients pull. */
  private static void backfill(
      Statement statement,
      Dialect dialect,
      MigrationPlan.Step step,
      Migration.Mirror mirror,
      long version)
      throws SQLException {
    Table table = step.stored.table(mirror.table());
    String from = ServerTable.quote(table.column(mirror.from()).field());
    String to = ServerTable.quote(table.column(mirror.to()).field());
    statement.executeUpdate(
        "UPDATE "
            + ServerTable.tableName(table.serverName(), dialect)
            + " SET "
            + to
            + " = "
            + from
            + ", "
            + ServerTable.VERSION
            + " = "
            + version
            + " WHERE "
            + to
            + " IS NULL AND "
            + from
            + " IS NOT NULL");
  }

  /**
   * Tables created by earlier Tandem versions check enumeration values in the database; values are
   * checked by the server on every write, so a widened enumeration drops that check (Postgres). A
   * SQLite table keeps its CHECK in its definition: such a table is rebuilt.
   */
  private static void dropEnumerationCheck(
      Connection connection, Dialect dialect, Table table, Column column) throws SQLException {
    ServerTable server = new ServerTable(table, dialect);
    if (dialect == Dialect.POSTGRES) {
      List<String> names = new ArrayList<>();
      try (PreparedStatement statement =
          connection.prepareStatement(
              "SELECT conname FROM pg_constraint WHERE conrelid = CAST(? AS regclass)"
                  + " AND contype = 'c' AND pg_get_constraintdef(oid) LIKE ?")) {
        statement.setString(1, server.sqlName);
        statement.setString(2, "%" + column.field() + "%");
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) names.add(rows.getString(1));
        }
      }
      try (Statement statement = connection.createStatement()) {
        for (String name : names) {
          statement.execute(
              "ALTER TABLE " + server.sqlName + " DROP CONSTRAINT " + ServerTable.quote(name));
        }
      }
      return;
    }
    String sql;
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?")) {
      statement.setString(1, table.serverName());
      try (ResultSet rows = statement.executeQuery()) {
        sql = rows.next() ? rows.getString(1) : "";
      }
    }
    if (!sql.contains("CHECK")) return;
    rebuildSqlite(connection, server);
  }

  /** SQLite's way to change a table's definition: a new table, the rows copied, renamed. */
  private static void rebuildSqlite(Connection connection, ServerTable server) throws SQLException {
    String name = server.table.serverName();
    ServerTable fresh =
        new ServerTable(server.table.from(name + "_tandem_rebuild"), Dialect.SQLITE);
    List<String> indexes = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL")) {
      statement.setString(1, name);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) indexes.add(rows.getString(1));
      }
    }
    String columns = server.selectList("") + ", " + ServerTable.VERSION;
    try (Statement statement = connection.createStatement()) {
      statement.execute(fresh.create().get(0));
      statement.execute(
          "INSERT INTO "
              + fresh.sqlName
              + " ("
              + columns
              + ") SELECT "
              + columns
              + " FROM "
              + server.sqlName);
      statement.execute("DROP TABLE " + server.sqlName);
      statement.execute("ALTER TABLE " + fresh.sqlName + " RENAME TO " + server.sqlName);
      for (String index : indexes) statement.execute(index);
    }
  }

  /** The indexes of {@code table} that cover {@code field}, by quoted name. */
  private static List<String> indexesOn(
      Connection connection, Dialect dialect, ServerTable table, String field) throws SQLException {
    List<String> names = new ArrayList<>();
    if (dialect == Dialect.POSTGRES) {
      try (PreparedStatement statement =
          connection.prepareStatement(
              "SELECT n.nspname, i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
                  + " JOIN pg_namespace n ON n.oid = i.relnamespace"
                  + " JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = ANY(x.indkey)"
                  + " WHERE x.indrelid = CAST(? AS regclass) AND a.attname = ? AND NOT x.indisprimary")) {
        statement.setString(1, table.sqlName);
        statement.setString(2, field);
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            names.add(
                ServerTable.quote(rows.getString(1)) + "." + ServerTable.quote(rows.getString(2)));
          }
        }
      }
      return names;
    }
    List<String> candidates = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL")) {
      statement.setString(1, table.table.serverName());
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) candidates.add(rows.getString(1));
      }
    }
    for (String index : candidates) {
      try (PreparedStatement statement =
          connection.prepareStatement("SELECT name FROM pragma_index_info(?)")) {
        statement.setString(1, index);
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            if (field.equals(rows.getString(1))) {
              names.add(ServerTable.quote(index));
              break;
            }
          }
        }
      }
    }
    return names;
  }

  private static void record(Connection connection, MigrationPlan.Step step) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO "
                + TABLE
                + " (version, checksum, min_client_version, description, applied_at)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      statement.setLong(1, step.version);
      statement.setString(2, step.checksum);
      statement.setLong(3, step.minClientVersion);
      statement.setString(4, String.join("; ", step.describe()));
      statement.setString(5, java.time.Instant.now().toString());
      statement.executeUpdate();
    }
  }
}
