package dev.tandem.server;

import dev.tandem.protocol.Mutation;
import dev.tandem.protocol.RefusedMutation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tandem_refused_mutation}: the mutations a push refused (rule 3) and why, served once in a
 * pull's {@code refusedMutations}.
 */
final class Refusals {
  private Refusals() {}

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
