package dev.tandem.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Prepared statements shared by the mutations of one push transaction ({@link
 * MutationContext#statement}), so that SQL run by many mutations is compiled once per push: sqlite-
 * jdbc keeps no statement cache of its own. Closed, with its statements, when the transaction ends.
 * Not thread-safe: a push runs on one thread.
 */
final class StatementCache implements AutoCloseable {
  private final Connection connection;
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  StatementCache(Connection connection) {
    this.connection = connection;
  }

  /** The statement for {@code sql}, prepared on first use, with its parameters cleared. */
  PreparedStatement get(String sql) throws SQLException {
    PreparedStatement statement = statements.get(sql);
    if (statement == null) {
      statement = connection.prepareStatement(sql);
      statements.put(sql, statement);
    } else {
      statement.clearParameters();
    }
    return statement;
  }

  @Override
  public void close() throws SQLException {
    SQLException failure = null;
    for (PreparedStatement statement : statements.values()) {
      try {
        statement.close();
      } catch (SQLException e) {
        if (failure == null) failure = e;
        else failure.addSuppressed(e);
      }
    }
    statements.clear();
    if (failure != null) throw failure;
  }
}
