package dev.tandem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tandem.internal.Internal;
import dev.tandem.internal.db.JdbcSqlDriver;
import dev.tandem.internal.db.SqlConnection;
import dev.tandem.internal.db.SqlDriver;
import dev.tandem.internal.db.SqlException;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import io.reactivex.rxjava3.subscribers.TestSubscriber;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit that ended in the file but reported a failure is never told to live queries as it is:
 * the next commit's tell makes every live query read SQLite again, so one re-run from memory does
 * not go on without the rows that commit wrote.
 */
class FailedCommitLiveQueryTest {
  @TempDir Path directory;

  @Test
  void aLiveQueryAfterACommitThatLandedButFailedShowsWhatTheDatabaseHolds() throws Exception {
    AtomicBoolean landThenFail = new AtomicBoolean();
    TestScheduler queries = new TestScheduler();
    Tandem.Builder builder =
        Tandem.builder()
            .databaseFile(new File(directory.toFile(), "landed.db"))
            .queryScheduler(queries)
            .mutator("put", String.class, (tx, key) -> tx.put(key, "v"));
    Internal.get()
        .driverFactory(
            builder, (file, fullSync) -> landing(new JdbcSqlDriver(file, fullSync), landThenFail));
    try (Tandem tandem = builder.build()) {
      TestSubscriber<List<String>> keys =
          tandem
              .watch(
                  tx -> {
                    List<String> found = new ArrayList<>();
                    for (KeyValue entry : tx.scan(ScanOptions.prefix("m/"))) found.add(entry.key());
                    return found;
                  })
              .test();
      queries.triggerActions();
      tandem.mutate("put", "m/1");
      queries.triggerActions();

      landThenFail.set(true);
      assertThrows(SqlException.class, () -> tandem.mutate("put", "m/2"));
      landThenFail.set(false);
      queries.triggerActions();
      tandem.mutate("put", "m/3");
      queries.triggerActions();

      assertEquals(Arrays.asList("m/1", "m/2", "m/3"), keys.values().get(keys.values().size() - 1));
    }
  }

  /** A driver whose writer's commit, while {@code fail} is set, commits and then fails. */
  static SqlDriver landing(final SqlDriver driver, final AtomicBoolean fail) {
    final SqlConnection writer =
        (SqlConnection)
            Proxy.newProxyInstance(
                SqlConnection.class.getClassLoader(),
                new Class<?>[] {SqlConnection.class},
                (proxy, method, args) -> {
                  Object result;
                  try {
                    result = method.invoke(driver.writer(), args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                  if (method.getName().equals("commit") && fail.get()) {
                    throw new SqlException("failed after the commit", 10, null);
                  }
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
