package dev.tandem.server;

class PostgresMutatorReadsTest extends MutatorReadsContractTest {
  @Override
  Database openDatabase() throws Exception {
    return TestDatabases.postgres(4);
  }
}
