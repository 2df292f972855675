package dev.tandem.server;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteMutatorReadsTest extends MutatorReadsContractTest {
  @TempDir Path directory;

  @Override
  Database openDatabase() {
    return TestDatabases.sqlite(directory);
  }
}
