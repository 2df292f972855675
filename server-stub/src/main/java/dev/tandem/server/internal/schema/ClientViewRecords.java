package dev.tandem.server.internal.schema;

import com.squareup.moshi.JsonReader;
import dev.tandem.protocol.Cookie;
import dev.tandem.protocol.PatchOperation;
import dev.tandem.protocol.RawJson;
import java.io.IOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okio.Buffer;

/**
 * Replicache's row-version strategy for an app with permissions: per client group, a client view
 * record (CVR) of which keys the group has at which row version ({@code _tandem_version}, the
 * version of the push that last wrote the row). A pull compares what its user may read now with the
 * record its cookie ({@code {"order": n, "cvrID": "…"}}) names, so rows that left the user's reach
 * are deleted and rows that entered it arrive, whatever moved them.
 *
 * <p>Only the group's latest record is kept whole, in {@code tandem_cvr_entry} (one row per key:
 * its row version, the record order that put it, the order that deleted it); {@code tandem_cvr}
 * lists every record issued (order, random ID, global version, permissions digest), so an older
 * cookie is served the difference since its record. A cookie this server did not issue to the group
 * (lost state, another group's, forged) gets {@code clear} and the whole view.
 */
public final class ClientViewRecords {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SchemaStorage storage;
  private final Access access;

  private final PokeFanOut fanOut;

  public ClientViewRecords(SchemaStorage storage, Access access) {
    this.storage = storage;
    this.access = access;
    this.fanOut = new PokeFanOut(storage, access);
  }

  /** Creates the record tables if missing. */
  public void migrate(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
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
      for (String sql : access.indexes()) statement.execute(sql);
      if (access.hasSubset()) {
        statement.execute(
            "CREATE TABLE IF NOT EXISTS tandem_subset (client_group_id TEXT PRIMARY KEY NOT NULL,"
                + " keys TEXT, version BIGINT NOT NULL)");
      }
    }
  }

  /** The pulling group's clients changed after a global version, with their last mutation IDs. */
  public interface Clients {
    Map<String, Long> changedAfter(long version) throws SQLException;
  }

  /** What a pull answers, beside the group's clients' last mutation IDs. */
  public static final class Result {
    /** The cookie to answer: a new record's, or the latest one's if nothing changed. */
    public final Cookie cookie;

    public final List<PatchOperation> patch;

    /**
     * The global version the request's record was made at: clients and refusals changed after it
     * are news to the client (0 when the cookie was unknown).
     */
    public final long since;

    /** Whether the patch was computed from every readable row (a clear, a lost or old record). */
    public final boolean full;

    /** The group's clients changed after {@link #since}: {@code lastMutationIDChanges}. */
    public final Map<String, Long> lastMutationIDChanges;

    Result(
        Cookie cookie,
        List<PatchOperation> patch,
        long since,
        boolean full,
        Map<String, Long> lastMutationIDChanges) {
      this.cookie = cookie;
      this.patch = patch;
      this.since = since;
      this.full = full;
      this.lastMutationIDChanges = lastMutationIDChanges;
    }
  }

  private static final class Record {
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
      return cookieOf(order, id);
    }
  }

  private static final class Entry {
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
  private static final class Change {
    final PatchOperation op;
    final long rowVersion;

    Change(PatchOperation op, long rowVersion) {
      this.op = op;
      this.rowVersion = rowVersion;
    }
  }

  static Cookie cookieOf(long order, String id) {
    return Cookie.parse("{\"order\":" + order + ",\"cvrID\":\"" + id + "\"}");
  }

  /**
   * Serves a pull of {@code groupID} for {@code userID} at global version {@code version}, inside a
   * write transaction that saw {@code version}: the patch since the record {@code cookie} names,
   * and a new record when the view or the group's clients ({@code clientsChangedAfter}) changed
   * since the latest one.
   *
   * @throws SQLException with SQL state 40001 (retry the pull) if a pull of the same group
   *     committed a record meanwhile.
   */
  public Result pull(
      Connection connection,
      String groupID,
      String userID,
      Cookie cookie,
      long version,
      Clients clients)
      throws SQLException {
    Object[] asked = parse(cookie); // {order, cvrID} or null
    Record[] records = records(connection, groupID, asked);
    Record latest = records[0];
    Record known = records[1];
    long since = known == null ? 0 : known.globalVersion;
    String subsetJson = access.hasSubset() ? ChosenSubsets.json(connection, groupID) : null;
    List<Object> subset = subsetJson == null ? null : ChosenSubsets.keys(subsetJson);
    // The record's digest: the permissions, and the subset chosen (a change recomputes the view).
    String digest = access.fingerprint() + (subsetJson == null ? "" : "/" + subsetJson);
    Map<String, Long> lastMutationIDs = clients.changedAfter(since);
    boolean full =
        known == null
            || !latest.permissions.equals(digest)
            || changedAfter(connection, access, latest.globalVersion);
    Map<String, Change> changes = new LinkedHashMap<>();
    List<PatchOperation> patch = new ArrayList<>();
    if (full) {
      Map<String, Entry> entries = entries(connection, groupID, null);
      if (known == null) patch.add(PatchOperation.clear());
      scanAll(connection, userID, subset, entries, changes, known == null ? patch : null);
    } else {
      scanChanged(connection, groupID, userID, subset, latest.globalVersion, changes);
    }
    if (known != null) {
      for (Change change : changes.values()) patch.add(change.op);
      if (known.order < latest.order) catchUp(connection, groupID, known.order, changes, patch);
    }
    boolean fresh =
        latest == null
            || known == null
            || !changes.isEmpty()
            || !latest.permissions.equals(digest)
            || !(known.order == latest.order
                    ? lastMutationIDs
                    : clients.changedAfter(latest.globalVersion))
                .isEmpty();
    Cookie answer;
    if (fresh) {
      long order = Math.max(latest == null ? 0 : latest.order, asked == null ? 0 : (Long) asked[0]);
      Record record = new Record(order + 1, newID(), version, digest);
      save(connection, groupID, record, changes);
      answer = record.cookie();
    } else {
      answer = latest.cookie();
    }
    return new Result(answer, patch, since, full, lastMutationIDs);
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

  /** True if clients may choose a subset ({@link dev.tandem.Subset}). */
  public boolean hasSubset() {
    return access.hasSubset();
  }

  /** The server's {@link dev.tandem.Subset#MUTATOR}: see {@link ChosenSubsets#mutator}. */
  public dev.tandem.server.Mutator subsetMutator() {
    return ChosenSubsets.mutator();
  }

  /** The request cookie's {order, cvrID} if it has that shape (an integer order), else null. */
  private static Object[] parse(Cookie cookie) {
    if (cookie.isNull()) return null;
    try {
      JsonReader reader = JsonReader.of(new Buffer().writeUtf8(cookie.toString()));
      if (reader.peek() != JsonReader.Token.BEGIN_OBJECT) return null;
      Object value = reader.readJsonValue();
      if (!(value instanceof Map)) return null;
      Object order = ((Map<?, ?>) value).get("order");
      Object id = ((Map<?, ?>) value).get("cvrID");
      if (!(order instanceof Double) || !(id instanceof String)) return null;
      double number = (Double) order;
      if (number < 0 || number > 1e15 || number != Math.rint(number)) return null;
      return new Object[] {(long) number, id};
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * The group's latest record and the one {@code asked} names ({@code {order, cvrID}}; null when it
   * is null or names no record of this group), in one query.
   */
  private static Record[] records(Connection connection, String groupID, Object[] asked)
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

  /** The group's entries, all of them or those of {@code keys}. */
  private static Map<String, Entry> entries(
      Connection connection, String groupID, List<String> keys) throws SQLException {
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
   * Reads every row the user may read: the changes against the latest record's {@code entries},
   * and, for a client starting from {@code clear}, every row into {@code everything}.
   */
  private void scanAll(
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
  private void scanChanged(
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
    Map<String, Entry> entries = entries(connection, groupID, new ArrayList<>(candidates.keySet()));
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
  private void catchUp(
      Connection connection,
      String groupID,
      long order,
      Map<String, Change> changes,
      List<PatchOperation> patch)
      throws SQLException {
    List<String> put = new ArrayList<>();
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
          if (changes.containsKey(key)) continue;
          rows.getLong(2);
          if (rows.wasNull()) put.add(key);
          else patch.add(PatchOperation.del(key));
        }
      }
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

  /**
   * How many of a group's latest records a cookie may name: an older cookie gets {@code clear} and
   * the whole view. Every {@code KEPT}-th record collects the older ones.
   */
  static final int KEPT = 16;

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

  /** Records {@code record} and applies {@code changes} to the group's entries. */
  private void save(
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
   * The client groups whose view the push that committed {@code version} may have changed, or null
   * for every group: see {@link PokeFanOut}.
   */
  public java.util.Set<String> groupsChangedAt(Connection connection, long version)
      throws SQLException {
    return fanOut.groups(connection, version);
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

  private static String newID() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
