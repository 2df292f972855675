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
 * database's write lock. {@link #write} takes that lock with a statement of its own; {@link
 * #writeLocking} leaves it to the work's first statement, built with {@link #locking}.
 */
final class Transactor {
  static final int MAX_ATTEMPTS = 10;

  /** Postgres: a write's isolation and lock, taken before its snapshot. */
  private static final String POSTGRES_WRITE =
      "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ;"
          + " LOCK TABLE replicache_server IN EXCLUSIVE MODE";

  /** SQLite: a write that takes the database's write lock and changes nothing. */
  private static final String SQLITE_WRITE =
      "UPDATE replicache_server SET version = version WHERE id = 1";

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

  private enum Begin {
    READ,
    WRITE,
    /** A write whose work's first statement takes the lock ({@link #locking}). */
    WRITE_BY_WORK,
    /** A write without the lock, at the database's default isolation. */
    PLAIN
  }

  private final Database database;

  Transactor(Database database) {
    this.database = database;
  }

  /** Runs {@code work} in a write transaction, after taking the push lock. */
  <T> T write(Work<T> work) throws Exception {
    return run(database.writes(), Begin.WRITE, work);
  }

  /**
   * Runs {@code work} in a write transaction whose first statement, which {@code work} must send
   * before any other, is {@link #locking}{@code (sql)}: the lock then costs no statement (SQLite)
   * or round trip (Postgres) of its own.
   */
  <T> T writeLocking(Work<T> work) throws Exception {
    return run(database.writes(), Begin.WRITE_BY_WORK, work);
  }

  /**
   * Runs {@code work} in a write transaction that does not take the push lock: for a small write
   * that needs no order among pushes (a group's activity time). On SQLite the writer connection
   * still serializes it.
   */
  <T> T writeUnlocked(Work<T> work) throws Exception {
    return run(database.writes(), Begin.PLAIN, work);
  }

  /** Runs {@code work} in a read-only transaction (one consistent snapshot). */
  <T> T read(Work<T> work) throws Exception {
    return run(database.reads(), Begin.READ, work);
  }

  /**
   * The first statement of a {@link #writeLocking} transaction: {@code sql}, which must start by
   * writing (an {@code UPDATE} of {@code replicache_server}, say) so that on SQLite it takes the
   * write lock before it reads; on Postgres preceded, in the same round trip, by the isolation
   * level and the lock. The statement then yields update counts before {@code sql}'s results.
   */
  String locking(String sql) {
    return database.dialect() == Dialect.POSTGRES ? POSTGRES_WRITE + "; " + sql : sql;
  }

  @SuppressWarnings("unchecked")
  private <T> T run(DataSource source, Begin begin, Work<T> work) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try (Connection connection = source.getConnection()) {
        boolean postgres = database.dialect() == Dialect.POSTGRES;
        connection.setAutoCommit(false);
        try {
          begin(connection, postgres, begin);
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
  private static void begin(Connection connection, boolean postgres, Begin begin)
      throws SQLException {
    String sql;
    switch (begin) {
      case WRITE:
        sql = postgres ? POSTGRES_WRITE : SQLITE_WRITE;
        break;
      case READ:
        if (!postgres) return; // SQLite: the first read takes the WAL snapshot.
        sql = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";
        break;
      default:
        return; // WRITE_BY_WORK: the work's first statement locks. PLAIN: nothing to say.
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
