package dev.tandem.server;

class PostgresSchemaBackendTest extends SchemaBackendContractTest {
  @Override
  Database openDatabase() throws Exception {
    return TestDatabases.postgres(4);
  }

  @Override
  String todoTable() {
    return "app.todo"; // Table todo in schema app.
  }
}
