package dev.tandem.benchmarks;

import dev.tandem.server.Database;
import dev.tandem.server.Dialect;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Where a measurement runs: fresh SQLite files in a temp directory, or fresh databases in one
 * embedded PostgreSQL server started by the harness.
 */
final class Target implements AutoCloseable {
  private static final AtomicInteger counter = new AtomicInteger();

  final Dialect dialect;
  private final Path directory;
  private final EmbeddedPostgres postgres;

  private Target(Dialect dialect, Path directory, EmbeddedPostgres postgres) {
    this.dialect = dialect;
    this.directory = directory;
    this.postgres = postgres;
  }

  static Target start(Dialect dialect) throws IOException {
    Path directory = Files.createTempDirectory("tandem-bench-");
    EmbeddedPostgres postgres = null;
    if (dialect == Dialect.POSTGRES) {
      // Zonky's defaults: synchronous_commit=off, max_connections=300, data in a temp directory.
      postgres = EmbeddedPostgres.builder().start();
    }
    return new Target(dialect, directory, postgres);
  }

  String name() {
    return dialect == Dialect.SQLITE ? "SQLite" : "Postgres";
  }

  /** A new, empty database: what {@code Database.sqlite} or {@code Database.postgres} opens. */
  Database fresh(int poolSize) throws Exception {
    int n = counter.incrementAndGet();
    if (dialect == Dialect.SQLITE) return Database.sqlite(directory.resolve("bench-" + n + ".db"));
    return Database.postgres(createDatabase(n), poolSize);
  }

  /**
   * A new, empty database as an unpooled data source configured like the one {@link #fresh} opens
   * (for SQLite: WAL, synchronous=NORMAL, busy timeout), for wrapping in a counting proxy.
   */
  DataSource freshRaw() throws Exception {
    int n = counter.incrementAndGet();
    if (dialect == Dialect.SQLITE) {
      SQLiteConfig config = new SQLiteConfig();
      config.setJournalMode(SQLiteConfig.JournalMode.WAL);
      config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
      config.setBusyTimeout(30_000);
      SQLiteDataSource sqlite = new SQLiteDataSource(config);
      sqlite.setUrl("jdbc:sqlite:" + directory.resolve("census-" + n + ".db").toAbsolutePath());
      return sqlite;
    }
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setURL(createDatabase(n));
    return source;
  }

  /** Counts this JVM's CPU time and, on Postgres, the server's (its postmaster and children). */
  CpuClock cpuClock() throws Exception {
    if (postgres == null) return new CpuClock(0);
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
      rows.next();
      return new CpuClock(CpuClock.parentOf(rows.getLong(1)));
    }
  }

  /** One line about the server: version and the settings that matter for commit cost. */
  String describe() throws Exception {
    if (dialect == Dialect.SQLITE) {
      try (Connection connection =
              new SQLiteDataSource().getConnection(); // in-memory, only for the version
          Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("SELECT sqlite_version()")) {
        rows.next();
        return "SQLite "
            + rows.getString(1)
            + " (sqlite-jdbc), Database.sqlite: WAL, synchronous=NORMAL, 1 writer connection";
      }
    }
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT current_setting('server_version'), current_setting('synchronous_commit'),"
                    + " current_setting('fsync'), current_setting('shared_buffers')")) {
      rows.next();
      return "PostgreSQL "
          + rows.getString(1)
          + " (zonky embedded, same machine, TCP on localhost): synchronous_commit="
          + rows.getString(2)
          + ", fsync="
          + rows.getString(3)
          + ", shared_buffers="
          + rows.getString(4);
    }
  }

  private String createDatabase(int n) throws Exception {
    String name = "bench_" + n;
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    }
    return postgres.getJdbcUrl("postgres", name);
  }

  @Override
  public void close() throws IOException {
    if (postgres != null) postgres.close();
    try (var files = Files.walk(directory)) {
      files
          .sorted(java.util.Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.deleteIfExists(path);
                } catch (IOException ignored) {
                  // Best effort: it is a temp directory.
                }
              });
    }
  }
}
