package dev.tandem.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** What a {@link Mutator} may use: the transaction, the version it writes, and who asked. */
public interface MutationContext {
  /** The push transaction's connection. Do not commit, roll back or close it. */
  Connection connection();

  /**
   * A prepared statement for {@code sql} on {@link #connection()}, shared by every mutation of the
   * push that asks for the same SQL, with its parameters cleared: a push of many mutations compiles
   * each statement once instead of once per mutation (sqlite-jdbc caches no statements). Do not
   * close it; the push closes it when its transaction ends.
   *
   * <pre>{@code
   * PreparedStatement insert = context.statement("INSERT INTO todo (id, title, version) VALUES (?, ?, ?)");
   * insert.setString(1, args.id);
   * ...
   * insert.executeUpdate();
   * }</pre>
   */
  PreparedStatement statement(String sql) throws SQLException;

  /** The global version this push commits at: stamp it on every row you change. */
  long version();

  /**
   * The authenticated user that sent the push: what the {@link Authenticator} made of its {@code
   * Authorization} header, the same for every mutation of the push. Use it for authority (who may
   * change a row), never a user named in the args: {@link ChatDomain} refuses a message whose
   * {@code from} is someone else, and changes to another user's message.
   */
  String userID();

  /** The client that made the mutation. */
  String clientID();

  /** The client group of the push (null where a context has none). */
  default String clientGroupID() {
    return null;
  }

  /** The mutation's ID, counted per client from 1. */
  long mutationID();

  /** The {@code schemaVersion} of the push: the app version the client made the mutation with. */
  String schemaVersion();

  Dialect dialect();
}
