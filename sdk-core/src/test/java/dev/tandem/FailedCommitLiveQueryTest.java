package dev.tandem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tandem.internal.Internal;
import dev.tandem.internal.db.FailingCommits;
import dev.tandem.internal.db.JdbcSqlDriver;
import dev.tandem.internal.db.SqlException;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import io.reactivex.rxjava3.subscribers.TestSubscriber;
import java.io.File;
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
            builder,
            (file, fullSync) ->
                FailingCommits.after(
                    new JdbcSqlDriver(file, fullSync),
                    landThenFail,
                    new SqlException("failed after the commit", 10, null)));
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
}
