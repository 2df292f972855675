package dev.tandem.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The {@link MutationContext} each server {@link Mutator} runs with: one mutation of a push, on the
 * push transaction's connection, with the push's statements and version. Not thread-safe.
 */
final class RealMutationContext implements MutationContext {
  private final Connection connection;
  private final StatementCache statements;
  private final long version;
  private final String userID;
  private final String clientID;
  private final long mutationID;
  private final String schemaVersion;
  private final String clientGroupID;
  private final Dialect dialect;

  RealMutationContext(
      Connection connection,
      StatementCache statements,
      long version,
      String userID,
      String clientID,
      long mutationID,
      String schemaVersion,
      String clientGroupID,
      Dialect dialect) {
    this.clientGroupID = clientGroupID;
    this.connection = connection;
    this.statements = statements;
    this.version = version;
    this.userID = userID;
    this.clientID = clientID;
    this.mutationID = mutationID;
    this.schemaVersion = schemaVersion;
    this.dialect = dialect;
  }

  @Override
  public String schemaVersion() {
    return schemaVersion;
  }

  @Override
  public String clientGroupID() {
    return clientGroupID;
  }

  @Override
  public long mutationID() {
    return mutationID;
  }

  @Override
  public Connection connection() {
    return connection;
  }

  @Override
  public PreparedStatement statement(String sql) throws SQLException {
    return statements.get(sql);
  }

  @Override
  public long version() {
    return version;
  }

  @Override
  public String userID() {
    return userID;
  }

  @Override
  public String clientID() {
    return clientID;
  }

  @Override
  public Dialect dialect() {
    return dialect;
  }
}
