package dev.tandem.server.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The push's own statements (its first statement, the client row's update and insert) and the
 * schema-driven storage's fixed statements, prepared once per physical connection and kept while it
 * is open: sqlite-jdbc keeps no statement cache, so preparing them per push compiled the same SQL
 * on every push. Callers close result sets, never the statements.
 *
 * <p>Statements are prepared on the connection under the pool's proxy ({@link Connection#unwrap}),
 * which would otherwise close them when the pooled connection is handed back. Entries for
 * connections the pool has closed are dropped when a new connection turns up. Thread-safe; a
 * connection, and so its statements, is used by one thread at a time.
 */
public final class KeptStatements {
  private final Map<Connection, Map<String, PreparedStatement>> byConnection =
      Collections.synchronizedMap(new IdentityHashMap<>());

  /** The statement for {@code sql} on {@code connection}'s physical connection. */
  public PreparedStatement get(Connection connection, String sql) throws SQLException {
    Connection physical =
        connection.isWrapperFor(Connection.class)
            ? connection.unwrap(Connection.class)
            : connection;
    Map<String, PreparedStatement> statements = byConnection.get(physical);
    if (statements == null) {
      forgetClosedConnections();
      statements = new ConcurrentHashMap<>();
      byConnection.put(physical, statements);
    }
    PreparedStatement statement = statements.get(sql);
    if (statement == null || statement.isClosed()) {
      statement = physical.prepareStatement(sql);
      statements.put(sql, statement);
    }
    return statement;
  }

  private void forgetClosedConnections() {
    synchronized (byConnection) {
      byConnection.keySet().removeIf(KeptStatements::closed);
    }
  }

  private static boolean closed(Connection connection) {
    try {
      return connection.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }
}
