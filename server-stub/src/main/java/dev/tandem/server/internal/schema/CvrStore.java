package dev.tandem.server.internal.schema;

import dev.tandem.protocol.Cookie;
import dev.tandem.protocol.PatchOperation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client view records' two tables: {@code tandem_cvr} (every record issued to a group: order,
 * random ID, global version, permissions digest) and {@code tandem_cvr_entry} (the group's latest
 * record whole, one row per key: its row version, the record order that put it, the order that
 * deleted it). Reads the records and entries, saves a new record with its changes, and forgets
 * records older than the {@link #KEPT} latest.
 */
final class CvrStore {
  private CvrStore() {}

  /** A record of {@code tandem_cvr}. */
  static final class Record {
    final long order;
    final String id;
    final long globalVersion;
    final String permissions;

    Record(long order, String id, long globalVersion, String permissions) {
      this.order = order;
      this.id = id;
      this.globalVersion = globalVersion;
      this.permissions = permissions;
    }

    Cookie cookie() {
      return CvrCookie.of(order, id);
    }
  }

  /** A key's row of {@code tandem_cvr_entry}. */
  static final class Entry {
    final long rowVersion;
    final long putOrder;
    final Long delOrder;

    Entry(long rowVersion, long putOrder, Long delOrder) {
      this.rowVersion = rowVersion;
      this.putOrder = putOrder;
      this.delOrder = delOrder;
    }

    boolean live() {
      return delOrder == null;
    }
  }

  /** A change of the view since the latest record: a put (with the row's version) or a del. */
  static final class Change {
    final PatchOperation op;
    final long rowVersion;

    Change(PatchOperation op, long rowVersion) {
      this.op = op;
      this.rowVersion = rowVersion;
    }
  }

  /**
   * How many of a group's latest records a cookie may name: an older cookie gets {@code clear} and
   * the whole view. Every {@code KEPT}-th record collects the older ones.
   */
  static final int KEPT = 16;

  /** Creates the two tables and the entries' indexes if missing. */
  static void create(Statement statement) throws SQLException {
    statement.execute(
        "CREATE TABLE IF NOT EXISTS tandem_cvr (client_group_id TEXT NOT NULL,"
            + " cvr_order BIGINT NOT NULL, cvr_id TEXT NOT NULL, global_version BIGINT NOT NULL,"
            + " permissions TEXT NOT NULL, PRIMARY KEY (client_group_id, cvr_order))");
    statement.execute(
        "CREATE TABLE IF NOT EXISTS tandem_cvr_entry (client_group_id TEXT NOT NULL,"
            + " key TEXT NOT NULL, row_version BIGINT NOT NULL, put_order BIGINT NOT NULL,"
            + " del_order BIGINT, PRIMARY KEY (client_group_id, key))");
    statement.execute(
        "CREATE INDEX IF NOT EXISTS tandem_cvr_entry_by_put"
            + " ON tandem_cvr_entry (client_group_id, put_order)");
    statement.execute(
        "CREATE INDEX IF NOT EXISTS tandem_cvr_entry_by_del"
            + " ON tandem_cvr_entry (client_group_id, del_order)");
  }

  /**
   * The group's latest record and the one {@code asked} names ({@code {order, cvrID}}; null when it
   * is null or names no record of this group), in one query.
   */
  static Record[] records(Connection connection, String groupID, Object[] asked)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT cvr_order, cvr_id, global_version, permissions FROM tandem_cvr"
                + " WHERE client_group_id = ? AND (cvr_order = (SELECT MAX(cvr_order) FROM"
                + " tandem_cvr WHERE client_group_id = ?) OR (cvr_order = ? AND cvr_id = ?))"
                + " ORDER BY cvr_order DESC")) {
      statement.setString(1, groupID);
      statement.setString(2, groupID);
      statement.setLong(3, asked == null ? -1 : (Long) asked[0]);
      statement.setString(4, asked == null ? "" : (String) asked[1]);
      Record latest = null;
      Record known = null;
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          Record record =
              new Record(rows.getLong(1), rows.getString(2), rows.getLong(3), rows.getString(4));
          if (latest == null) latest = record;
          if (asked != null && record.order == (Long) asked[0] && record.id.equals(asked[1])) {
            known = record;
          }
        }
      }
      return new Record[] {latest, known};
    }
  }

  /** The group's entries, all of them or those of {@code keys}. */
  static Map<String, Entry> entries(Connection connection, String groupID, List<String> keys)
      throws SQLException {
    Map<String, Entry> entries = new HashMap<>();
    String sql =
        "SELECT key, row_version, put_order, del_order FROM tandem_cvr_entry"
            + " WHERE client_group_id = ?";
    if (keys == null) {
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        statement.setString(1, groupID);
        read(statement, entries);
      }
      return entries;
    }
    for (int from = 0; from < keys.size(); from += 500) {
      List<String> chunk = keys.subList(from, Math.min(keys.size(), from + 500));
      StringBuilder in = new StringBuilder(sql).append(" AND key IN (");
      for (int i = 0; i < chunk.size(); i++) in.append(i == 0 ? "?" : ", ?");
      try (PreparedStatement statement = connection.prepareStatement(in.append(')').toString())) {
        statement.setString(1, groupID);
        for (int i = 0; i < chunk.size(); i++) statement.setString(i + 2, chunk.get(i));
        read(statement, entries);
      }
    }
    return entries;
  }

  private static void read(PreparedStatement statement, Map<String, Entry> entries)
      throws SQLException {
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        long del = rows.getLong(4);
        Long delOrder = rows.wasNull() ? null : del;
        entries.put(rows.getString(1), new Entry(rows.getLong(2), rows.getLong(3), delOrder));
      }
    }
  }

  /**
   * The keys the group's records after {@code order} put or deleted, in the order read, each with
   * whether it is deleted now; keys in {@code skip} are left out.
   */
  static Map<String, Boolean> changedSince(
      Connection connection, String groupID, long order, Map<String, ?> skip) throws SQLException {
    Map<String, Boolean> keys = new LinkedHashMap<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT key, del_order FROM tandem_cvr_entry WHERE client_group_id = ?"
                + " AND (put_order > ? OR del_order > ?)")) {
      statement.setString(1, groupID);
      statement.setLong(2, order);
      statement.setLong(3, order);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          String key = rows.getString(1);
          if (skip.containsKey(key)) continue;
          rows.getLong(2);
          keys.put(key, !rows.wasNull());
        }
      }
    }
    return keys;
  }

  /** Records {@code record} and applies {@code changes} to the group's entries. */
  static void save(
      Connection connection, String groupID, Record record, Map<String, Change> changes)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO tandem_cvr (client_group_id, cvr_order, cvr_id, global_version,"
                + " permissions) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      insert.setString(1, groupID);
      insert.setLong(2, record.order);
      insert.setString(3, record.id);
      insert.setLong(4, record.globalVersion);
      insert.setString(5, record.permissions);
      if (insert.executeUpdate() == 0) {
        throw new SQLException(
            "a pull of group " + groupID + " recorded its view meanwhile", "40001");
      }
    }
    if (record.order % KEPT == 0) collect(connection, groupID, record.order - KEPT);
    if (changes.isEmpty()) return;
    try (PreparedStatement put =
            connection.prepareStatement(
                "INSERT INTO tandem_cvr_entry (client_group_id, key, row_version, put_order,"
                    + " del_order) VALUES (?, ?, ?, ?, NULL) ON CONFLICT (client_group_id, key)"
                    + " DO UPDATE SET row_version = excluded.row_version,"
                    + " put_order = excluded.put_order, del_order = NULL");
        PreparedStatement del =
            connection.prepareStatement(
                "UPDATE tandem_cvr_entry SET del_order = ? WHERE client_group_id = ? AND key = ?")) {
      int puts = 0;
      int dels = 0;
      for (Map.Entry<String, Change> entry : changes.entrySet()) {
        Change change = entry.getValue();
        if (change.op.op() == PatchOperation.Op.PUT) {
          put.setString(1, groupID);
          put.setString(2, entry.getKey());
          put.setLong(3, change.rowVersion);
          put.setLong(4, record.order);
          put.addBatch();
          if (++puts % 1000 == 0) put.executeBatch();
        } else {
          del.setLong(1, record.order);
          del.setString(2, groupID);
          del.setString(3, entry.getKey());
          del.addBatch();
          if (++dels % 1000 == 0) del.executeBatch();
        }
      }
      if (puts % 1000 != 0) put.executeBatch();
      if (dels % 1000 != 0) del.executeBatch();
    }
  }

  /**
   * Forgets the group's records up to {@code order}, and the tombstones deleted by them: a client
   * on a record still kept needs only the deletions after its own.
   */
  private static void collect(Connection connection, String groupID, long order)
      throws SQLException {
    try (PreparedStatement records =
            connection.prepareStatement(
                "DELETE FROM tandem_cvr WHERE client_group_id = ? AND cvr_order <= ?");
        PreparedStatement tombstones =
            connection.prepareStatement(
                "DELETE FROM tandem_cvr_entry WHERE client_group_id = ? AND del_order <= ?")) {
      records.setString(1, groupID);
      records.setLong(2, order);
      records.executeUpdate();
      tombstones.setString(1, groupID);
      tombstones.setLong(2, order);
      tombstones.executeUpdate();
    }
  }
}
