package dev.tandem.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteForgetClientsTest extends ForgetClientsContractTest {
  @TempDir Path directory;

  @Override
  Database openDatabase() {
    return TestDatabases.sqlite(directory);
  }

  @Test
  void groupsOfADatabaseMadeBeforeGcGetTheWholeAgeFromTheUpgrade() throws Exception {
    Path file = directory.resolve("old.db");
    try (Database old = Database.sqlite(file)) {
      try (Connection connection = old.writes().getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute(
            "CREATE TABLE replicache_client_group (id TEXT PRIMARY KEY NOT NULL,"
                + " user_id TEXT NOT NULL)");
        statement.execute("INSERT INTO replicache_client_group VALUES ('g0', 'ann')");
      }
      try (Backend upgraded =
          ChatDomain.install(Backend.builder())
              .database(old)
              .clock(clock)
              .forgetClientsAfter(AGE)
              .build()) {
        clock.advance(AGE.minusDays(1));
        assertEquals(0, upgraded.forgetInactiveClients());
        clock.advance(java.time.Duration.ofDays(2));
        assertEquals(1, upgraded.forgetInactiveClients());
      }
    }
  }
}
