package dev.tandem.internal.db;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Test drivers whose writer's {@code commit} fails while a flag is set: {@link #before} (nothing
 * committed, as a full disk does) or {@link #after} (committed, then the driver reports a failure:
 * the transaction ended in the file all the same). Readers are the wrapped driver's.
 */
public final class FailingCommits {
  private FailingCommits() {}

  /** Commits fail without committing while {@code fail} is set. */
  public static SqlDriver before(SqlDriver driver, AtomicBoolean fail, SqlException error) {
    return wrap(driver, fail, error, false);
  }

  /** Commits commit, then fail, while {@code fail} is set. */
  public static SqlDriver after(SqlDriver driver, AtomicBoolean fail, SqlException error) {
    return wrap(driver, fail, error, true);
  }

  private static SqlDriver wrap(
      final SqlDriver driver,
      final AtomicBoolean fail,
      final SqlException error,
      final boolean committed) {
    final SqlConnection writer =
        (SqlConnection)
            Proxy.newProxyInstance(
                SqlConnection.class.getClassLoader(),
                new Class<?>[] {SqlConnection.class},
                (proxy, method, args) -> {
                  boolean failing = method.getName().equals("commit") && fail.get();
                  if (failing && !committed) throw error;
                  Object result;
                  try {
                    result = method.invoke(driver.writer(), args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                  if (failing) throw error;
                  return result;
                });
    return new SqlDriver() {
      @Override
      public SqlConnection writer() {
        return writer;
      }

      @Override
      public SqlConnection acquireReader() {
        return driver.acquireReader();
      }

      @Override
      public void releaseReader(SqlConnection reader) {
        driver.releaseReader(reader);
      }

      @Override
      public void close() {
        driver.close();
      }
    };
  }
}
