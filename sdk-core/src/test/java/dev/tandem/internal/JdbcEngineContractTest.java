package dev.tandem.internal;

import dev.tandem.internal.db.JdbcSqlDriver;
import dev.tandem.internal.db.SqlDriver;
import java.io.File;

/** The engine contract on sqlite-jdbc. */
public class JdbcEngineContractTest extends EngineContract {
  @Override
  protected SqlDriver open(File file) {
    return new JdbcSqlDriver(file, false);
  }
}
