package dev.tandem.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code replicache_client_group}: who owns a client group and when it was last active; claims,
 * activity, and forgetting inactive groups with everything recorded for them.
 */
final class ClientGroups {
  private ClientGroups() {}

  /** The user owning {@code groupID}, or null if no one has used it yet. */
  static String groupOwner(Connection connection, String groupID) throws SQLException {
    GroupRow group = group(connection, groupID);
    return group == null ? null : group.owner;
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
}
