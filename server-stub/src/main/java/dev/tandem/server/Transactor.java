package dev.tandem.server;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * Runs units of work in transactions, retrying on serialization failures and deadlocks (Postgres)
 * and on SQLITE_BUSY. Write transactions first lock the global version row's table, so pushes run
 * one after another and each reads the version the previous one wrote: on Postgres with {@code LOCK
 * TABLE} before the repeatable-read snapshot is taken, on SQLite by a first write that takes the
 * database's write lock.
 */
final class Transactor {
  static final int MAX_ATTEMPTS = 10;

  interface Work<T> {
    T run(Connection connection) throws Exception;
  }

  /** Thrown by work to roll back and still return {@code result}. */
  static final class Rollback extends Exception {
    private static final long serialVersionUID = 1L;
    final transient Object result;

    Rollback(Object result) {
      super(null, null, false, false);
      this.result = result;
    }
  }

  private final Database database;

  Transactor(Database database) {
    this.database = database;
  }

  <T> T write(Work<T> work) throws Exception {
    return run(database.writes(), true, work);
  }

  <T> T read(Work<T> work) throws Exception {
    return run(database.reads(), false, work);
  }

  @SuppressWarnings("unchecked")
  private <T> T run(DataSource source, boolean write, Work<T> work) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try (Connection connection = source.getConnection()) {
        boolean postgres = database.dialect() == Dialect.POSTGRES;
        connection.setAutoCommit(false);
        try {
          begin(connection, postgres, write);
          T result = work.run(connection);
          connection.commit();
          return result;
        } catch (Rollback rollback) {
          connection.rollback();
          return (T) rollback.result;
        } catch (Exception | Error e) {
          rollbackQuietly(connection, e);
          if (attempt < MAX_ATTEMPTS && e instanceof SQLException && retryable((SQLException) e)) {
            backoff(attempt);
            continue;
          }
          throw e;
        } finally {
          connection.setAutoCommit(true);
        }
      }
    }
  }

  /**
   * The first statement of a transaction. On Postgres it sets the isolation in the same round trip
   * as the driver's BEGIN (no per-connection {@code setTransactionIsolation}, which costs a round
   * trip there and another when the pool resets it), and a write takes the lock before its
   * snapshot.
   */
  private static void begin(Connection connection, boolean postgres, boolean write)
      throws SQLException {
    String sql;
    if (postgres) {
      sql =
          write
              ? "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ;"
                  + " LOCK TABLE replicache_server IN EXCLUSIVE MODE"
              : "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";
    } else if (write) {
      sql = "UPDATE replicache_server SET version = version WHERE id = 1";
    } else {
      return; // SQLite: the first read takes the WAL snapshot.
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  static boolean retryable(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException) {
        SQLException sql = (SQLException) t;
        String state = sql.getSQLState();
        if ("40001".equals(state) || "40P01".equals(state)) return true; // Postgres
        int code = sql.getErrorCode() & 0xff;
        if (database(sql) && (code == 5 || code == 6)) return true; // SQLITE_BUSY, SQLITE_LOCKED
      }
    }
    return false;
  }

  private static boolean database(SQLException e) {
    return e.getClass().getName().startsWith("org.sqlite.");
  }

  private static void rollbackQuietly(Connection connection, Throwable cause) {
    try {
      connection.rollback();
    } catch (SQLException suppressed) {
      cause.addSuppressed(suppressed);
    }
  }

  private static void backoff(int attempt) throws InterruptedException {
    long ceiling = Math.min(100, 1L << attempt);
    Thread.sleep(ThreadLocalRandom.current().nextLong(1, ceiling + 1));
  }
}
