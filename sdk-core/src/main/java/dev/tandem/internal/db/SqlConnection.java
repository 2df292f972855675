package dev.tandem.internal.db;

/**
 * One SQLite connection. Arguments bind in order and may be null, {@link String}, {@link Long},
 * {@link Integer}, {@link Double}, {@link Boolean} or {@code byte[]}. Not thread-safe.
 *
 * @see SqlException for the errors every method throws.
 */
public interface SqlConnection {
  /** Runs a statement; returns the number of rows it changed. */
  int execute(String sql, Object... args);

  /** Runs one statement once per argument list, as a batch. */
  void executeBatch(String sql, java.util.List<Object[]> argsList);

  /** Runs a query; close the cursor when done. */
  SqlCursor query(String sql, Object... args);

  /** Begins a transaction: {@code BEGIN IMMEDIATE} on the writer, a deferred one on readers. */
  void begin();

  void commit();

  void rollback();

  boolean inTransaction();

  /** Opens a savepoint inside the current transaction. */
  void savepoint(String name);

  /** Keeps what happened since the savepoint and forgets the savepoint. */
  void releaseSavepoint(String name);

  /** Undoes what happened since the savepoint, which stays open. */
  void rollbackToSavepoint(String name);
}
