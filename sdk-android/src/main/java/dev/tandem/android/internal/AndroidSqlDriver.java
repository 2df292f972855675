package dev.tandem.android.internal;

import android.database.Cursor;
import android.database.DatabaseUtils;
import android.database.sqlite.SQLiteCursor;
import android.database.sqlite.SQLiteCursorDriver;
import android.database.sqlite.SQLiteDatabase;
import android.database.sqlite.SQLiteException;
import android.database.sqlite.SQLiteProgram;
import android.database.sqlite.SQLiteQuery;
import android.database.sqlite.SQLiteStatement;
import android.os.Build;
import dev.tandem.internal.db.SqlConnection;
import dev.tandem.internal.db.SqlCursor;
import dev.tandem.internal.db.SqlDriver;
import dev.tandem.internal.db.SqlException;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;

/**
 * {@link SqlDriver} on {@code android.database.sqlite}: one {@link SQLiteDatabase} in WAL mode,
 * whose own pool gives the writer its primary connection and plain reads secondary ones.
 *
 * <p>Android binds a transaction to the thread that began it and offers no deferred (snapshot)
 * transaction on a secondary connection before API 35 ({@code beginTransactionReadOnly}). So read
 * transactions use it from API 35 and run concurrently with the writer there; below 35 they take
 * the primary connection and wait for a write in progress (and a write waits for them): the same
 * consistent snapshot, less concurrency. Reads outside a transaction always run on secondary
 * connections.
 */
public final class AndroidSqlDriver implements SqlDriver {
  private static final Method BEGIN_READ_ONLY = beginReadOnly();

  private final SQLiteDatabase db;
  private final Connection writer;
  private final Connection reader;

  public AndroidSqlDriver(File file, boolean fullSync) {
    File parent = file.getAbsoluteFile().getParentFile();
    if (parent != null && !parent.isDirectory() && !parent.mkdirs()) {
      throw new SqlException("cannot create the directory " + parent, -1, null);
    }
    try {
      db =
          SQLiteDatabase.openDatabase(
              file.getAbsolutePath(),
              null,
              SQLiteDatabase.CREATE_IF_NECESSARY | SQLiteDatabase.ENABLE_WRITE_AHEAD_LOGGING);
      db.enableWriteAheadLogging();
      // On the primary connection, the one that writes; Android sets its own default otherwise.
      db.execSQL("PRAGMA synchronous = " + (fullSync ? "FULL" : "NORMAL"));
    } catch (SQLiteException e) {
      throw wrap("open " + file, e);
    }
    writer = new Connection(db, true);
    reader = new Connection(db, false);
  }

  @Override
  public SqlConnection writer() {
    return writer;
  }

  /** The database's pool hands out connections per thread, so one object serves every reader. */
  @Override
  public SqlConnection acquireReader() {
    if (!db.isOpen()) throw new IllegalStateException("database is closed");
    return reader;
  }

  @Override
  public void releaseReader(SqlConnection reader) {}

  @Override
  public void close() {
    db.close();
  }

  private static Method beginReadOnly() {
    if (Build.VERSION.SDK_INT < 35) return null;
    try {
      return SQLiteDatabase.class.getMethod("beginTransactionReadOnly");
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  static SqlException wrap(String what, RuntimeException e) {
    return new SqlException(what + ": " + e.getMessage(), resultCode(e), e);
  }

  /** SQLite's primary result code, from the exception's type (Android does not expose it). */
  private static int resultCode(RuntimeException e) {
    String name = e.getClass().getSimpleName();
    if (name.equals("SQLiteConstraintException")) return 19;
    if (name.equals("SQLiteDatabaseLockedException")) return 5;
    if (name.equals("SQLiteTableLockedException")) return 6;
    if (name.equals("SQLiteFullException")) return 13;
    if (name.equals("SQLiteDatabaseCorruptException")) return 11;
    if (name.equals("SQLiteReadOnlyDatabaseException")) return 8;
    if (name.equals("SQLiteDiskIOException")) return 10;
    if (name.equals("SQLiteCantOpenDatabaseException")) return 14;
    return 1; // SQLITE_ERROR
  }

  private static final class Connection implements SqlConnection {
    private final SQLiteDatabase db;
    private final boolean writer;

    Connection(SQLiteDatabase db, boolean writer) {
      this.db = db;
      this.writer = writer;
    }

    @Override
    public int execute(String sql, Object... args) {
      try {
        int type = DatabaseUtils.getSqlStatementType(sql);
        if (type == DatabaseUtils.STATEMENT_PRAGMA || type == DatabaseUtils.STATEMENT_DDL) {
          db.execSQL(sql, args);
          return 0;
        }
        SQLiteStatement statement = db.compileStatement(sql);
        try {
          bind(statement, args);
          return statement.executeUpdateDelete();
        } finally {
          statement.close();
        }
      } catch (SQLiteException e) {
        throw wrap(sql, e);
      }
    }

    @Override
    public void executeBatch(String sql, List<Object[]> argsList) {
      if (argsList.isEmpty()) return;
      try {
        SQLiteStatement statement = db.compileStatement(sql);
        try {
          for (Object[] args : argsList) {
            statement.clearBindings();
            bind(statement, args);
            statement.executeUpdateDelete();
          }
        } finally {
          statement.close();
        }
      } catch (SQLiteException e) {
        throw wrap(sql, e);
      }
    }

    /**
     * Binds through a cursor factory: {@code rawQuery} binds only strings, which would compare a
     * number parameter as text.
     */
    @Override
    public SqlCursor query(String sql, final Object... args) {
      try {
        Cursor cursor =
            db.rawQueryWithFactory(
                new SQLiteDatabase.CursorFactory() {
                  @Override
                  public Cursor newCursor(
                      SQLiteDatabase database,
                      SQLiteCursorDriver driver,
                      String editTable,
                      SQLiteQuery query) {
                    bind(query, args);
                    return new SQLiteCursor(driver, editTable, query);
                  }
                },
                sql,
                new String[0],
                null);
        return new AndroidCursor(cursor);
      } catch (SQLiteException e) {
        throw wrap(sql, e);
      }
    }

    @Override
    public void begin() {
      try {
        if (writer) {
          db.beginTransactionNonExclusive(); // BEGIN IMMEDIATE
        } else if (db.inTransaction()) {
          throw new IllegalStateException(
              "a read transaction inside this thread's write transaction would nest in it");
        } else if (BEGIN_READ_ONLY != null) {
          BEGIN_READ_ONLY.invoke(db);
        } else {
          db.beginTransactionNonExclusive();
        }
      } catch (SQLiteException e) {
        throw wrap("BEGIN", e);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new SqlException("BEGIN (read only): " + e, 1, e);
      }
    }

    @Override
    public void commit() {
      try {
        db.setTransactionSuccessful();
        db.endTransaction();
      } catch (SQLiteException e) {
        throw wrap("COMMIT", e);
      }
    }

    @Override
    public void rollback() {
      try {
        db.endTransaction();
      } catch (SQLiteException e) {
        throw wrap("ROLLBACK", e);
      }
    }

    @Override
    public boolean inTransaction() {
      return db.inTransaction();
    }

    @Override
    public void savepoint(String name) {
      execute("SAVEPOINT " + name);
    }

    @Override
    public void releaseSavepoint(String name) {
      execute("RELEASE " + name);
    }

    /**
     * Android reads any statement starting with "ROL" as the end of its transaction and ends it; a
     * leading comment makes it run as the plain statement it is, inside the transaction.
     */
    @Override
    public void rollbackToSavepoint(String name) {
      execute("/* to savepoint */ ROLLBACK TO " + name);
    }
  }

  static void bind(SQLiteProgram program, Object[] args) {
    for (int i = 0; i < args.length; i++) {
      Object arg = args[i];
      int index = i + 1;
      if (arg == null) {
        program.bindNull(index);
      } else if (arg instanceof String) {
        program.bindString(index, (String) arg);
      } else if (arg instanceof Long || arg instanceof Integer) {
        program.bindLong(index, ((Number) arg).longValue());
      } else if (arg instanceof Double) {
        program.bindDouble(index, (Double) arg);
      } else if (arg instanceof Boolean) {
        program.bindLong(index, ((Boolean) arg) ? 1 : 0);
      } else if (arg instanceof byte[]) {
        program.bindBlob(index, (byte[]) arg);
      } else {
        throw new IllegalArgumentException("cannot bind " + arg.getClass().getName());
      }
    }
  }

  private static final class AndroidCursor implements SqlCursor {
    private final Cursor cursor;

    AndroidCursor(Cursor cursor) {
      this.cursor = cursor;
    }

    @Override
    public boolean next() {
      try {
        return cursor.moveToNext();
      } catch (SQLiteException e) {
        throw wrap("next row", e);
      }
    }

    @Override
    public String getString(int column) {
      return cursor.getString(column);
    }

    @Override
    public long getLong(int column) {
      return cursor.getLong(column);
    }

    @Override
    public double getDouble(int column) {
      return cursor.getDouble(column);
    }

    @Override
    public boolean isNull(int column) {
      return cursor.isNull(column);
    }

    @Override
    public void close() {
      cursor.close();
    }
  }
}
