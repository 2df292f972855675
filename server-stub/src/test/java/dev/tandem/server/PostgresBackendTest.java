package dev.tandem.server;

class PostgresBackendTest extends BackendContractTest {
  @Override
  Database openDatabase() throws Exception {
    return TestDatabases.postgres(4);
  }
}
