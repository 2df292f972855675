package dev.tandem.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The Replicache tables of the global version strategy (seeds/000): their creation and upgrades at
 * build, and the global version row. The rows of the other tables are read and written by {@link
 * ClientGroups}, {@link Clients}, {@link Refusals} and a push's {@link PushStart}.
 */
final class Bookkeeping {
  private Bookkeeping() {}

  /**
   * The tables, created if missing. {@code replicache_client} is indexed by group alone (a push
   * changes a client's {@code version}, which must not move an index entry) and on SQLite is a
   * {@code WITHOUT ROWID} table, looked up and updated by its key in one b-tree. Databases made by
   * the first schema (a rowid table, an index on {@code (client_group_id, version)}) are upgraded
   * in place by {@link #migrate}.
   */
  private static final String CREATE_CLIENTS =
      "CREATE TABLE IF NOT EXISTS replicache_client ("
          + "id TEXT PRIMARY KEY NOT NULL, client_group_id TEXT NOT NULL,"
          + " last_mutation_id BIGINT NOT NULL, version BIGINT NOT NULL)";

  private static final String[] CREATE = {
    "CREATE TABLE IF NOT EXISTS replicache_server ("
        + "id INTEGER PRIMARY KEY NOT NULL, version BIGINT NOT NULL)",
    "INSERT INTO replicache_server (id, version) VALUES (1, 1) ON CONFLICT (id) DO NOTHING",
    "CREATE TABLE IF NOT EXISTS replicache_client_group ("
        + "id TEXT PRIMARY KEY NOT NULL, user_id TEXT NOT NULL)",
    // Mutations the server refused (rule 3), served once in refusedMutations (Tandem extension).
    "CREATE TABLE IF NOT EXISTS tandem_refused_mutation (client_id TEXT NOT NULL,"
        + " mutation_id BIGINT NOT NULL, error TEXT NOT NULL, version BIGINT NOT NULL,"
        + " PRIMARY KEY (client_id, mutation_id))",
    "CREATE INDEX IF NOT EXISTS tandem_refused_mutation_by_version"
        + " ON tandem_refused_mutation (version)",
  };

  private static final String[] INDEX_CLIENTS = {
    "DROP INDEX IF EXISTS replicache_client_by_group", // the first schema's
    "CREATE INDEX IF NOT EXISTS replicache_client_by_group_id ON replicache_client (client_group_id)",
  };

  /** Key of the Postgres advisory lock that instances take turns on while creating tables. */
  private static final long MIGRATION_LOCK = 0x74616e64656d4dL; // "tandemM"

  /** A lock held until closed. */
  interface Held extends AutoCloseable {
    @Override
    void close() throws SQLException;
  }

  /**
   * On Postgres, waits for and holds a session advisory lock for creating and checking tables:
   * instances starting at once on a new database would otherwise race their {@code CREATE TABLE IF
   * NOT EXISTS}, which Postgres fails for the losers ({@code type "…" already exists}). Nothing on
   * SQLite (one writer connection; its rebuild runs in an immediate transaction).
   */
  static Held migrationLock(Connection connection, Dialect dialect) throws SQLException {
    if (dialect != Dialect.POSTGRES) return () -> {};
    try (Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
    }
    return () -> {
      try (Statement statement = connection.createStatement()) {
        statement.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")");
      }
    };
  }

  /** Creates what is missing, upgrades a database of the first schema, then runs domainDdl. */
  static void migrate(Connection connection, Dialect dialect, Iterable<String> domainDdl)
      throws SQLException {
    migrate(connection, dialect, domainDdl, System.currentTimeMillis());
  }

  /**
   * {@link #migrate(Connection, Dialect, Iterable)}; a group table without {@code last_active}
   * (made before client GC) gets it, each group's set to {@code now}: it has the whole age from
   * then.
   */
  static void migrate(Connection connection, Dialect dialect, Iterable<String> domainDdl, long now)
      throws SQLException {
    boolean sqlite = dialect == Dialect.SQLITE;
    try (Statement statement = connection.createStatement()) {
      for (String sql : CREATE) statement.execute(sql);
      if (!hasLastActive(statement, sqlite)) {
        statement.execute(
            "ALTER TABLE replicache_client_group ADD COLUMN last_active BIGINT NOT NULL DEFAULT "
                + now);
      }
      statement.execute(
          "CREATE INDEX IF NOT EXISTS replicache_client_group_by_last_active"
              + " ON replicache_client_group (last_active)");
      statement.execute(sqlite ? CREATE_CLIENTS + " WITHOUT ROWID" : CREATE_CLIENTS);
      if (sqlite) rebuildClientsWithoutRowid(statement);
      for (String sql : INDEX_CLIENTS) statement.execute(sql);
      for (String sql : domainDdl) statement.execute(sql);
    }
  }

  private static boolean hasLastActive(Statement statement, boolean sqlite) throws SQLException {
    String sql =
        sqlite
            ? "SELECT 1 FROM pragma_table_info('replicache_client_group') WHERE name = 'last_active'"
            : "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()"
                + " AND table_name = 'replicache_client_group' AND column_name = 'last_active'";
    try (ResultSet rows = statement.executeQuery(sql)) {
      return rows.next();
    }
  }

  /**
   * SQLite: turns a {@code replicache_client} of the first schema (a rowid table) into a {@code
   * WITHOUT ROWID} one, rows kept, in one immediate transaction (so two servers starting at once do
   * it once). Nothing to do on databases created since.
   */
  private static void rebuildClientsWithoutRowid(Statement statement) throws SQLException {
    statement.execute("BEGIN IMMEDIATE");
    try {
      boolean rowid;
      try (ResultSet rows =
          statement.executeQuery(
              "SELECT wr FROM pragma_table_list"
                  + " WHERE schema = 'main' AND name = 'replicache_client'")) {
        rowid = rows.next() && rows.getInt(1) == 0;
      }
      if (rowid) {
        statement.execute(
            CREATE_CLIENTS.replace("replicache_client", "replicache_client_new")
                + " WITHOUT ROWID");
        statement.execute(
            "INSERT INTO replicache_client_new (id, client_group_id, last_mutation_id, version)"
                + " SELECT id, client_group_id, last_mutation_id, version FROM replicache_client");
        statement.execute("DROP TABLE replicache_client");
        statement.execute("ALTER TABLE replicache_client_new RENAME TO replicache_client");
      }
      statement.execute("COMMIT");
    } catch (SQLException | RuntimeException e) {
      try {
        statement.execute("ROLLBACK");
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  static long version(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT version FROM replicache_server WHERE id = 1")) {
      if (!rows.next()) throw new SQLException("replicache_server has no version row");
      return rows.getLong(1);
    }
  }

  /**
   * Postgres: begins a {@code REPEATABLE READ} snapshot and reads the version as its first read, in
   * one round trip.
   */
  static long snapshotVersion(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ;"
              + " SELECT version FROM replicache_server WHERE id = 1");
      while (statement.getResultSet() == null) {
        if (!statement.getMoreResults() && statement.getUpdateCount() == -1) {
          throw new SQLException("the version row was not read");
        }
      }
      try (ResultSet rows = statement.getResultSet()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  /** Sets the version row back to {@code version}. The transaction must hold the push lock. */
  static void setVersion(Connection connection, long version) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("UPDATE replicache_server SET version = ? WHERE id = 1")) {
      statement.setLong(1, version);
      statement.executeUpdate();
    }
  }
}
