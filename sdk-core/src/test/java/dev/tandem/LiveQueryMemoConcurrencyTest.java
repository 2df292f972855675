package dev.tandem;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * out of order would leave a watch on a stale value. Seeded: {@code -Dtandem.memoSeed=N}.
 */
class LiveQueryMemoConcurrencyTest {
  @TempDir Path directory;

  @Test
  void concurrentWritersLeaveEveryWatchOnWhatSqliteReads() throws Exception {
    Long only = Long.getLong("tandem.memoSeed");
    for (long seed = only != null ? only : 1; seed <= (only != null ? only : 12); seed++) {
      try {
        run(seed);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("seed " + seed + " (replay: -Dtandem.memoSeed=" + seed + ")", e);
      }
    }
  }

  private void run(long seed) throws Exception {
    Random random = new Random(seed);
    ExecutorService queries = Executors.newSingleThreadExecutor();
    ExecutorService writers = Executors.newFixedThreadPool(3);
    Tandem tandem =
        Tandem.builder()
            .databaseFile(new File(directory.toFile(), "concurrent-" + seed + ".db"))
            .queryScheduler(Schedulers.from(queries))
            .mutator(
                "puts",
                Puts.class,
                (tx, p) -> {
                  for (Put put : p.puts) {
                    if (put.value == null) {
                      tx.del(put.key);
                    } else {
                      tx.put(put.key, put.value);
                    }
                  }
                })
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
      for (int i = 0; i < watches.size(); i++) {
        List<List<String>> values = watches.get(i).values();
        watches.get(i).assertNoErrors();
        assertEquals(tandem.query(watched.get(i)), values.get(values.size() - 1), "watch " + i);
      }
    } finally {
      tandem.close();
      writers.shutdownNow();
      queries.shutdownNow();
    }
  }
}
