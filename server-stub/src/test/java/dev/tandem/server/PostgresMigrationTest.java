package dev.tandem.server;

class PostgresMigrationTest extends MigrationContractTest {
  private String url;

  @Override
  Database openDatabase() throws Exception {
    url = TestDatabases.postgresUrl();
    return Database.postgres(url, 2);
  }

  @Override
  Database reopen() {
    return Database.postgres(url, 2);
  }
}
