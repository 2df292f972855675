package dev.tandem.server;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteSchemaBackendTest extends SchemaBackendContractTest {
  @TempDir Path directory;

  @Override
  Database openDatabase() {
    return TestDatabases.sqlite(directory);
  }

  @Override
  String todoTable() {
    return "\"app.todo\""; // SQLite has no schemas: the from() name is one identifier.
  }
}
