package dev.tandem.internal.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.ReadQuery;
import dev.tandem.internal.store.KeySet;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.schedulers.Schedulers;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The index a commit finds its watches through: exactly the watches whose reads the commit touches
 * re-run (compared with testing every watch, {@link KeySet#intersects}), as watches read other
 * ranges, come and go.
 */
class LiveQueriesIndexTest {
  /** What each fake query reads; each run returns a new value, so each run emits. */
  final Map<ReadQuery<?>, KeySet> readsOf = new IdentityHashMap<>();

  final Map<ReadQuery<?>, Integer> runs = new IdentityHashMap<>();

  /** Run once inside the next query's run (a commit arriving while it reads). */
  Runnable duringRead;

  LiveQueries live(io.reactivex.rxjava3.core.Scheduler scheduler) {
    return new LiveQueries(
        batch ->
            batch.run(
                new LiveQueries.Transaction() {
                  @Override
                  @SuppressWarnings("unchecked")
                  public <T> T read(ReadQuery<T> query, KeySet reads) {
                    Runnable hook = duringRead;
                    duringRead = null;
                    if (hook != null) hook.run();
                    reads.addAll(readsOf.get(query));
                    int n = runs.merge(query, 1, Integer::sum);
                    return (T) Integer.valueOf(n);
                  }
                }),
        scheduler);
  }

  ReadQuery<Integer> query(KeySet reads) {
    final int id = readsOf.size(); // Capturing: a lambda of its own for each query.
    ReadQuery<Integer> query = tx -> id;
    readsOf.put(query, reads);
    return query;
  }

  static KeySet range(String from, String to) {
    KeySet set = new KeySet();
    set.addRange(from, to);
    return set;
  }

  static KeySet key(String key) {
    KeySet set = new KeySet();
    set.addKey(key);
    return set;
  }

  static KeySet changed(String... keys) {
    KeySet set = new KeySet();
    for (String key : keys) set.addChange(key, "1");
    return set;
  }

  int runs(ReadQuery<?> query) {
    return runs.getOrDefault(query, 0);
  }

  @Test
  void aCommitDuringARunThatReadsOtherKeysThanTheLastRunsItAgain() {
    LiveQueries live = live(Schedulers.trampoline());
    ReadQuery<Integer> query = query(key("a"));
    Disposable watch = live.watch(query).subscribe();
    readsOf.put(query, key("b")); // Its next run reads b instead (a value it read chose so).
    duringRead = () -> live.committed(changed("b")); // b changes while that run reads.

    live.committed(changed("a"));

    assertEquals(3, runs(query), "the run may have read b before the change: it runs again");
    watch.dispose();
  }

  @Test
  void aCommitReRunsExactlyTheWatchesWhoseKeysOrRangesItChanged() {
    LiveQueries live = live(Schedulers.trampoline());
    ReadQuery<Integer> list1 = query(range("list/1/", "list/10"));
    ReadQuery<Integer> list2 = query(range("list/2/", "list/20"));
    ReadQuery<Integer> lists = query(range("list/", "list0")); // Holds both.
    ReadQuery<Integer> fromA = query(range("a", null)); // Unbounded.
    ReadQuery<Integer> oneKey = query(key("k/1"));
    ReadQuery<Integer> all = query(KeySet.everything());
    ReadQuery<Integer> nothing = query(new KeySet());
    List<ReadQuery<Integer>> queries = List.of(list1, list2, lists, fromA, oneKey, all, nothing);
    for (ReadQuery<Integer> q : queries) live.watch(q).subscribe();
    for (ReadQuery<Integer> q : queries) assertEquals(1, runs(q)); // The first run.

    live.committed(changed("list/1/x"));
    assertEquals(List.of(2, 1, 2, 2, 1, 2, 1), counts(queries));
    live.committed(changed("k/1"));
    assertEquals(List.of(2, 1, 2, 3, 2, 3, 1), counts(queries));
    live.committed(changed("0")); // Before every range: only everything.
    assertEquals(List.of(2, 1, 2, 3, 2, 4, 1), counts(queries));
    live.committed(changed("list/10")); // The end of list/1/'s range is outside it.
    assertEquals(List.of(2, 1, 3, 4, 2, 5, 1), counts(queries));
    live.committed(changed("list/2/a", "k/1")); // Two keys: each watch once.
    assertEquals(List.of(2, 2, 4, 5, 3, 6, 1), counts(queries));

    // A change of a range (a revert) is tested against every watch.
    KeySet revert = new KeySet();
    revert.addRange("list/2/", "list/3");
    live.committed(revert);
    assertEquals(List.of(2, 3, 5, 6, 3, 7, 1), counts(queries));
  }

  @Test
  void theIndexFollowsWhatAReRunReadAndWatchesThatGo() {
    LiveQueries live = live(Schedulers.trampoline());
    ReadQuery<Integer> moving = query(key("k/1"));
    Disposable watch = live.watch(moving).subscribe();
    live.committed(changed("k/1"));
    assertEquals(2, runs(moving));

    readsOf.put(moving, range("m/", "m0")); // Its next run reads a range instead.
    live.committed(changed("k/1"));
    assertEquals(3, runs(moving));
    live.committed(changed("k/1"));
    assertEquals(3, runs(moving), "no longer reads k/1");
    live.committed(changed("m/x"));
    assertEquals(4, runs(moving));

    watch.dispose();
    live.committed(changed("m/x"));
    assertEquals(4, runs(moving));
  }

  @Test
  void aWatchWhoseRunIsUnderWayIsMarkedToRunAgain() {
    TestScheduler scheduler = new TestScheduler();
    LiveQueries live = live(scheduler);
    ReadQuery<Integer> q = query(key("k/1"));
    List<Integer> seen = new ArrayList<>();
    live.watch(q).subscribe(seen::add);
    // Its first run is queued and has not read anything yet: any touching commit counts.
    live.committed(changed("k/1"));
    live.committed(changed("k/1"));
    scheduler.triggerActions();
    assertEquals(List.of(1), seen, "the burst coalesced into the first run");
    live.committed(changed("other"));
    scheduler.triggerActions();
    assertEquals(List.of(1), seen);
    live.committed(changed("k/1"));
    scheduler.triggerActions();
    assertEquals(List.of(1, 2), seen);
  }

  @Test
  void aSubscriberThatThrowsDoesNotStopTheRunner() {
    List<Throwable> reported = new ArrayList<>();
    io.reactivex.rxjava3.plugins.RxJavaPlugins.setErrorHandler(reported::add);
    try {
      TestScheduler scheduler = new TestScheduler();
      LiveQueries live = live(scheduler);
      ReadQuery<Integer> bad = query(key("k/1"));
      ReadQuery<Integer> good = query(key("k/1"));
      live.watch(bad)
          .subscribe(
              new org.reactivestreams.Subscriber<Integer>() {
                @Override
                public void onSubscribe(org.reactivestreams.Subscription s) {
                  s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(Integer value) {
                  throw new IllegalStateException("subscriber bug");
                }

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onComplete() {}
              });
      List<Integer> seen = new ArrayList<>();
      live.watch(good).subscribe(seen::add);
      scheduler.triggerActions();
      live.committed(changed("k/1"));
      scheduler.triggerActions();
      assertEquals(List.of(1, 2), seen);
    } finally {
      io.reactivex.rxjava3.plugins.RxJavaPlugins.setErrorHandler(null);
    }
  }

  @Test
  void theIndexFindsWhatTestingEveryWatchFinds() {
    Random random = new Random(15);
    LiveQueries live = live(Schedulers.trampoline());
    List<ReadQuery<Integer>> queries = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      KeySet reads = new KeySet();
      int shape = random.nextInt(10);
      if (shape == 0) {
        reads = KeySet.everything();
      } else {
        for (int k = random.nextInt(3); k > 0; k--) reads.addKey(randomKey(random));
        for (int r = random.nextInt(3); r > 0; r--) {
          String a = randomKey(random);
          String b = random.nextInt(8) == 0 ? null : randomKey(random);
          reads.addRange(a, b);
        }
      }
      ReadQuery<Integer> q = query(reads);
      queries.add(q);
      live.watch(q).subscribe();
    }
    for (int commit = 0; commit < 500; commit++) {
      String[] keys = new String[1 + random.nextInt(3)];
      for (int k = 0; k < keys.length; k++) keys[k] = randomKey(random);
      KeySet changes = changed(keys);
      Set<ReadQuery<?>> expected = new HashSet<>();
      for (ReadQuery<Integer> q : queries) {
        if (readsOf.get(q).intersects(changes)) expected.add(q);
      }
      List<Integer> before = counts(queries);
      live.committed(changes);
      List<Integer> after = counts(queries);
      Set<ReadQuery<?>> reRan = new HashSet<>();
      for (int i = 0; i < queries.size(); i++) {
        int delta = after.get(i) - before.get(i);
        if (delta > 1) throw new AssertionError("ran twice for one commit");
        if (delta == 1) reRan.add(queries.get(i));
      }
      assertEquals(expected, reRan, "commit " + commit);
    }
  }

  private static String randomKey(Random random) {
    StringBuilder key = new StringBuilder();
    for (int i = 1 + random.nextInt(3); i > 0; i--) key.append((char) ('a' + random.nextInt(4)));
    return key.toString();
  }

  private List<Integer> counts(List<ReadQuery<Integer>> queries) {
    List<Integer> counts = new ArrayList<>();
    for (ReadQuery<Integer> q : queries) counts.add(runs(q));
    return counts;
  }
}
