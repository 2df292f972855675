package dev.tandem.internal.db;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;
import org.sqlite.SQLiteErrorCode;

/**
 * {@link SqlDriver} on xerial sqlite-jdbc: WAL mode, {@code synchronous} as asked, a busy timeout,
 * prepared statements cached per connection, and a small pool of readers.
 */
public final class JdbcSqlDriver implements SqlDriver {
  private final String url;
  private final Properties properties;
  private final Jdbc writer;
  private final Deque<Jdbc> idleReaders = new ArrayDeque<>();
  private final WalCheckpointer checkpointer;
  private boolean closed;

  /**
   * Opens (creating if needed) the database in {@code file}.
   *
   * @param fullSync {@code synchronous=FULL} (survives power loss) instead of {@code NORMAL}
   *     (survives a process kill).
   */
  public JdbcSqlDriver(File file, boolean fullSync) {
    this(file, fullSync, !"sqlite".equals(System.getProperty(CHECKPOINT_SWITCH)), null);
  }

  /**
   * The benchmark switch for the old way: {@code -Ddev.tandem.walCheckpoint=sqlite} leaves every
   * WAL checkpoint to SQLite's automatic one in the writer's commits (every 1 000 pages), with no
   * {@link WalCheckpointer}.
   */
  static final String CHECKPOINT_SWITCH = "dev.tandem.walCheckpoint";

  /**
   * @param backgroundCheckpoints WAL checkpoints on a connection of their own ({@link
   *     WalCheckpointer}), SQLite's automatic one in the writer's commits kept as a backstop;
   *     false: SQLite's alone.
   * @param checkpoints runs the background checkpoints; null for a thread of the driver's own.
   */
  JdbcSqlDriver(File file, boolean fullSync, boolean backgroundCheckpoints, Executor checkpoints) {
    this.url = "jdbc:sqlite:" + file.getAbsolutePath();
    this.properties = new Properties();
    properties.setProperty("journal_mode", "WAL");
    properties.setProperty("synchronous", fullSync ? "FULL" : "NORMAL");
    properties.setProperty("busy_timeout", "10000");
    // Tandem reads no generated keys: without this the driver runs "SELECT last_insert_rowid()"
    // after every INSERT, a round of statement preparation per row written.
    properties.setProperty("jdbc.get_generated_keys", "false");
    // The writer's page cache may grow to 16 MiB (default 2 MiB; grown only as used): a large
    // pull's transaction then stays in memory until its commit instead of spilling pages to the
    // WAL as it goes (100 000 rows insert about a fifth faster). Readers keep the default.
    Properties writerProperties = new Properties();
    writerProperties.putAll(properties);
    writerProperties.setProperty("cache_size", "-16384");
    this.writer = open(writerProperties);
    if (backgroundCheckpoints) {
      String backstop = "PRAGMA wal_autocheckpoint=" + WalCheckpointer.BACKSTOP_PAGES;
      try (java.sql.Statement statement = writer.connection.createStatement()) {
        statement.execute(backstop);
      } catch (SQLException e) {
        throw wrap(backstop, e);
      }
      this.checkpointer = new WalCheckpointer(() -> open(properties).connection, checkpoints);
    } else {
      this.checkpointer = null;
    }
    writer.checkpointer = checkpointer;
  }

  private Jdbc open(Properties properties) {
    SqliteNative.load();
    try {
      // The driver directly, not DriverManager: its first use scans the class path for every
      // JDBC driver (and loads and initialises each one found) before it picks this one.
      return new Jdbc(org.sqlite.JDBC.createConnection(url, properties), true);
    } catch (SQLException e) {
      throw wrap("open " + url, e);
    }
  }

  @Override
  public SqlConnection writer() {
    return writer;
  }

  @Override
  public synchronized SqlConnection acquireReader() {
    if (closed) throw new IllegalStateException("database is closed");
    Jdbc reader = idleReaders.poll();
    if (reader == null) {
      reader = new Jdbc(open(properties).connection, false);
    }
    return reader;
  }

  @Override
  public synchronized void releaseReader(SqlConnection reader) {
    if (closed) {
      ((Jdbc) reader).close();
      return;
    }
    idleReaders.push((Jdbc) reader);
  }

  /**
   * Closes the writer and the idle readers; a reader in use closes when it is released, so a query
   * running on another thread is never cut off mid-statement.
   */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    for (Jdbc reader : idleReaders) reader.close();
    idleReaders.clear();
    if (checkpointer != null) checkpointer.close();
    writer.close();
  }

  static SqlException wrap(String what, SQLException e) {
    int code = e.getErrorCode();
    if (e instanceof org.sqlite.SQLiteException) {
      SQLiteErrorCode sqliteCode = ((org.sqlite.SQLiteException) e).getResultCode();
      code = sqliteCode.code & 0xff;
    }
    return new SqlException(what + ": " + e.getMessage(), code, e);
  }

  /** One JDBC connection in autocommit mode; transactions are explicit BEGIN/COMMIT statements. */
  private static final class Jdbc implements SqlConnection {
    final Connection connection;
    private final boolean writer;
    private final Map<String, PreparedStatement> statements =
        new LinkedHashMap<String, PreparedStatement>(64, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= 128) return false;
            closeQuietly(eldest.getValue());
            return true;
          }
        };
    private boolean inTransaction;

    /** The writer's, told of every commit; null on readers. */
    WalCheckpointer checkpointer;

    Jdbc(Connection connection, boolean writer) {
      this.connection = connection;
      this.writer = writer;
    }

    private PreparedStatement prepare(String sql, Object[] args) throws SQLException {
      return bind(statement(sql), args);
    }

    private PreparedStatement statement(String sql) throws SQLException {
      PreparedStatement statement = statements.get(sql);
      if (statement == null) {
        statement = connection.prepareStatement(sql);
        statements.put(sql, statement);
      }
      return statement;
    }

    private static PreparedStatement bind(PreparedStatement statement, Object[] args)
        throws SQLException {
      for (int i = 0; i < args.length; i++) {
        Object arg = args[i];
        if (arg == null) {
          statement.setNull(i + 1, java.sql.Types.NULL);
        } else if (arg instanceof String) {
          statement.setString(i + 1, (String) arg);
        } else if (arg instanceof Long || arg instanceof Integer) {
          statement.setLong(i + 1, ((Number) arg).longValue());
        } else if (arg instanceof Double) {
          statement.setDouble(i + 1, (Double) arg);
        } else if (arg instanceof Boolean) {
          statement.setLong(i + 1, ((Boolean) arg) ? 1 : 0);
        } else if (arg instanceof byte[]) {
          statement.setBytes(i + 1, (byte[]) arg);
        } else {
          throw new IllegalArgumentException("cannot bind " + arg.getClass().getName());
        }
      }
      return statement;
    }

    @Override
    public int execute(String sql, Object... args) {
      try {
        return prepare(sql, args).executeUpdate();
      } catch (SQLException e) {
        throw wrap(sql, e);
      }
    }

    @Override
    public void executeBatch(String sql, List<Object[]> argsList) {
      if (argsList.isEmpty()) return;
      try {
        PreparedStatement statement = statement(sql); // Looked up once for the batch.
        try {
          for (Object[] args : argsList) {
            bind(statement, args).addBatch();
          }
        } catch (SQLException | RuntimeException e) {
          statement.clearBatch(); // The statement is kept: its next batch must not run these.
          throw e;
        }
        statement.executeBatch();
      } catch (SQLException e) {
        throw wrap(sql, e);
      }
    }

    @Override
    public SqlCursor query(String sql, Object... args) {
      try {
        return new JdbcCursor(prepare(sql, args).executeQuery());
      } catch (SQLException e) {
        throw wrap(sql, e);
      }
    }

    @Override
    public void begin() {
      execute(writer ? "BEGIN IMMEDIATE" : "BEGIN");
      inTransaction = true;
    }

    @Override
    public void commit() {
      inTransaction = false;
      execute("COMMIT");
      if (checkpointer != null) checkpointer.committed();
    }

    @Override
    public void savepoint(String name) {
      execute("SAVEPOINT " + name);
    }

    @Override
    public void releaseSavepoint(String name) {
      execute("RELEASE " + name);
    }

    @Override
    public void rollbackToSavepoint(String name) {
      execute("ROLLBACK TO " + name);
    }

    @Override
    public void rollback() {
      inTransaction = false;
      execute("ROLLBACK");
    }

    @Override
    public boolean inTransaction() {
      return inTransaction;
    }

    void close() {
      for (PreparedStatement statement : statements.values()) closeQuietly(statement);
      statements.clear();
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Closing: nothing left to do with it.
      }
    }

    private static void closeQuietly(PreparedStatement statement) {
      try {
        statement.close();
      } catch (SQLException ignored) {
        // An evicted statement; the connection stays usable.
      }
    }
  }

  private static final class JdbcCursor implements SqlCursor {
    private final ResultSet rows;

    JdbcCursor(ResultSet rows) {
      this.rows = rows;
    }

    @Override
    public boolean next() {
      try {
        return rows.next();
      } catch (SQLException e) {
        throw wrap("next row", e);
      }
    }

    /**
     * The column's UTF-8 bytes decoded here: xerial's {@code getString} wraps SQLite's text in a
     * direct buffer and runs a charset decoder over it, about twice the cost per value (text,
     * numbers as text and NULL read the same either way; {@code SqlDriverContract}).
     */
    @Override
    public String getString(int column) {
      try {
        byte[] utf8 = rows.getBytes(column + 1);
        return utf8 == null ? null : new String(utf8, StandardCharsets.UTF_8);
      } catch (SQLException e) {
        throw wrap("read column", e);
      }
    }

    @Override
    public long getLong(int column) {
      try {
        return rows.getLong(column + 1);
      } catch (SQLException e) {
        throw wrap("read column", e);
      }
    }

    @Override
    public double getDouble(int column) {
      try {
        return rows.getDouble(column + 1);
      } catch (SQLException e) {
        throw wrap("read column", e);
      }
    }

    @Override
    public Double getDoubleOrNull(int column) {
      try {
        double value = rows.getDouble(column + 1);
        return rows.wasNull() ? null : value;
      } catch (SQLException e) {
        throw wrap("read column", e);
      }
    }

    @Override
    public Long getLongOrNull(int column) {
      try {
        long value = rows.getLong(column + 1);
        return rows.wasNull() ? null : value;
      } catch (SQLException e) {
        throw wrap("read column", e);
      }
    }

    @Override
    public boolean isNull(int column) {
      try {
        rows.getObject(column + 1);
        return rows.wasNull();
      } catch (SQLException e) {
        throw wrap("read column", e);
      }
    }

    @Override
    public void close() {
      try {
        rows.close();
      } catch (SQLException e) {
        throw wrap("close cursor", e);
      }
    }
  }
}
