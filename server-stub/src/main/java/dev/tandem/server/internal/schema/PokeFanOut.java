package dev.tandem.server.internal.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The client groups a push's poke goes to under the row-version strategy: a superset of those whose
 * view it changed, read from the records and the grants after the push committed. Immutable.
 */
final class PokeFanOut {
  private final SchemaStorage storage;
  private final Access access;

  PokeFanOut(SchemaStorage storage, Access access) {
    this.storage = storage;
    this.access = access;
  }

  /**
   * The client groups whose view the push that committed {@code version} may have changed (for its
   * pokes), or null for every group: those that had a row written by it or under a row written by
   * it (their records say so), and those of the users who may read such a row now (holders of a
   * role on its scope row; every group when a global role or a condition-based role reads it). A
   * superset: a group poked for nothing pulls an empty patch.
   */
  java.util.Set<String> groups(Connection connection, long version) throws SQLException {
    // A change the pulls cannot follow row by row: every view is recomputed, every group poked.
    if (ViewScan.changedAfter(connection, access, version - 1)) return null;
    java.util.Set<String> keys = new java.util.LinkedHashSet<>();
    java.util.Set<String> users = new java.util.LinkedHashSet<>();
    for (ServerTable table : storage.tables()) {
      List<String[]> sources = new ArrayList<>();
      sources.add(new String[] {table.sqlName + " AS t", "t." + ServerTable.VERSION + " > ?"});
      sources.addAll(access.reachSources(table));
      for (String[] source : sources) {
        int before = keys.size();
        try (PreparedStatement statement =
            connection.prepareStatement(
                "SELECT "
                    + table.selectList("t.")
                    + " FROM "
                    + source[0]
                    + " WHERE "
                    + source[1])) {
          statement.setLong(1, version - 1);
          try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) keys.add(table.keyAt(rows, 1));
          }
        }
        if (keys.size() == before) continue; // (A row already found is read again: a superset.)
        for (CompiledGrant rule : access.rules(table)) {
          if (!rule.allows(dev.tandem.Grant.Operation.SELECT)) continue;
          if (rule.global != null) {
            if (!rule.global.equals(dev.tandem.Permissions.ADMIN)) return null;
            users.addAll(access.admins());
            continue;
          }
          for (dev.tandem.Assign assign : rule.assignments) {
            if (readers(connection, source, rule, assign, version, users)) return null;
          }
        }
      }
    }
    java.util.Set<String> groups = new java.util.LinkedHashSet<>();
    List<String> keyList = new ArrayList<>(keys);
    for (int from = 0; from < keyList.size(); from += 500) {
      List<String> chunk = keyList.subList(from, Math.min(keyList.size(), from + 500));
      StringBuilder sql =
          new StringBuilder(
              "SELECT DISTINCT client_group_id FROM tandem_cvr_entry WHERE del_order IS NULL"
                  + " AND key IN (");
      for (int i = 0; i < chunk.size(); i++) sql.append(i == 0 ? "?" : ", ?");
      try (PreparedStatement statement = connection.prepareStatement(sql.append(')').toString())) {
        for (int i = 0; i < chunk.size(); i++) statement.setString(i + 1, chunk.get(i));
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) groups.add(rows.getString(1));
        }
      }
    }
    List<String> userList = new ArrayList<>(users);
    for (int from = 0; from < userList.size(); from += 500) {
      List<String> chunk = userList.subList(from, Math.min(userList.size(), from + 500));
      StringBuilder sql =
          new StringBuilder("SELECT id FROM replicache_client_group WHERE user_id IN (");
      for (int i = 0; i < chunk.size(); i++) sql.append(i == 0 ? "?" : ", ?");
      try (PreparedStatement statement = connection.prepareStatement(sql.append(')').toString())) {
        for (int i = 0; i < chunk.size(); i++) statement.setString(i + 1, chunk.get(i));
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) groups.add(rows.getString(1));
        }
      }
    }
    return groups;
  }

  /**
   * Adds the users holding the rule's role, through {@code assign}, on the scope rows of a source's
   * rows; true if every user holds it on one of them (a condition-based role).
   */
  private boolean readers(
      Connection connection,
      String[] source,
      CompiledGrant rule,
      dev.tandem.Assign assign,
      long version,
      java.util.Set<String> users)
      throws SQLException {
    StringBuilder from = new StringBuilder(source[0]);
    String previous = "t";
    for (int i = 0; i < rule.path.size(); i++) {
      CompiledHop hop = rule.path.get(i);
      String next = "u" + (i + 1);
      from.append(" JOIN ").append(hop.to.sqlName).append(" AS ").append(next).append(" ON ");
      GrantSql.joinOn(from, hop, previous, next);
      previous = next;
    }
    String user;
    List<Object> args = new ArrayList<>();
    if (assign.kind() == dev.tandem.Assign.Kind.WHERE) {
      args.add(version - 1);
      String holds = GrantSql.condition(assign.condition(), rule.scope, previous, "", args);
      try (PreparedStatement statement =
          connection.prepareStatement(
              "SELECT 1 FROM " + from + " WHERE " + source[1] + " AND " + holds + " LIMIT 1")) {
        GrantSql.bind(statement, args);
        try (ResultSet rows = statement.executeQuery()) {
          return rows.next();
        }
      }
    }
    if (assign.kind() == dev.tandem.Assign.Kind.COLUMN) {
      user =
          previous + "." + ServerTable.quote(rule.scope.table.column(assign.userColumn()).field());
    } else {
      ServerTable members = storage.table(assign.table());
      from.append(" JOIN ").append(members.sqlName).append(" AS um ON um.");
      from.append(ServerTable.quote(members.table.column(assign.scopeColumn()).field()));
      from.append(" = ").append(previous).append('.');
      from.append(ServerTable.quote(rule.scope.key.get(0).field()));
      from.append(" AND um.").append(ServerTable.DELETED).append(" = ?");
      args.add(Boolean.FALSE);
      if (assign.roleColumn() != null) {
        from.append(" AND um.");
        from.append(ServerTable.quote(members.table.column(assign.roleColumn()).field()));
        from.append(" = ?");
        args.add(rule.roleName);
      }
      user = "um." + ServerTable.quote(members.table.column(assign.userColumn()).field());
    }
    args.add(version - 1);
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT DISTINCT " + user + " FROM " + from + " WHERE " + source[1])) {
      GrantSql.bind(statement, args);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          if (rows.getString(1) != null) users.add(rows.getString(1));
        }
      }
    }
    return false;
  }
}
