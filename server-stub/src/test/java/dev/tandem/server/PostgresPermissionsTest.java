package dev.tandem.server;

class PostgresPermissionsTest extends PermissionsContractTest {
  @Override
  Database openDatabase() throws Exception {
    return TestDatabases.postgres(4);
  }
}
