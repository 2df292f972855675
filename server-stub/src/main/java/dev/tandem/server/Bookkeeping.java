package dev.tandem.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The Replicache tables of the global version strategy (seeds/000), and their queries. */
final class Bookkeeping {
  private Bookkeeping() {}

  static final String[] DDL = {
    "CREATE TABLE IF NOT EXISTS replicache_server ("
        + "id INTEGER PRIMARY KEY NOT NULL, version BIGINT NOT NULL)",
    "INSERT INTO replicache_server (id, version) VALUES (1, 1) ON CONFLICT (id) DO NOTHING",
    "CREATE TABLE IF NOT EXISTS replicache_client_group ("
        + "id TEXT PRIMARY KEY NOT NULL, user_id TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS replicache_client ("
        + "id TEXT PRIMARY KEY NOT NULL, client_group_id TEXT NOT NULL,"
        + " last_mutation_id BIGINT NOT NULL, version BIGINT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS replicache_client_by_group"
        + " ON replicache_client (client_group_id, version)",
  };

  static void migrate(Connection connection, Iterable<String> domainDdl) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String sql : DDL) statement.execute(sql);
      for (String sql : domainDdl) statement.execute(sql);
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

  /** Binds {@code groupID} to {@code userID} unless someone has it already. */
  static void claimGroup(Connection connection, String groupID, String userID) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO replicache_client_group (id, user_id) VALUES (?, ?)"
                + " ON CONFLICT (id) DO NOTHING")) {
      statement.setString(1, groupID);
      statement.setString(2, userID);
      statement.executeUpdate();
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

  static void saveClient(
      Connection connection, String clientID, String groupID, long lastMutationID, long version)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO replicache_client (id, client_group_id, last_mutation_id, version)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                + " last_mutation_id = excluded.last_mutation_id, version = excluded.version")) {
      statement.setString(1, clientID);
      statement.setString(2, groupID);
      statement.setLong(3, lastMutationID);
      statement.setLong(4, version);
      statement.executeUpdate();
    }
  }
}
