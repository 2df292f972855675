package dev.tandem.server;

import java.sql.Connection;

/** What a {@link Mutator} may use: the transaction, the version it writes, and who asked. */
public interface MutationContext {
  /** The push transaction's connection. Do not commit, roll back or close it. */
  Connection connection();

  /** The global version this push commits at: stamp it on every row you change. */
  long version();

  /** The authenticated user that sent the push. */
  String userID();

  /** The client that made the mutation. */
  String clientID();

  Dialect dialect();
}
