package dev.tandem.server;

import dev.tandem.server.internal.KeptStatements;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code replicache_client}: each client's group and last mutation ID, read and recorded. */
final class Clients {
  private Clients() {}

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

  /** The last mutation IDs of {@code groupID}'s clients changed after version {@code since}. */
  static Map<String, Long> changedSince(Connection connection, String groupID, long since)
      throws SQLException {
    Map<String, Long> changes = new LinkedHashMap<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT id, last_mutation_id FROM replicache_client"
                + " WHERE client_group_id = ? AND version > ?")) {
      statement.setString(1, groupID);
      statement.setLong(2, since);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) changes.put(rows.getString(1), rows.getLong(2));
      }
    }
    return changes;
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
        updateClient(kept, connection, change.clientID, change.lastMutationID, version);
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

  /**
   * Sets a client's row to {@code lastMutationID} at {@code version}: a push's change of a client
   * that has a row, or the undoing of the first statement's write of a row the push did not change
   * after all.
   */
  static void updateClient(
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
}
