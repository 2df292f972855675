package dev.tandem.internal.db;

import java.io.Closeable;

/** Rows of a query, read forward once. Columns are 0-based. Not thread-safe. */
public interface SqlCursor extends Closeable {
  boolean next();

  String getString(int column);

  long getLong(int column);

  double getDouble(int column);

  boolean isNull(int column);

  /** The column as a double, or null if it is NULL. */
  default Double getDoubleOrNull(int column) {
    return isNull(column) ? null : getDouble(column);
  }

  /** The column as a long, or null if it is NULL. */
  default Long getLongOrNull(int column) {
    return isNull(column) ? null : getLong(column);
  }

  @Override
  void close();
}
