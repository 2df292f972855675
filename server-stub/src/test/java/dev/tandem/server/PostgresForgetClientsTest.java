package dev.tandem.server;

class PostgresForgetClientsTest extends ForgetClientsContractTest {
  @Override
  Database openDatabase() throws Exception {
    return TestDatabases.postgres(4);
  }
}
