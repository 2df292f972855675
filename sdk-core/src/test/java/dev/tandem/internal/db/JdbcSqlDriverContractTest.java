package dev.tandem.internal.db;

import java.io.File;

/** The store contract on xerial sqlite-jdbc. */
public class JdbcSqlDriverContractTest extends SqlDriverContract {
  @Override
  protected SqlDriver open(File file, boolean fullSync) {
    return new JdbcSqlDriver(file, fullSync);
  }
}
