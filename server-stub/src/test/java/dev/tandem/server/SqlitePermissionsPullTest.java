package dev.tandem.server;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqlitePermissionsPullTest extends PermissionsPullContractTest {
  @TempDir Path directory;

  @Override
  Database openDatabase() {
    return TestDatabases.sqlite(directory);
  }
}
