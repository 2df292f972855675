package dev.tandem.server;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Where the server keeps its state: a {@link DataSource} for write transactions, one for reads, and
 * the SQL dialect. Pushes serialize on the global version row; pulls read a consistent snapshot
 * without blocking them.
 *
 * <p>{@link #sqlite} and {@link #postgres} own connection pools and close them in {@link #close};
 * {@link #of} wraps a {@code DataSource} the caller owns and closes nothing.
 */
public final class Database implements AutoCloseable {
  private final Dialect dialect;
  private final DataSource writes;
  private final DataSource reads;
  private final HikariDataSource[] owned;

  /** Postgres by URL: where the poke relay's own connection goes; null otherwise. */
  private final String jdbcUrl;

  private final Set<Connection> listeners = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private Database(
      Dialect dialect,
      String jdbcUrl,
      DataSource writes,
      DataSource reads,
      HikariDataSource... owned) {
    this.dialect = dialect;
    this.jdbcUrl = jdbcUrl;
    this.writes = writes;
    this.reads = reads;
    this.owned = owned;
  }

  /** A caller-owned data source. For SQLite it should use WAL mode and a busy timeout. */
  public static Database of(DataSource dataSource, Dialect dialect) {
    return new Database(dialect, null, dataSource, dataSource);
  }

  /**
   * An embedded SQLite file, created if absent: WAL mode, {@code synchronous=NORMAL}, one writer
   * connection (SQLite serializes writers anyway; one connection makes them queue fairly instead of
   * spinning on SQLITE_BUSY) and a few readers.
   */
  public static Database sqlite(Path file) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(30_000);
    SQLiteDataSource sqlite = new SQLiteDataSource(config);
    sqlite.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    HikariDataSource writes = pool("tandem-sqlite-writer", sqlite, 1);
    HikariDataSource reads = pool("tandem-sqlite-reader", sqlite, 4);
    return new Database(Dialect.SQLITE, null, writes, reads, reads, writes);
  }

  /**
   * A PostgreSQL database by JDBC URL ({@code jdbc:postgresql://host:port/db?user=…&password=…}),
   * with a pool of {@code poolSize} connections. Each server instance also keeps one connection of
   * its own, outside the pool, listening for the pokes of other instances once a poke stream opens.
   */
  public static Database postgres(String jdbcUrl, int poolSize) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("tandem-postgres");
    config.setJdbcUrl(jdbcUrl);
    config.setMaximumPoolSize(poolSize);
    HikariDataSource pool = new HikariDataSource(config);
    return new Database(Dialect.POSTGRES, jdbcUrl, pool, pool, pool);
  }

  /**
   * Opens the database the {@code --db} flag names: a {@code jdbc:postgresql:} URL, a {@code
   * jdbc:sqlite:} URL, or a file path for SQLite.
   */
  public static Database open(String spec) {
    return open(spec, 16);
  }

  /** {@link #open(String)}, with a Postgres pool of {@code poolSize} connections. */
  public static Database open(String spec, int poolSize) {
    if (spec.startsWith("jdbc:postgresql:")) return postgres(spec, poolSize);
    if (spec.startsWith("jdbc:sqlite:"))
      return sqlite(Path.of(spec.substring("jdbc:sqlite:".length())));
    if (spec.startsWith("jdbc:")) {
      throw new IllegalArgumentException(
          "unsupported database URL "
              + spec.replaceAll("password=[^&]*", "password=***")
              + ": use a jdbc:postgresql: URL or a SQLite file path");
    }
    return sqlite(Path.of(spec));
  }

  private static HikariDataSource pool(String name, DataSource source, int size) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setDataSource(source);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    return new HikariDataSource(config);
  }

  public Dialect dialect() {
    return dialect;
  }

  /** Connections for push transactions. */
  public DataSource writes() {
    return writes;
  }

  /** Connections for pull transactions. */
  public DataSource reads() {
    return reads;
  }

  /** The pools, for metrics; empty for a caller-owned data source. */
  HikariDataSource[] pools() {
    return owned;
  }

  /**
   * A connection that stays open for {@code LISTEN} (the poke relay): a new one outside the pool
   * for {@link #postgres}, one taken from the data source for {@link #of}. Closed by {@link #close}
   * if still open.
   */
  Connection listenerConnection() throws SQLException {
    if (closed) throw new SQLException("the database is closed");
    Connection connection =
        jdbcUrl != null ? DriverManager.getConnection(jdbcUrl) : writes.getConnection();
    listeners.add(connection);
    if (closed) {
      connection.close();
      throw new SQLException("the database is closed");
    }
    return connection;
  }

  /** Closes {@code connection}, one of {@link #listenerConnection}. */
  void closeListener(Connection connection) {
    listeners.remove(connection);
    try {
      connection.close();
    } catch (SQLException ignored) {
      // It is gone either way.
    }
  }

  boolean closed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
    for (Connection connection : listeners) closeListener(connection);
    for (HikariDataSource pool : owned) pool.close();
  }
}
