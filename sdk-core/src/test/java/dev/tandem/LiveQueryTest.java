package dev.tandem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.ChatMutators.CreateMessage;
import dev.tandem.ChatMutators.Increment;
import dev.tandem.ChatMutators.UpdateMessage;
import io.reactivex.rxjava3.schedulers.Schedulers;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import io.reactivex.rxjava3.subscribers.TestSubscriber;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveQueryTest {
  @TempDir Path directory;
  Tandem tandem;

  @AfterEach
  void close() {
    if (tandem != null) tandem.close();
  }

  Tandem open(io.reactivex.rxjava3.core.Scheduler queries) {
    tandem =
        ChatMutators.register(Tandem.builder())
            .databaseFile(new File(directory.toFile(), "live.db"))
            .queryScheduler(queries)
            .build();
    return tandem;
  }

  static List<String> contents(ReadTransaction tx) {
    List<String> contents = new ArrayList<>();
    for (KeyValue entry : tx.scan(ScanOptions.prefix("message/"))) {
      contents.add(entry.value(ChatMutators.Message.class).content);
    }
    return contents;
  }

  @Test
  void emitsAtOnceThenOnlyWhenACommitChangedTheResult() {
    open(Schedulers.trampoline());
    TestSubscriber<List<String>> messages = tandem.watch(LiveQueryTest::contents).test();
    messages.assertValues(new ArrayList<>());

    tandem.mutate("createMessage", new CreateMessage("m1", "ann", "hi", 1));
    tandem.mutate("increment", new Increment("unrelated", 1));
    tandem.mutate("updateMessage", new UpdateMessage("m1", "hi")); // Same content: same result.
    tandem.mutate("createMessage", new CreateMessage("m2", "bob", "yo", 2));

    messages.assertValues(new ArrayList<>(), Arrays.asList("hi"), Arrays.asList("hi", "yo"));
  }

  @Test
  void aQueryOfOneKeyIgnoresOtherKeys() {
    open(Schedulers.trampoline());
    List<Integer> runs = new ArrayList<>();
    TestSubscriber<Long> counter =
        tandem
            .watch(
                tx -> {
                  runs.add(1);
                  Long value = tx.get("counter/a", Long.class);
                  return value == null ? 0L : value;
                })
            .test();

    tandem.mutate("increment", new Increment("b", 1));
    tandem.mutate("increment", new Increment("ab", 1));
    tandem.mutate("increment", new Increment("a", 5));

    counter.assertValues(0L, 5L);
    assertEquals(2, runs.size(), "re-run only for the commit that touched counter/a");
  }

  @Test
  void burstsOfCommitsCoalesceIntoOneRerun() {
    TestScheduler queries = new TestScheduler();
    open(queries);
    TestSubscriber<List<String>> messages = tandem.watch(LiveQueryTest::contents).test();
    queries.triggerActions();

    for (int i = 0; i < 10; i++) {
      tandem.mutate("createMessage", new CreateMessage("m" + i, "ann", "n" + i, i));
    }
    queries.triggerActions();

    assertEquals(2, messages.values().size());
    assertEquals(10, messages.values().get(1).size());
  }

  @Test
  void disposingStopsReruns() {
    open(Schedulers.trampoline());
    List<Integer> runs = new ArrayList<>();
    TestSubscriber<Boolean> watch =
        tandem
            .watch(
                tx -> {
                  runs.add(1);
                  return tx.has("message/m1");
                })
            .test();
    watch.cancel();

    tandem.mutate("createMessage", new CreateMessage("m1", "ann", "hi", 1));

    assertEquals(1, runs.size());
  }

  @Test
  void aFailingQueryErrorsTheStream() {
    open(Schedulers.trampoline());
    TestSubscriber<Object> watch =
        tandem
            .watch(
                tx -> {
                  throw new IllegalStateException("bad query");
                })
            .test();
    watch.assertError(IllegalStateException.class);
  }

  @Test
  void byDefaultReRunsShareTwoThreadsOfTheInstance() throws Exception {
    open(null);
    java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.concurrent.CountDownLatch reRan = new java.util.concurrent.CountDownLatch(50);
    List<io.reactivex.rxjava3.disposables.Disposable> watches = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      watches.add(
          tandem
              .watch(
                  tx -> {
                    threads.add(Thread.currentThread().getName());
                    return tx.get("counter/a") == null ? 0L : 1L;
                  })
              .filter(value -> value == 1L)
              .subscribe(value -> reRan.countDown()));
    }
    tandem.mutate("increment", new Increment("a", 1));

    assertEquals(true, reRan.await(10, java.util.concurrent.TimeUnit.SECONDS));
    for (io.reactivex.rxjava3.disposables.Disposable watch : watches) watch.dispose();
    assertEquals(true, threads.size() <= 2, threads.toString());
    for (String thread : threads) assertEquals(true, thread.startsWith("tandem-query-"), thread);
  }
}
