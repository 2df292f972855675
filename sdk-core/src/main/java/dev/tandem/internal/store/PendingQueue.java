package dev.tandem.internal.store;

import dev.tandem.internal.db.SqlConnection;
import dev.tandem.internal.db.SqlCursor;
import dev.tandem.protocol.RawJson;
import java.util.ArrayList;
import java.util.List;

/** {@code tandem_pending}: mutations not yet confirmed, in the order they were made. */
public final class PendingQueue {
  private PendingQueue() {}

  /**
   * Queues {@code pending} at its position {@code pending.seq} (past every position in use: {@link
   * LocalStore} numbers the queue) with its undo entries ({@link UndoLog#encode}; null if none).
   */
  static void add(SqlConnection db, Pending pending, String undo) {
    db.execute(
        "INSERT INTO tandem_pending"
            + " (seq, client_id, id, name, args, timestamp, schema_version, undo)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        pending.seq,
        pending.clientID,
        pending.id,
        pending.name,
        pending.args.toString(),
        pending.timestamp,
        pending.schemaVersion,
        undo);
  }

  /**
   * Pending mutations after position {@code afterSeq} (0 for all), in the order they were made, at
   * most {@code limit}.
   */
  public static List<Pending> after(SqlConnection db, long afterSeq, int limit) {
    List<Pending> result = new ArrayList<>();
    try (SqlCursor cursor =
        db.query(SELECT + " WHERE seq > ? ORDER BY seq LIMIT ?", afterSeq, (long) limit)) {
      while (cursor.next()) result.add(read(cursor));
    }
    return result;
  }

  /** Which mutations are pending, in order: their client IDs and IDs only. */
  public static List<Pending> refs(SqlConnection db) {
    return refs(db, 0);
  }

  /** {@link #refs} after queue position {@code afterSeq}. */
  public static List<Pending> refs(SqlConnection db, long afterSeq) {
    List<Pending> result = new ArrayList<>();
    try (SqlCursor cursor =
        db.query(
            "SELECT seq, client_id, id FROM tandem_pending WHERE seq > ? ORDER BY seq", afterSeq)) {
      while (cursor.next()) {
        result.add(
            new Pending(
                cursor.getLong(0), cursor.getString(1), cursor.getLong(2), null, null, 0, null));
      }
    }
    return result;
  }

  /** The queue position of the newest pending mutation, 0 if none is pending. */
  public static long lastSeq(SqlConnection db) {
    try (SqlCursor cursor = db.query("SELECT MAX(seq) FROM tandem_pending")) {
      return cursor.next() && !cursor.isNull(0) ? cursor.getLong(0) : 0;
    }
  }

  /** The queue position of the oldest pending mutation, {@link Long#MAX_VALUE} if none is. */
  public static long oldestSeq(SqlConnection db) {
    try (SqlCursor cursor = db.query("SELECT MIN(seq) FROM tandem_pending")) {
      return cursor.next() && !cursor.isNull(0) ? cursor.getLong(0) : Long.MAX_VALUE;
    }
  }

  /** Gives the pending mutation at {@code seq} a new client and mutation ID. */
  public static void renumber(SqlConnection db, long seq, String clientID, long id) {
    db.execute("UPDATE tandem_pending SET client_id = ?, id = ? WHERE seq = ?", clientID, id, seq);
  }

  /**
   * The pending mutation {@code id} of {@code clientID}, or null. The queue has no index on IDs (it
   * would cost every commit a page): this scans it.
   */
  public static Pending find(SqlConnection db, String clientID, long id) {
    try (SqlCursor cursor = db.query(SELECT + " WHERE client_id = ? AND id = ?", clientID, id)) {
      return cursor.next() ? read(cursor) : null;
    }
  }

  /** The pending mutation at queue position {@code seq}, or null. */
  public static Pending at(SqlConnection db, long seq) {
    try (SqlCursor cursor = db.query(SELECT + " WHERE seq = ?", seq)) {
      return cursor.next() ? read(cursor) : null;
    }
  }

  private static final String SELECT =
      "SELECT seq, client_id, id, name, args, timestamp, schema_version FROM tandem_pending";

  private static Pending read(SqlCursor cursor) {
    return new Pending(
        cursor.getLong(0),
        cursor.getString(1),
        cursor.getLong(2),
        cursor.getString(3),
        RawJson.parse(cursor.getString(4)),
        cursor.getDouble(5),
        cursor.getString(6));
  }

  public static long count(SqlConnection db) {
    try (SqlCursor cursor = db.query("SELECT COUNT(*) FROM tandem_pending")) {
      cursor.next();
      return cursor.getLong(0);
    }
  }

  /** The highest mutation ID {@code clientID} has used, pending or confirmed; 0 if none. */
  static long lastMutationID(SqlConnection db, String clientID) {
    try (SqlCursor cursor =
        db.query(
            // A client's IDs grow with the queue position: its newest record has the highest.
            "SELECT MAX(m) FROM (SELECT (SELECT id FROM tandem_pending WHERE client_id = ?"
                + " ORDER BY seq DESC LIMIT 1) AS m"
                + " UNION ALL SELECT last_mutation_id FROM tandem_confirmed WHERE client_id = ?)",
            clientID,
            clientID)) {
      return cursor.next() && !cursor.isNull(0) ? cursor.getLong(0) : 0;
    }
  }

  /** Removes every pending mutation made with {@code schemaVersion}; returns them, in order. */
  public static List<Pending> removeVersion(SqlConnection db, String schemaVersion) {
    List<Pending> removed = new ArrayList<>();
    try (SqlCursor cursor =
        db.query(SELECT + " WHERE schema_version = ? ORDER BY seq", schemaVersion)) {
      while (cursor.next()) removed.add(read(cursor));
    }
    db.execute("DELETE FROM tandem_pending WHERE schema_version = ?", schemaVersion);
    return removed;
  }

  /**
   * Drops the mutations of {@code clientID} the server has confirmed; returns how many. {@code
   * upToSeq} is where the caller knows the last of them is (every mutation a pull confirms is in
   * its snapshot of the queue): the queue has no index on IDs, so the delete reads only up to
   * there, then checks the client's next record; should that one be confirmed too, the whole queue
   * is searched.
   */
  public static int dropConfirmed(
      SqlConnection db, String clientID, long lastMutationID, long upToSeq) {
    int dropped =
        db.execute(
            "DELETE FROM tandem_pending WHERE seq <= ? AND client_id = ? AND id <= ?",
            upToSeq,
            clientID,
            lastMutationID);
    boolean more;
    try (SqlCursor next =
        db.query(
            "SELECT id FROM tandem_pending WHERE seq > ? AND client_id = ? ORDER BY seq LIMIT 1",
            upToSeq,
            clientID)) {
      more = next.next() && next.getLong(0) <= lastMutationID;
    }
    if (more) {
      dropped +=
          db.execute(
              "DELETE FROM tandem_pending WHERE client_id = ? AND id <= ?",
              clientID,
              lastMutationID);
    }
    return dropped;
  }
}
