package dev.tandem.internal.db;

import java.io.Closeable;

/**
 * The seam between Tandem's store and a SQLite implementation: xerial sqlite-jdbc on the JVM
 * ({@link JdbcSqlDriver}), {@code android.database.sqlite} on Android. One writer connection, used
 * only under the store's write lock, and reader connections for queries that run while it writes
 * (WAL mode).
 */
public interface SqlDriver extends Closeable {
  /** The one connection that writes. Callers serialize its use. */
  SqlConnection writer();

  /** A connection for reading; give it back with {@link #releaseReader}. Thread-safe. */
  SqlConnection acquireReader();

  void releaseReader(SqlConnection reader);

  /** Closes every connection. */
  @Override
  void close();
}
