package dev.tandem.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.server.apps.TodoTestApp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Server instances started at the same moment on one new Postgres database (a deployment's
 * instances all starting) each create the tables: Postgres's {@code CREATE TABLE IF NOT EXISTS}
 * alone fails for all but one of them when they race, so they take turns.
 */
class InstancesStartingTogetherTest {
  @Test
  void fourInstancesStartAtOnceOnANewDatabase() throws Exception {
    for (int round = 0; round < 2; round++) {
      String url = TestDatabases.postgresUrl();
      int instances = 4;
      CountDownLatch go = new CountDownLatch(1);
      ExecutorService threads = Executors.newFixedThreadPool(instances);
      List<Database> databases = new ArrayList<>();
      try {
        List<Future<Backend>> started = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
          Database database = Database.postgres(url, 2);
          databases.add(database);
          started.add(
              threads.submit(
                  () -> {
                    go.await();
                    return ChatDomain.install(Backend.builder())
                        .app(new TodoTestApp())
                        .database(database)
                        .build();
                  }));
        }
        go.countDown();
        for (Future<Backend> backend : started) {
          assertEquals(true, backend.get(60, TimeUnit.SECONDS).healthy());
        }
      } finally {
        threads.shutdownNow();
        for (Database database : databases) database.close();
      }
    }
  }
}
