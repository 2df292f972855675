package dev.tandem.server.internal.schema;

import dev.tandem.protocol.Cookie;
import dev.tandem.protocol.PatchOperation;
import dev.tandem.server.internal.schema.CvrStore.Change;
import dev.tandem.server.internal.schema.CvrStore.Entry;
import dev.tandem.server.internal.schema.CvrStore.Record;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 *
 * <p>The records' tables are {@link CvrStore}'s, the cookie's shape {@link CvrCookie}'s, and the
 * comparison of the readable rows with a record {@link ViewScan}'s; this class decides per pull
 * which comparison to run and whether to issue a new record.
 */
public final class ClientViewRecords {
  private final Access access;
  private final ViewScan scan;

  private final PokeFanOut fanOut;

  public ClientViewRecords(SchemaStorage storage, Access access) {
    this.access = access;
    this.scan = new ViewScan(storage, access);
    this.fanOut = new PokeFanOut(storage, access);
  }

  /** Creates the record tables if missing. */
  public void migrate(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      CvrStore.create(statement);
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
    Object[] asked = CvrCookie.parse(cookie); // {order, cvrID} or null
    Record[] records = CvrStore.records(connection, groupID, asked);
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
            || ViewScan.changedAfter(connection, access, latest.globalVersion);
    Map<String, Change> changes = new LinkedHashMap<>();
    List<PatchOperation> patch = new ArrayList<>();
    if (full) {
      Map<String, Entry> entries = CvrStore.entries(connection, groupID, null);
      if (known == null) patch.add(PatchOperation.clear());
      scan.scanAll(connection, userID, subset, entries, changes, known == null ? patch : null);
    } else {
      scan.scanChanged(connection, groupID, userID, subset, latest.globalVersion, changes);
    }
    if (known != null) {
      for (Change change : changes.values()) patch.add(change.op);
      if (known.order < latest.order)
        scan.catchUp(connection, groupID, known.order, changes, patch);
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
      Record record = new Record(order + 1, CvrCookie.newID(), version, digest);
      CvrStore.save(connection, groupID, record, changes);
      answer = record.cookie();
    } else {
      answer = latest.cookie();
    }
    return new Result(answer, patch, since, full, lastMutationIDs);
  }

  /** True if clients may choose a subset ({@link dev.tandem.Subset}). */
  public boolean hasSubset() {
    return access.hasSubset();
  }

  /** The server's {@link dev.tandem.Subset#MUTATOR}: see {@link ChosenSubsets#mutator}. */
  public dev.tandem.server.Mutator subsetMutator() {
    return ChosenSubsets.mutator();
  }

  /**
   * The client groups whose view the push that committed {@code version} may have changed, or null
   * for every group: see {@link PokeFanOut}.
   */
  public java.util.Set<String> groupsChangedAt(Connection connection, long version)
      throws SQLException {
    return fanOut.groups(connection, version);
  }
}
