package dev.tandem.server;

class PostgresPermissionsPullTest extends PermissionsPullContractTest {
  @Override
  Database openDatabase() throws Exception {
    return TestDatabases.postgres(4);
  }
}
