package dev.tandem.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteBackendTest extends BackendContractTest {
  @TempDir Path directory;

  @Override
  Database openDatabase() {
    return TestDatabases.sqlite(directory);
  }

  @Test
  void theClientTableHasNoRowid() throws Exception {
    assertEquals(1, count("SELECT wr FROM pragma_table_list WHERE name = 'replicache_client'"));
  }

  @Test
  void anUpgradeRebuildsTheClientTableWithoutRowid() throws Exception {
    try (Connection connection = database.writes().getConnection();
        Statement statement = connection.createStatement()) {
      for (String sql : FIRST_SCHEMA) statement.execute(sql);
    }
    assertEquals(0, count("SELECT wr FROM pragma_table_list WHERE name = 'replicache_client'"));

    ChatDomain.install(Backend.builder()).database(database).build();

    assertEquals(1, count("SELECT wr FROM pragma_table_list WHERE name = 'replicache_client'"));
  }
}
