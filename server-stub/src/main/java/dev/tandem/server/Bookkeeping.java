package dev.tandem.server;

import dev.tandem.protocol.Mutation;
import dev.tandem.protocol.RefusedMutation;
import dev.tandem.server.internal.KeptStatements;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The Replicache tables of the global version strategy (seeds/000), and their queries. */
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
   * A push's first statement (after {@link Transactor#locking}): moves the global version up by one
   * and reads, in the same round trip, the group's owner and the first client's row. On SQLite the
   * reads are subqueries of the {@code UPDATE}'s {@code RETURNING} (sqlite-jdbc runs one statement
   * per prepared statement). On Postgres they are a {@code SELECT} of their own in the same
   * statement: as subqueries of the {@code UPDATE} they made a push cost about half again as much
   * CPU once 8 clients queued for the lock (measured; the cause is not known).
   *
   * <p>On Postgres the statement also writes the first client's row ahead of the mutations: its
   * last mutation ID becomes the push's last mutation of that client, at the new version, if the
   * row is of the push's group and below it ({@link PushStart#speculated}). That is what the push
   * records in the common case (no gap, nothing resent), so the push then writes the row no more;
   * otherwise it writes it again ({@link #saveClients}, {@link #restoreClient}). One round trip
   * less per push; the reads come before the write, so they see the row as it was.
   */
  static String startPushSql(Dialect dialect) {
    return startPushSql(dialect, false);
  }

  /**
   * {@link #startPushSql(Dialect)}, on Postgres followed by {@link PokeRelay#notifySql} when {@code
   * notify}: the poke of other instances is sent by the push transaction itself, on commit.
   */
  static String startPushSql(Dialect dialect, boolean notify) {
    String update =
        "UPDATE replicache_server SET version = version + 1 WHERE id = 1 RETURNING version";
    String reads =
        "(SELECT user_id FROM replicache_client_group WHERE id = ?),"
            + " (SELECT client_group_id FROM replicache_client WHERE id = ?),"
            + " (SELECT last_mutation_id FROM replicache_client WHERE id = ?),"
            + " (SELECT last_active FROM replicache_client_group WHERE id = ?)";
    if (dialect != Dialect.POSTGRES) return update + ", " + reads;
    String speculate =
        "UPDATE replicache_client SET last_mutation_id = ?,"
            + " version = (SELECT version FROM replicache_server WHERE id = 1)"
            + " WHERE id = ? AND client_group_id = ? AND last_mutation_id < ?";
    return update
        + "; SELECT "
        + reads
        + ", (SELECT version FROM replicache_client WHERE id = ?); "
        + speculate
        + (notify ? "; " + PokeRelay.notifySql() : "");
  }

  /** What {@link #startPush} read. */
  static final class PushStart {
    /** The version this push commits at, if it commits anything. */
    final long version;

    /** The group's owner; null if the group is new. */
    final String owner;

    /** The first client's row; null if the client is new or there was no client. */
    final ClientRow client;

    /** When the group last pushed or pulled (epoch ms, coarse); 0 if the group is new. */
    final long lastActive;

    /**
     * True if the statement already wrote the first client's row (Postgres): its last mutation ID
     * is now the speculated one, at {@link #version}; {@link #client} holds the row as it was, and
     * {@link #clientVersion} its version then.
     */
    final boolean speculated;

    final long clientVersion;

    PushStart(
        long version,
        String owner,
        ClientRow client,
        long lastActive,
        boolean speculated,
        long clientVersion) {
      this.version = version;
      this.owner = owner;
      this.client = client;
      this.lastActive = lastActive;
      this.speculated = speculated;
      this.clientVersion = clientVersion;
    }
  }

  /**
   * Runs {@code sql}, a {@link #startPushSql} statement after {@link Transactor#locking}, for
   * {@code groupID} and {@code clientID} (may be null); {@code instanceID} is the notification's
   * sender when {@code sql} notifies, else null. On Postgres ({@code dialect}), {@code speculate}
   * is the last mutation ID the push would record for {@code clientID} if all goes as usual (0 for
   * none).
   */
  static PushStart startPush(
      KeptStatements kept,
      Connection connection,
      Dialect dialect,
      String sql,
      String groupID,
      String clientID,
      long speculate,
      String instanceID)
      throws SQLException {
    PreparedStatement statement = kept.get(connection, sql);
    statement.setString(1, groupID);
    statement.setString(2, clientID);
    statement.setString(3, clientID);
    statement.setString(4, groupID);
    int next = 5;
    boolean postgres = dialect == Dialect.POSTGRES;
    if (postgres) {
      statement.setString(5, clientID);
      statement.setLong(6, speculate);
      statement.setString(7, clientID);
      statement.setString(8, groupID);
      statement.setLong(9, speculate);
      next = 10;
    }
    if (instanceID != null) statement.setString(next, instanceID);
    long version;
    String owner;
    String group;
    long lastMutationID;
    long lastActive;
    long clientVersion = 0;
    boolean speculated = false;
    ResultSet rows = nextRows(statement, statement.execute());
    try {
      if (!rows.next()) throw new SQLException("replicache_server has no version row");
      version = rows.getLong(1);
      int column = 2;
      if (postgres) { // The reads come next, then the first client's write.
        rows.close();
        rows = nextRows(statement, statement.getMoreResults());
        rows.next();
        column = 1;
      }
      owner = rows.getString(column);
      group = rows.getString(column + 1);
      lastMutationID = rows.getLong(column + 2);
      lastActive = rows.getLong(column + 3);
      if (postgres) {
        clientVersion = rows.getLong(column + 4);
        rows.close();
        if (statement.getMoreResults()) throw new SQLException("expected the client's update");
        speculated = statement.getUpdateCount() == 1;
      }
    } finally {
      rows.close();
    }
    return new PushStart(
        version,
        owner,
        group == null ? null : new ClientRow(group, lastMutationID),
        lastActive,
        speculated,
        clientVersion);
  }

  /**
   * Sets a client's row back to {@code lastMutationID} at {@code version}: undoes the first
   * statement's write of a row the push did not change after all.
   */
  static void restoreClient(
      KeptStatements kept,
      Connection connection,
      String clientID,
      long lastMutationID,
      long version)
      throws SQLException {
    PreparedStatement update =
        kept.get(
            connection,
            "UPDATE replicache_client SET last_mutation_id = ?, version = ? WHERE id = ?");
    update.setLong(1, lastMutationID);
    update.setLong(2, version);
    update.setString(3, clientID);
    update.executeUpdate();
  }

  /** The next result set of {@code statement}, past update counts. */
  private static ResultSet nextRows(PreparedStatement statement, boolean rowsNext)
      throws SQLException {
    while (!rowsNext) {
      rowsNext = statement.getMoreResults();
      if (!rowsNext && statement.getUpdateCount() == -1) {
        throw new SQLException("the push's first statement returned too few results");
      }
    }
    return statement.getResultSet();
  }

  /** Sets the version row back to {@code version}. The transaction must hold the push lock. */
  static void setVersion(Connection connection, long version) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("UPDATE replicache_server SET version = ? WHERE id = 1")) {
      statement.setLong(1, version);
      statement.executeUpdate();
    }
  }

  /** The user owning {@code groupID}, or null if no one has used it yet. */
  static String groupOwner(Connection connection, String groupID) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT user_id FROM replicache_client_group WHERE id = ?")) {
      statement.setString(1, groupID);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? rows.getString(1) : null;
      }
    }
  }

  /** A group's owner and when it last pushed or pulled (epoch ms, coarse). */
  static final class GroupRow {
    final String owner;
    final long lastActive;

    GroupRow(String owner, long lastActive) {
      this.owner = owner;
      this.lastActive = lastActive;
    }
  }

  /** {@code groupID}'s row, or null if no one has used it yet (or it was forgotten). */
  static GroupRow group(Connection connection, String groupID) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT user_id, last_active FROM replicache_client_group WHERE id = ?")) {
      statement.setString(1, groupID);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? new GroupRow(rows.getString(1), rows.getLong(2)) : null;
      }
    }
  }

  /** Binds {@code groupID} to {@code userID}, active at {@code now}, unless someone has it. */
  static void claimGroup(Connection connection, String groupID, String userID, long now)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO replicache_client_group (id, user_id, last_active) VALUES (?, ?, ?)"
                + " ON CONFLICT (id) DO NOTHING")) {
      statement.setString(1, groupID);
      statement.setString(2, userID);
      statement.setLong(3, now);
      statement.executeUpdate();
    }
  }

  /** Records that {@code groupID} pushed or pulled at {@code now}. */
  static void touchGroup(Connection connection, String groupID, long now) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "UPDATE replicache_client_group SET last_active = ? WHERE id = ? AND last_active < ?")) {
      statement.setLong(1, now);
      statement.setString(2, groupID);
      statement.setLong(3, now);
      statement.executeUpdate();
    }
  }

  /**
   * Forgets up to {@code limit} groups inactive since before {@code cutoff} (epoch ms), with their
   * clients, those clients' refusals, and the groups' client view records. The transaction must
   * hold the push lock. Returns how many groups it forgot.
   */
  static int forgetGroups(Connection connection, long cutoff, int limit) throws SQLException {
    List<String> groups = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT id FROM replicache_client_group WHERE last_active < ? LIMIT " + limit)) {
      select.setLong(1, cutoff);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) groups.add(rows.getString(1));
      }
    }
    if (groups.isEmpty()) return 0;
    StringBuilder marks = new StringBuilder();
    for (int i = 0; i < groups.size(); i++) marks.append(i == 0 ? "?" : ", ?");
    String[] deletes = {
      "DELETE FROM tandem_refused_mutation WHERE client_id IN"
          + " (SELECT id FROM replicache_client WHERE client_group_id IN ("
          + marks
          + "))",
      "DELETE FROM replicache_client WHERE client_group_id IN (" + marks + ")",
      "DELETE FROM replicache_client_group WHERE id IN (" + marks + ")",
    };
    List<String> all = new ArrayList<>(java.util.Arrays.asList(deletes));
    // An app with permissions keeps a client view record per group (and a chosen subset).
    for (String table : GROUP_RECORDS) {
      if (exists(connection, table)) {
        all.add("DELETE FROM " + table + " WHERE client_group_id IN (" + marks + ")");
      }
    }
    for (String sql : all) {
      try (PreparedStatement delete = connection.prepareStatement(sql)) {
        for (int i = 0; i < groups.size(); i++) delete.setString(i + 1, groups.get(i));
        delete.executeUpdate();
      }
    }
    return groups.size();
  }

  private static final String[] GROUP_RECORDS = {"tandem_cvr_entry", "tandem_cvr", "tandem_subset"};

  private static boolean exists(Connection connection, String table) throws SQLException {
    try (ResultSet tables = connection.getMetaData().getTables(null, null, table, null)) {
      return tables.next();
    }
  }

  /** A client's group and last mutation ID. */
  static final class ClientRow {
    final String groupID;
    final long lastMutationID;

    ClientRow(String groupID, long lastMutationID) {
      this.groupID = groupID;
      this.lastMutationID = lastMutationID;
    }
  }

  static ClientRow client(Connection connection, String clientID) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT client_group_id, last_mutation_id FROM replicache_client WHERE id = ?")) {
      statement.setString(1, clientID);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? new ClientRow(rows.getString(1), rows.getLong(2)) : null;
      }
    }
  }

  /**
   * Records the new last mutation IDs of a push's clients at {@code version}: an {@code UPDATE} by
   * key for clients that have a row (no conflict check), an {@code INSERT} for new ones. The
   * transaction must hold the push lock, so no row appears or vanishes in between.
   */
  static void saveClients(
      KeptStatements kept,
      Connection connection,
      String groupID,
      long version,
      Iterable<ClientChange> changes)
      throws SQLException {
    for (ClientChange change : changes) {
      if (change.exists) {
        PreparedStatement update =
            kept.get(
                connection,
                "UPDATE replicache_client SET last_mutation_id = ?, version = ? WHERE id = ?");
        update.setLong(1, change.lastMutationID);
        update.setLong(2, version);
        update.setString(3, change.clientID);
        update.executeUpdate();
      } else {
        PreparedStatement insert =
            kept.get(
                connection,
                "INSERT INTO replicache_client (id, client_group_id, last_mutation_id, version)"
                    + " VALUES (?, ?, ?, ?)");
        insert.setString(1, change.clientID);
        insert.setString(2, groupID);
        insert.setLong(3, change.lastMutationID);
        insert.setLong(4, version);
        insert.executeUpdate();
      }
    }
  }

  /** A client's new last mutation ID, and whether it has a row yet. */
  static final class ClientChange {
    final String clientID;
    final boolean exists;
    final long lastMutationID;

    ClientChange(String clientID, boolean exists, long lastMutationID) {
      this.clientID = clientID;
      this.exists = exists;
      this.lastMutationID = lastMutationID;
    }
  }

  /** Records that the push at {@code version} refused {@code mutation}, and why. */
  static void recordRefusal(
      StatementCache statements, Mutation mutation, String error, long version)
      throws SQLException {
    PreparedStatement insert =
        statements.get(
            "INSERT INTO tandem_refused_mutation (client_id, mutation_id, error, version)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (client_id, mutation_id) DO NOTHING");
    insert.setString(1, mutation.clientID());
    insert.setLong(2, mutation.id());
    insert.setString(3, error);
    insert.setLong(4, version);
    insert.executeUpdate();
  }

  /** The refusals of {@code groupID}'s clients recorded after {@code since}. */
  static List<RefusedMutation> refusals(Connection connection, String groupID, long since)
      throws SQLException {
    List<RefusedMutation> refused = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT r.client_id, r.mutation_id, r.error FROM tandem_refused_mutation r"
                + " JOIN replicache_client c ON c.id = r.client_id"
                + " WHERE c.client_group_id = ? AND r.version > ?"
                + " ORDER BY r.client_id, r.mutation_id")) {
      statement.setString(1, groupID);
      statement.setLong(2, since);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          refused.add(new RefusedMutation(rows.getString(1), rows.getLong(2), rows.getString(3)));
        }
      }
    }
    return refused;
  }
}
