package dev.tandem.server;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteMigrationTest extends MigrationContractTest {
  @TempDir Path directory;

  @Override
  Database openDatabase() {
    return Database.sqlite(directory.resolve("server.db"));
  }

  @Override
  Database reopen() {
    return openDatabase();
  }
}
