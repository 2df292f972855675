package dev.tandem;

import dev.tandem.LiveQueryMemoPropertyTest.Put;
import dev.tandem.LiveQueryMemoPropertyTest.Puts;
import io.reactivex.rxjava3.schedulers.Schedulers;
import io.reactivex.rxjava3.subscribers.TestSubscriber;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live queries re-run from memory while three threads commit at once: once the writers are done and
 * the query thread has run everything queued, every watch's last emission is what its query reads
 * from SQLite. The memos patch their reads in the order the store tells commits, so a commit told
 * out of order would leave a watch on a stale value. Seeded: {@code -Dtandem.seed=N}.
 */
class LiveQueryMemoConcurrencyTest {
  @TempDir Path directory;

  @Test
  void concurrentWritersLeaveEveryWatchOnWhatSqliteReads() throws Exception {
    LiveQueryMemoPropertyTest.forSeeds(12, this::run);
  }

  private long run(long seed) throws Exception {
    Random random = new Random(seed);
    ExecutorService queries = Executors.newSingleThreadExecutor();
    ExecutorService writers = Executors.newFixedThreadPool(3);
    Tandem tandem =
        LiveQueryMemoPropertyTest.withPuts(Tandem.builder())
            .databaseFile(new File(directory.toFile(), "concurrent-" + seed + ".db"))
            .queryScheduler(Schedulers.from(queries))
            .build();
    try {
      List<ReadQuery<List<String>>> watched = new ArrayList<>();
      List<TestSubscriber<List<String>>> watches = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        ReadQuery<List<String>> query = LiveQueryMemoPropertyTest.query(random, 0);
        watched.add(query);
        watches.add(tandem.watch(query).test());
      }
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < 3; w++) {
        final Random mine = new Random(random.nextLong());
        done.add(
            writers.submit(
                () -> {
                  for (int i = 0; i < 300; i++) {
                    List<Put> puts = new ArrayList<>();
                    puts.add(LiveQueryMemoPropertyTest.change(mine));
                    tandem.mutate("puts", new Puts(puts, false));
                  }
                }));
      }
      for (Future<?> writer : done) writer.get(60, TimeUnit.SECONDS);
      // Everything queued on the query thread before this has run: every re-run asked for.
      queries.submit(() -> {}).get(60, TimeUnit.SECONDS);
      LiveQueryMemoPropertyTest.assertEmittedWhatSqliteReads(tandem, watched, watches, "");
      return 0;
    } finally {
      tandem.close();
      writers.shutdownNow();
      queries.shutdownNow();
    }
  }
}
