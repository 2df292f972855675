package dev.tandem.internal.db;

/**
 * A SQLite failure, with SQLite's primary result code ({@code SQLITE_BUSY} is 5, {@code
 * SQLITE_FULL} 13, {@code SQLITE_CORRUPT} 11; -1 when the driver did not say).
 */
public final class SqlException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int resultCode;

  public SqlException(String message, int resultCode, Throwable cause) {
    super(message, cause);
    this.resultCode = resultCode;
  }

  public int resultCode() {
    return resultCode;
  }
}
