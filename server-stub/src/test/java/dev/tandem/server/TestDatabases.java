package dev.tandem.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/** Real databases for tests: a SQLite file, or a fresh database in one embedded Postgres. */
final class TestDatabases {
  private static EmbeddedPostgres postgres;
  private static final AtomicInteger counter = new AtomicInteger();

  private TestDatabases() {}

  static Database sqlite(Path directory) {
    return Database.sqlite(directory.resolve("server-" + counter.incrementAndGet() + ".db"));
  }

  /** A new, empty Postgres database (the server itself is shared by the whole test JVM). */
  static Database postgres(int poolSize) throws Exception {
    return Database.postgres(postgresUrl(), poolSize);
  }

  /** The JDBC URL of a new, empty Postgres database. */
  static synchronized String postgresUrl() throws Exception {
    if (postgres == null) {
      postgres = EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(TestDatabases::stopPostgres));
    }
    String name = "tandem_test_" + counter.incrementAndGet();
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    }
    return postgres.getJdbcUrl("postgres", name);
  }

  private static void stopPostgres() {
    try {
      postgres.close();
    } catch (IOException ignored) {
      // The JVM is exiting.
    }
  }
}
