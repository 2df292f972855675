package dev.tandem.benchmarks;

import dev.tandem.server.Backend;
import dev.tandem.server.ChatDomain;
import dev.tandem.server.Database;
import dev.tandem.server.Dialect;
import dev.tandem.server.HandlerResponse;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One database with the chat backend installed (hand-written, or the shared app), a baseline table
 * beside it, and {@code clients} simulated clients, each with its own user, client group and client
 * ID.
 *
 * <p>The backend operation is one {@code backend.push} of {@code batch} createMessage mutations.
 * The baseline operation is the bare transaction on the same pool ({@code database.writes()}): the
 * global version row's update plus {@code batch} inserts into a table shaped like {@code message},
 * with the backend's locking (see {@link #baseline}).
 */
final class Scenario implements AutoCloseable {
  /** The baseline's table: {@code message}'s columns and indexes under another name. */
  static final String[] BASELINE_DDL = {
    "CREATE TABLE IF NOT EXISTS baseline_message (id TEXT PRIMARY KEY NOT NULL,"
        + " sender TEXT NOT NULL, content TEXT NOT NULL, ord BIGINT NOT NULL,"
        + " deleted BOOLEAN NOT NULL, version BIGINT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS baseline_message_by_version ON baseline_message (version)",
  };

  /**
   * Postgres: the backend's isolation and lock, sent in one round trip after the driver's BEGIN.
   */
  static final String POSTGRES_LOCK =
      "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ;"
          + " LOCK TABLE replicache_server IN EXCLUSIVE MODE";

  static final String BUMP_VERSION =
      "UPDATE replicache_server SET version = version + 1 WHERE id = 1 RETURNING version";

  static final String INSERT =
      "INSERT INTO baseline_message (id, sender, content, ord, deleted, version)"
          + " VALUES (?, ?, ?, ?, ?, ?)";

  /** A simulated client. Used by one thread at a time. */
  static final class Client {
    final String user;
    final String groupID;
    final String clientID;
    long nextMutationID = 1;
    long baselineRows;

    Client(String prefix, int index) {
      this.user = "user-" + index;
      this.groupID = prefix + "-group-" + index;
      this.clientID = prefix + "-client-" + index;
    }
  }

  final Database database;
  final Backend backend;
  final Client[] clients;
  final int batch;
  private final boolean postgres;
  long backendPushes;
  long baselineTransactions;

  Scenario(Database database, int clients, int batch, String prefix) throws Exception {
    this(database, clients, batch, prefix, false);
  }

  /**
   * With {@code shared}, the backend is the schema-driven server with the chat as a shared app
   * ({@link SharedApps#CHAT}): the same pushes run the shared {@code createMessage} through the
   * server's {@code WriteTransaction}.
   */
  Scenario(Database database, int clients, int batch, String prefix, boolean shared)
      throws Exception {
    this.database = database;
    Backend.Builder builder = Backend.builder().database(database);
    this.backend = (shared ? builder.app(SharedApps.CHAT) : ChatDomain.install(builder)).build();
    this.clients = new Client[clients];
    for (int i = 0; i < clients; i++) this.clients[i] = new Client(prefix, i);
    this.batch = batch;
    this.postgres = database.dialect() == Dialect.POSTGRES;
    try (Connection connection = database.writes().getConnection();
        Statement statement = connection.createStatement()) {
      for (String sql : BASELINE_DDL) statement.execute(sql);
    }
  }

  /** The JSON body of the client's next push: {@code batch} createMessage mutations. */
  static byte[] pushBody(Client client, int batch) {
    StringBuilder json = new StringBuilder(256 + 200 * batch);
    json.append("{\"pushVersion\":1,\"clientGroupID\":\"")
        .append(client.groupID)
        .append("\",\"profileID\":\"bench-profile\",\"schemaVersion\":\"1\",\"mutations\":[");
    for (int i = 0; i < batch; i++) {
      long id = client.nextMutationID + i;
      if (i > 0) json.append(',');
      json.append("{\"clientID\":\"")
          .append(client.clientID)
          .append("\",\"id\":")
          .append(id)
          .append(",\"name\":\"createMessage\",\"args\":{\"id\":\"")
          .append(client.clientID)
          .append("-m")
          .append(id)
          .append("\",\"from\":\"")
          .append(client.user)
          .append("\",\"content\":\"message number ")
          .append(id)
          .append(" from ")
          .append(client.user)
          .append("\",\"order\":")
          .append(id)
          .append("},\"timestamp\":")
          .append(1000.5 + id)
          .append('}');
    }
    return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** One push through the backend; fails unless it is accepted with {@code {}}. */
  void push(Client client) {
    byte[] body = pushBody(client, batch);
    HandlerResponse response = backend.push(client.user, new ByteArrayInputStream(body));
    if (response.status() != 200 || !response.body().equals("{}")) {
      throw new IllegalStateException("push of " + client.clientID + " answered " + response);
    }
    client.nextMutationID += batch;
  }

  /**
   * The bare transaction: on a connection from {@code database.writes()}, autocommit off, then
   *
   * <ul>
   *   <li>Postgres: {@code SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; LOCK TABLE
   *       replicache_server IN EXCLUSIVE MODE} in one statement (the driver prepends BEGIN; one
   *       round trip), as the backend's Transactor locks before its snapshot;
   *   <li>SQLite: nothing (sqlite-jdbc's deferred BEGIN); the UPDATE below takes the write lock, as
   *       the backend's first statement (its {@code UPDATE replicache_server … RETURNING}) does;
   * </ul>
   *
   * then {@code UPDATE replicache_server SET version = version + 1 WHERE id = 1 RETURNING version},
   * {@code batch} single-row INSERTs (one prepared statement, executed per row, no JDBC batching)
   * stamped with that version, and COMMIT.
   */
  void baseline(Client client) throws SQLException {
    try (Connection connection = database.writes().getConnection()) {
      connection.setAutoCommit(false);
      try {
        if (postgres) {
          try (Statement statement = connection.createStatement()) {
            statement.execute(POSTGRES_LOCK);
          }
        }
        long version;
        try (PreparedStatement bump = connection.prepareStatement(BUMP_VERSION);
            ResultSet rows = bump.executeQuery()) {
          rows.next();
          version = rows.getLong(1);
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
          for (int i = 0; i < batch; i++) {
            long n = client.baselineRows + i + 1;
            insert.setString(1, client.clientID + "-b" + n);
            insert.setString(2, client.user);
            insert.setString(3, "message number " + n + " from " + client.user);
            insert.setLong(4, n);
            insert.setBoolean(5, false);
            insert.setLong(6, version);
            insert.executeUpdate();
          }
        }
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    }
    client.baselineRows += batch;
  }

  /**
   * Checks that every push and baseline transaction counted was applied exactly once: row counts,
   * the version row, and each client's lastMutationID.
   */
  void verify() throws SQLException {
    long mutations = 0;
    long baselineRows = 0;
    for (Client client : clients) {
      mutations += client.nextMutationID - 1;
      baselineRows += client.baselineRows;
    }
    try (Connection connection = database.reads().getConnection()) {
      expect(connection, "SELECT count(*) FROM message", mutations);
      expect(connection, "SELECT count(*) FROM baseline_message", baselineRows);
      expect(
          connection,
          "SELECT version FROM replicache_server WHERE id = 1",
          1 + backendPushes + baselineTransactions);
      for (Client client : clients) {
        if (client.nextMutationID == 1) continue;
        try (PreparedStatement statement =
            connection.prepareStatement(
                "SELECT c.last_mutation_id, g.user_id FROM replicache_client c"
                    + " JOIN replicache_client_group g ON g.id = c.client_group_id WHERE c.id = ?")) {
          statement.setString(1, client.clientID);
          try (ResultSet rows = statement.executeQuery()) {
            if (!rows.next()
                || rows.getLong(1) != client.nextMutationID - 1
                || !rows.getString(2).equals(client.user)) {
              throw new IllegalStateException("client " + client.clientID + " state is wrong");
            }
          }
        }
      }
    }
  }

  private static void expect(Connection connection, String sql, long expected) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      long actual = rows.getLong(1);
      if (actual != expected) {
        throw new IllegalStateException(sql + ": " + actual + ", expected " + expected);
      }
    }
  }

  @Override
  public void close() {
    database.close();
  }
}
