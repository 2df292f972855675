package dev.tandem.server;

import dev.tandem.protocol.Mutation;
import dev.tandem.protocol.PushRequest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one mutation of a push inside the push's transaction: its mutator by name, with a {@link
 * RealMutationContext}. Without savepoints a mutator that throws fails the run ({@link
 * MutatorFailed}: the push runs again with them); with them it is rolled back to its savepoint and
 * refused, its reason recorded for the group's next pull. A serialization failure or a busy
 * database under any exception is rethrown, to retry the whole push. Thread-safe.
 */
final class MutationRunner {
  private static final Logger log = LoggerFactory.getLogger("dev.tandem.server.push");

  private final Map<String, Mutator> mutators;
  private final Dialect dialect;

  MutationRunner(Map<String, Mutator> mutators, Dialect dialect) {
    this.mutators = mutators;
    this.dialect = dialect;
  }

  /** A mutator threw in a run without savepoints. */
  static final class MutatorFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MutatorFailed(Throwable cause) {
      super(cause);
    }
  }

  /**
   * Runs one mutation; false if it was refused (an unknown mutator, or one that threw and was
   * rolled back to its savepoint), which is recorded for the group's next pull.
   */
  boolean run(
      Connection connection,
      StatementCache statements,
      Mutation mutation,
      String userID,
      PushRequest push,
      long version,
      boolean savepoints)
      throws SQLException {
    Mutator mutator = mutators.get(mutation.name());
    if (mutator == null) {
      log.warn(
          "mutation {} of client {}: unknown mutator '{}', refused",
          mutation.id(),
          mutation.clientID(),
          mutation.name());
      Refusals.recordRefusal(
          statements, mutation, "unknown mutator '" + mutation.name() + "'", version);
      return false;
    }
    RealMutationContext context =
        new RealMutationContext(
            connection,
            statements,
            version,
            userID,
            mutation.clientID(),
            mutation.id(),
            push.schemaVersion(),
            push.clientGroupID(),
            dialect);
    if (!savepoints) {
      try {
        mutator.apply(context, mutation.args());
        return true;
      } catch (Exception e) {
        SQLException retry = retryable(e);
        if (retry != null) throw retry;
        throw new MutatorFailed(e);
      }
    }
    Savepoint savepoint = connection.setSavepoint();
    try {
      mutator.apply(context, mutation.args());
      connection.releaseSavepoint(savepoint);
      return true;
    } catch (Exception e) {
      SQLException retry = retryable(e);
      if (retry != null) throw retry; // Retry the whole push.
      connection.rollback(savepoint);
      logFailure(mutation, e);
      Refusals.recordRefusal(statements, mutation, reason(e), version);
      return false;
    }
  }

  /** A serialization failure or busy database under {@code e}, to retry the push on; or null. */
  private static SQLException retryable(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException && Transactor.retryable((SQLException) t)) {
        return (SQLException) t;
      }
    }
    return null;
  }

  /** What a refusal says: the exception's message (its class name if it has none), no stack. */
  static String reason(Exception e) {
    String message = e.getMessage();
    if (message == null || message.isEmpty()) message = e.getClass().getSimpleName();
    return message.length() <= 1000 ? message : message.substring(0, 997) + "...";
  }

  private static void logFailure(Mutation mutation, Exception e) {
    log.warn(
        "mutation {} of client {} ({}) failed and was refused: {}",
        mutation.id(),
        mutation.clientID(),
        mutation.name(),
        e.toString());
  }
}
