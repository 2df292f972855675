package dev.tandem.internal.db;

import java.io.File;

/** Opens the {@link SqlDriver} for a database file: the JDBC one on the JVM, Android's there. */
public interface SqlDriverFactory {
  /**
   * @param fullSync {@code synchronous=FULL} instead of {@code NORMAL}.
   */
  SqlDriver open(File file, boolean fullSync);
}
