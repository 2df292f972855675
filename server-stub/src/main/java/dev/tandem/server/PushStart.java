package dev.tandem.server;

import dev.tandem.server.internal.KeptStatements;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A push's first statement (the version step with the reads the push needs, in one round trip) and
 * what it read.
 */
final class PushStart {
  /** The version this push commits at, if it commits anything. */
  final long version;

  /** The group's owner; null if the group is new. */
  final String owner;

  /** The first client's row; null if the client is new or there was no client. */
  final Clients.ClientRow client;

  /** When the group last pushed or pulled (epoch ms, coarse); 0 if the group is new. */
  final long lastActive;

  /**
   * True if the statement already wrote the first client's row (Postgres): its last mutation ID is
   * now the speculated one, at {@link #version}; {@link #client} holds the row as it was, and
   * {@link #clientVersion} its version then.
   */
  final boolean speculated;

  final long clientVersion;

  PushStart(
      long version,
      String owner,
      Clients.ClientRow client,
      long lastActive,
      boolean speculated,
      long clientVersion) {
    this.version = version;
    this.owner = owner;
    this.client = client;
    this.lastActive = lastActive;
    this.speculated = speculated;
    this.clientVersion = clientVersion;
  }

  /**
   * A push's first statement (after {@link Transactor#locking}): moves the global version up by one
   * and reads, in the same round trip, the group's owner and the first client's row. On SQLite the
   * reads are subqueries of the {@code UPDATE}'s {@code RETURNING} (sqlite-jdbc runs one statement
   * per prepared statement). On Postgres they are a {@code SELECT} of their own in the same
   * statement: as subqueries of the {@code UPDATE} they made a push cost about half again as much
   * CPU once 8 clients queued for the lock (measured; the cause is not known).
   *
   * <p>On Postgres the statement also writes the first client's row ahead of the mutations: its
   * last mutation ID becomes the push's last mutation of that client, at the new version, if the
   * row is of the push's group and below it ({@link #speculated}). That is what the push records in
   * the common case (no gap, nothing resent), so the push then writes the row no more; otherwise it
   * writes it again ({@link Clients#saveClients}, {@link Clients#updateClient}). One round trip
   * less per push; the reads come before the write, so they see the row as it was.
   */
  static String sql(Dialect dialect) {
    return sql(dialect, false);
  }

  /**
   * {@link #sql(Dialect)}, on Postgres followed by {@link PokeRelay#notifySql} when {@code notify}:
   * the poke of other instances is sent by the push transaction itself, on commit.
   */
  static String sql(Dialect dialect, boolean notify) {
    String update =
        "UPDATE replicache_server SET version = version + 1 WHERE id = 1 RETURNING version";
    String reads =
        "(SELECT user_id FROM replicache_client_group WHERE id = ?),"
            + " (SELECT client_group_id FROM replicache_client WHERE id = ?),"
            + " (SELECT last_mutation_id FROM replicache_client WHERE id = ?),"
            + " (SELECT last_active FROM replicache_client_group WHERE id = ?)";
    if (dialect != Dialect.POSTGRES) return update + ", " + reads;
    String speculate =
        "UPDATE replicache_client SET last_mutation_id = ?,"
            + " version = (SELECT version FROM replicache_server WHERE id = 1)"
            + " WHERE id = ? AND client_group_id = ? AND last_mutation_id < ?";
    return update
        + "; SELECT "
        + reads
        + ", (SELECT version FROM replicache_client WHERE id = ?); "
        + speculate
        + (notify ? "; " + PokeRelay.notifySql() : "");
  }

  /**
   * Runs {@code sql}, a {@link #sql} statement after {@link Transactor#locking}, for {@code
   * groupID} and {@code clientID} (may be null); {@code instanceID} is the notification's sender
   * when {@code sql} notifies, else null. On Postgres ({@code dialect}), {@code speculate} is the
   * last mutation ID the push would record for {@code clientID} if all goes as usual (0 for none).
   */
  static PushStart run(
      KeptStatements kept,
      Connection connection,
      Dialect dialect,
      String sql,
      String groupID,
      String clientID,
      long speculate,
      String instanceID)
      throws SQLException {
    PreparedStatement statement = kept.get(connection, sql);
    statement.setString(1, groupID);
    statement.setString(2, clientID);
    statement.setString(3, clientID);
    statement.setString(4, groupID);
    int next = 5;
    boolean postgres = dialect == Dialect.POSTGRES;
    if (postgres) {
      statement.setString(5, clientID);
      statement.setLong(6, speculate);
      statement.setString(7, clientID);
      statement.setString(8, groupID);
      statement.setLong(9, speculate);
      next = 10;
    }
    if (instanceID != null) statement.setString(next, instanceID);
    long version;
    String owner;
    String group;
    long lastMutationID;
    long lastActive;
    long clientVersion = 0;
    boolean speculated = false;
    ResultSet rows = nextRows(statement, statement.execute());
    try {
      if (!rows.next()) throw new SQLException("replicache_server has no version row");
      version = rows.getLong(1);
      int column = 2;
      if (postgres) { // The reads come next, then the first client's write.
        rows.close();
        rows = nextRows(statement, statement.getMoreResults());
        rows.next();
        column = 1;
      }
      owner = rows.getString(column);
      group = rows.getString(column + 1);
      lastMutationID = rows.getLong(column + 2);
      lastActive = rows.getLong(column + 3);
      if (postgres) {
        clientVersion = rows.getLong(column + 4);
        rows.close();
        if (statement.getMoreResults()) throw new SQLException("expected the client's update");
        speculated = statement.getUpdateCount() == 1;
      }
    } finally {
      rows.close();
    }
    return new PushStart(
        version,
        owner,
        group == null ? null : new Clients.ClientRow(group, lastMutationID),
        lastActive,
        speculated,
        clientVersion);
  }

  /** The next result set of {@code statement}, past update counts. */
  private static ResultSet nextRows(PreparedStatement statement, boolean rowsNext)
      throws SQLException {
    while (!rowsNext) {
      rowsNext = statement.getMoreResults();
      if (!rowsNext && statement.getUpdateCount() == -1) {
        throw new SQLException("the push's first statement returned too few results");
      }
    }
    return statement.getResultSet();
  }
}
