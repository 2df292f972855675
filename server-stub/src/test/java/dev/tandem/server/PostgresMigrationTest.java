package dev.tandem.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.Migrations;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

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

  /** Instances starting together on a fresh database: every table once, every step once. */
  @Test
  void instancesStartingTogetherMigrateOnce() throws Exception {
    for (int round = 0; round < 3; round++) {
      String fresh = TestDatabases.postgresUrl();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Database> databases = new ArrayList<>();
      try {
        List<Future<Backend>> started = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          Database database = Database.postgres(fresh, 2);
          databases.add(database);
          Callable<Backend> start =
              () ->
                  Backend.builder()
                      .database(database)
                      .migrations(Migrations.of(M1, M2, M3))
                      .build();
          started.add(pool.submit(start));
        }
        for (Future<Backend> backend : started) backend.get();
        try (Connection connection = databases.get(0).reads().getConnection();
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM tandem_migration")) {
          rows.next();
          assertEquals(3, rows.getInt(1));
        }
      } finally {
        pool.shutdownNow();
        for (Database database : databases) database.close();
      }
    }
  }
}
