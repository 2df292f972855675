package dev.tandem.internal.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.ReadQuery;
import dev.tandem.internal.store.KeySet;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.schedulers.Schedulers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A runner on Tandem's own threads stays awake for the next commit while commits are arriving, and
 * only then: time is a fake clock, the query scheduler a list of tasks run by hand.
 */
class LiveQueriesStayAwakeTest {
  static final long MICROS = 1_000;

  /** Tasks handed to the query scheduler, run by {@link #runTasks}. */
  final List<Runnable> tasks = new ArrayList<>();

  int scheduled;

  final Scheduler scheduler =
      Schedulers.from(
          task -> {
            scheduled++;
            tasks.add(task);
          });

  /** The fake clock: each reading advances it, and runs {@link #onTick} with the new time. */
  long now = 10_000 * MICROS;

  long reads;

  interface Tick {
    void at(long now);
  }

  Tick onTick = t -> {};

  final LiveQueries.Clock clock =
      () -> {
        now += 10 * MICROS;
        reads++;
        onTick.at(now);
        return now;
      };

  int runs;

  LiveQueries live(boolean stayAwake) {
    return new LiveQueries(
        batch ->
            batch.run(
                new LiveQueries.Transaction() {
                  @Override
                  @SuppressWarnings("unchecked")
                  public <T> T read(ReadQuery<T> query, KeySet reads) {
                    reads.addRange("list/1/", "list/10");
                    return (T) Integer.valueOf(++runs);
                  }
                }),
        scheduler,
        stayAwake,
        clock);
  }

  static KeySet changed(String key) {
    KeySet set = new KeySet();
    set.addChange(key, "1");
    return set;
  }

  void runTasks() {
    while (!tasks.isEmpty()) tasks.remove(0).run();
  }

  @Test
  void whileCommitsArriveTheNextCommitsReRunNeedsNoNewTask() {
    LiveQueries live = live(true);
    Disposable watch = live.watch(tx -> 0).subscribe();
    runTasks();
    assertEquals(1, runs);
    live.committed(changed("list/1/a")); // The first commit: none before it, nothing arriving.
    runTasks();
    assertEquals(2, runs);
    now += 200 * MICROS;
    live.committed(changed("list/1/a")); // About 200 µs after the last: commits are arriving.
    assertEquals(3, scheduled);
    long second = now;
    long[] third = {0};
    onTick =
        t -> {
          // The run reads the clock twice (its cost), the waiting runner from the third reading.
          if (third[0] == 0 && t >= second + 40 * MICROS) {
            // While the runner waits, another thread commits.
            onTick = later -> {};
            third[0] = t;
            live.committed(changed("list/1/b"));
          }
        };
    runTasks();
    assertEquals(4, runs, "the waiting runner ran the next commit's re-run");
    assertEquals(3, scheduled, "without a task (a thread wake-up) of its own");
    assertTrue(now >= third[0], "and stopped waiting once no commit came");
    watch.dispose();
  }

  @Test
  void commitsFarApartLeaveNoRunnerWaiting() {
    LiveQueries live = live(true);
    Disposable watch = live.watch(tx -> 0).subscribe();
    runTasks();
    live.committed(changed("list/1/a"));
    runTasks();
    now += 2_000 * MICROS; // 2 ms later: not arriving.
    live.committed(changed("list/1/a"));
    long before = reads;
    runTasks();
    assertEquals(3, runs);
    assertEquals(before + 2, reads, "the run's cost read the clock; the runner did not wait");
    live.committed(changed("list/1/a")); // A task again for the next commit.
    assertEquals(4, scheduled);
    watch.dispose();
  }

  @Test
  void onAnAppsSchedulerARunnerNeverWaits() {
    LiveQueries live = live(false);
    Disposable watch = live.watch(tx -> 0).subscribe();
    runTasks();
    for (int i = 0; i < 3; i++) {
      now += 50 * MICROS;
      live.committed(changed("list/1/a"));
      runTasks();
    }
    assertEquals(4, runs);
    assertEquals(4, scheduled, "one task per commit");
    assertEquals(2 * 4, reads, "only each run's cost read the clock: no runner waited");
    watch.dispose();
  }
}
