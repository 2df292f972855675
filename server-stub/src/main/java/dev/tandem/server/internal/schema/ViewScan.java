package dev.tandem.server.internal.schema;

import dev.tandem.protocol.PatchOperation;
import dev.tandem.protocol.RawJson;
import dev.tandem.server.internal.schema.CvrStore.Change;
import dev.tandem.server.internal.schema.CvrStore.Entry;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a pull finds what changed in a group's view: the rows its user may read now (in the chosen
 * subset) compared with the record's entries, either every readable row ({@link #scanAll}) or only
 * the rows that may have changed since the latest record ({@link #scanChanged}), and for an older
 * record what the records after it changed ({@link #catchUp}).
 */
final class ViewScan {
  private final SchemaStorage storage;
  private final Access access;

  ViewScan(SchemaStorage storage, Access access) {
    this.storage = storage;
    this.access = access;
  }

  /** True if a table whose change may move rows of other tables out of reach changed. */
  static boolean changedAfter(Connection connection, Access access, long since)
      throws SQLException {
    for (ServerTable table : access.recomputeAll()) {
      try (PreparedStatement statement =
          connection.prepareStatement(
              "SELECT 1 FROM "
                  + table.sqlName
                  + " WHERE "
                  + ServerTable.VERSION
                  + " > ? LIMIT 1")) {
        statement.setLong(1, since);
        try (ResultSet rows = statement.executeQuery()) {
          if (rows.next()) return true;
        }
      }
    }
    return false;
  }

  /**
   * What {@code user} may read of {@code table} ({@code t}) and, if one is chosen, in its subset.
   */
  private String visible(ServerTable table, String user, List<Object> subset, List<Object> args) {
    String readable = access.readable(table, "t", user, args);
    if (readable.equals("1 = 0")) return readable;
    String in = access.inSubset(table, "t", subset, args);
    return in == null ? readable : "(" + readable + " AND " + in + ")";
  }

  /**
   * Reads every row the user may read: the changes against the latest record's {@code entries},
   * and, for a client starting from {@code clear}, every row into {@code everything}.
   */
  void scanAll(
      Connection connection,
      String userID,
      List<Object> subset,
      Map<String, Entry> entries,
      Map<String, Change> changes,
      List<PatchOperation> everything)
      throws SQLException {
    Map<String, Boolean> seen = new HashMap<>();
    for (ServerTable table : storage.tables()) {
      List<Object> args = new ArrayList<>();
      args.add(Boolean.FALSE);
      String readable = visible(table, userID, subset, args);
      if (readable.equals("1 = 0")) continue;
      String sql =
          "SELECT "
              + table.selectList("t.")
              + ", t."
              + ServerTable.VERSION
              + " FROM "
              + table.sqlName
              + " AS t WHERE t."
              + ServerTable.DELETED
              + " = ? AND "
              + readable;
      int versionAt = table.table.columns().size() + 2;
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        GrantSql.bind(statement, args);
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            long rowVersion = rows.getLong(versionAt);
            String key = table.keyAt(rows, 1);
            seen.put(key, Boolean.TRUE);
            Entry entry = entries.get(key);
            boolean changed = entry == null || !entry.live() || entry.rowVersion != rowVersion;
            if (!changed && everything == null) continue;
            PatchOperation put = PatchOperation.put(key, json(table, rows));
            if (changed) changes.put(key, new Change(put, rowVersion));
            if (everything != null) everything.add(put);
          }
        }
      }
    }
    for (Map.Entry<String, Entry> entry : entries.entrySet()) {
      if (entry.getValue().live() && !seen.containsKey(entry.getKey())) {
        changes.put(entry.getKey(), new Change(PatchOperation.del(entry.getKey()), 0));
      }
    }
  }

  /**
   * The changes since the latest record from the rows that may have changed: those written after
   * it, and those under a changed row of their grants' paths or a changed membership.
   */
  void scanChanged(
      Connection connection,
      String groupID,
      String userID,
      List<Object> subset,
      long since,
      Map<String, Change> out)
      throws SQLException {
    Map<String, Object[]> candidates = new LinkedHashMap<>(); // key -> {readable, version, put}
    for (ServerTable table : storage.tables()) {
      List<String[]> sources = new ArrayList<>();
      sources.add(new String[] {table.sqlName + " AS t", "t." + ServerTable.VERSION + " > ?"});
      sources.addAll(access.reachSources(table));
      // One statement per table: the sources' rows, each with whether the user may read it.
      List<Object> args = new ArrayList<>();
      StringBuilder sql = new StringBuilder();
      for (String[] source : sources) {
        if (sql.length() > 0) sql.append(" UNION ALL ");
        args.add(Boolean.FALSE);
        String readable = visible(table, userID, subset, args);
        args.add(since);
        sql.append("SELECT ")
            .append(table.selectList("t."))
            .append(", t.")
            .append(ServerTable.VERSION)
            .append(", CASE WHEN t.")
            .append(ServerTable.DELETED)
            .append(" = ? AND ")
            .append(readable)
            .append(" THEN 1 ELSE 0 END FROM ")
            .append(source[0])
            .append(" WHERE ")
            .append(source[1]);
      }
      int versionAt = table.table.columns().size() + 2;
      try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
        GrantSql.bind(statement, args);
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            String key = table.keyAt(rows, 1);
            if (candidates.containsKey(key)) continue;
            boolean readableNow = rows.getInt(versionAt + 1) == 1;
            long rowVersion = rows.getLong(versionAt);
            PatchOperation put = readableNow ? PatchOperation.put(key, json(table, rows)) : null;
            candidates.put(key, new Object[] {readableNow, rowVersion, put});
          }
        }
      }
    }
    if (candidates.isEmpty()) return;
    Map<String, Entry> entries =
        CvrStore.entries(connection, groupID, new ArrayList<>(candidates.keySet()));
    for (Map.Entry<String, Object[]> candidate : candidates.entrySet()) {
      String key = candidate.getKey();
      Entry entry = entries.get(key);
      boolean readable = (Boolean) candidate.getValue()[0];
      long rowVersion = (Long) candidate.getValue()[1];
      if (readable) {
        if (entry == null || !entry.live() || entry.rowVersion != rowVersion) {
          out.put(key, new Change((PatchOperation) candidate.getValue()[2], rowVersion));
        }
      } else if (entry != null && entry.live()) {
        out.put(key, new Change(PatchOperation.del(key), 0));
      }
    }
  }

  /**
   * For a client whose record is older than the latest: what changed between its record and the
   * latest, beside {@code changes} (since the latest). A key the latest record has (unchanged
   * since) is put again; a key it deleted is deleted.
   */
  void catchUp(
      Connection connection,
      String groupID,
      long order,
      Map<String, Change> changes,
      List<PatchOperation> patch)
      throws SQLException {
    List<String> put = new ArrayList<>();
    for (Map.Entry<String, Boolean> changed :
        CvrStore.changedSince(connection, groupID, order, changes).entrySet()) {
      if (changed.getValue()) patch.add(PatchOperation.del(changed.getKey()));
      else put.add(changed.getKey());
    }
    for (String key : put) {
      ServerTable table = storage.tableOf(key);
      Object[] keyValues = table.parseKey(key);
      try (PreparedStatement select = connection.prepareStatement(table.selectByKey)) {
        table.setKey(select, 1, keyValues);
        try (ResultSet rows = select.executeQuery()) {
          if (rows.next()) patch.add(PatchOperation.put(key, json(table, rows)));
        }
      }
    }
  }

  private static RawJson json(ServerTable table, ResultSet rows) {
    return RawJson.build(writer -> writeRow(table, rows, writer));
  }

  private static void writeRow(ServerTable table, ResultSet rows, com.squareup.moshi.JsonWriter w)
      throws IOException {
    try {
      table.writeJson(rows, 1, w);
    } catch (SQLException e) {
      throw new IOException(e);
    }
  }
}
