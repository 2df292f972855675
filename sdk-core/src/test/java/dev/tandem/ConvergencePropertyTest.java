package dev.tandem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.ChatMutators.Increment;
import io.reactivex.rxjava3.observers.TestObserver;
import io.reactivex.rxjava3.schedulers.Schedulers;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Any interleaving of mutations, pushes, pulls, lost responses and restarts on several clients
 * converges to the server's state, with no mutation lost or applied twice. Increments are the
 * witness: a lost mutation leaves a sum too small, a duplicated one too large. Right after each
 * completed pull, the pulling client's counters are the server's plus its own mutations the server
 * has not confirmed; at the end, once lost responses stop and every client has flushed and pulled,
 * the server and every client hold the sums of all mutations made, and nothing is pending.
 *
 * <p>Each seed is one test: a {@link Random} seeded with it chooses every step of the run (5 to 40
 * steps of mutate, advance time, pull, lose the next push or pull response, restart a client), and
 * time moves only on a {@link TestScheduler}, so a seed always replays the same run. The seeds are
 * fixed: the same {@value #SEEDS} every build. A failure's message names its seed, the failing
 * check and the run's steps (numbered from 0); run that seed alone with
 *
 * <pre>
 * mvn -pl sdk-core test -Dtest=ConvergencePropertyTest -Dtandem.seed=SEED
 * </pre>
 *
 * and explore beyond the usual seeds with {@code -Dtandem.seeds=1000} (the first {@value #SEEDS} of
 * those are the usual ones).
 */
class ConvergencePropertyTest {
  static final int CLIENTS = 3;
  static final String[] KEYS = {"a", "b", "c"};

  /** How many seeds a build runs (a run takes 0.2 to 1 s). */
  static final int SEEDS = 25;

  /** Where the fixed seeds come from. */
  static final long SEED_SOURCE = 0x7a6e_de77_c0de_5eedL;

  enum Kind {
    MUTATE,
    ADVANCE,
    PULL,
    DROP_PUSH,
    DROP_PULL,
    RESTART
  }

  /** Kinds drawn with these weights: mutate 3, advance 2, the others 1 each. */
  static final Kind[] KINDS = {
    Kind.MUTATE,
    Kind.MUTATE,
    Kind.MUTATE,
    Kind.ADVANCE,
    Kind.ADVANCE,
    Kind.PULL,
    Kind.DROP_PUSH,
    Kind.DROP_PULL,
    Kind.RESTART
  };

  /**
   * One step of a run. {@code amount} is the increment of a mutate and the milliseconds of an
   * advance.
   */
  record Step(Kind kind, int client, int key, int amount) {
    @Override
    public String toString() {
      return kind + "(" + client + "," + KEYS[key] + "," + amount + ")";
    }
  }

  @TestFactory
  Stream<DynamicTest> everyInterleavingConvergesWithNothingLostOrDoubled() {
    return seeds().mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> check(seed)));
  }

  /** {@code -Dtandem.seed} alone, or the first {@code -Dtandem.seeds} (default {@link #SEEDS}). */
  static LongStream seeds() {
    return seeds(SEEDS, SEED_SOURCE);
  }

  /** {@code -Dtandem.seed} alone, or the first {@code -Dtandem.seeds} (default {@code count}). */
  static LongStream seeds(int count, long source) {
    String one = System.getProperty("tandem.seed");
    if (one != null && !one.isEmpty()) return LongStream.of(Long.parseLong(one.trim()));
    return new SplittableRandom(source)
        .longs(Integer.getInteger("tandem.seeds", count), 1, Long.MAX_VALUE);
  }

  /** The run a seed stands for. */
  static List<Step> steps(long seed) {
    Random random = new Random(seed);
    int size = 5 + random.nextInt(36);
    List<Step> steps = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      steps.add(
          new Step(
              KINDS[random.nextInt(KINDS.length)],
              random.nextInt(CLIENTS),
              random.nextInt(KEYS.length),
              1 + random.nextInt(200)));
    }
    return steps;
  }

  /** Runs a seed's steps; any failure is rethrown naming the seed, how to replay it, the steps. */
  static void check(long seed) throws Exception {
    List<Step> steps = steps(seed);
    replayable("ConvergencePropertyTest", seed, steps, () -> run(steps));
  }

  /** A seeded run of a property test. */
  interface Run {
    void run() throws Exception;
  }

  /**
   * Runs {@code run}; any failure is rethrown naming the seed, how to replay it with {@code
   * -Dtandem.seed}, and the run's {@code steps}.
   */
  static void replayable(String test, long seed, Object steps, Run run) {
    try {
      run.run();
    } catch (Exception | AssertionError e) {
      throw new AssertionError(
          "seed "
              + seed
              + " failed (replay: mvn -pl sdk-core test -Dtest="
              + test
              + " -Dtandem.seed="
              + seed
              + "): "
              + e
              + "\n  steps: "
              + steps,
          e);
    }
  }

  static void run(List<Step> steps) throws Exception {
    Path directory = Files.createTempDirectory("tandem-property");
    TestScheduler scheduler = new TestScheduler();
    Map<String, Long> expected = new TreeMap<>();
    Tandem[] clients = new Tandem[CLIENTS];
    List<List<long[]>> made = new ArrayList<>(); // Per client: {mutation ID, key index, amount}.
    for (int i = 0; i < CLIENTS; i++) made.add(new ArrayList<>());
    try (StubServer server = new StubServer(directory)) {
      for (int i = 0; i < CLIENTS; i++) clients[i] = open(directory, server, scheduler, i);
      scheduler.triggerActions();
      for (int index = 0; index < steps.size(); index++) {
        Step step = steps.get(index);
        switch (step.kind()) {
          case MUTATE:
            long id =
                clients[step.client()].mutate(
                    "increment", new Increment(KEYS[step.key()], step.amount()));
            made.get(step.client()).add(new long[] {id, step.key(), step.amount()});
            expected.merge(KEYS[step.key()], (long) step.amount(), Long::sum);
            break;
          case ADVANCE:
            scheduler.advanceTimeBy(step.amount(), TimeUnit.MILLISECONDS);
            break;
          case PULL:
            AtomicBoolean pulled = new AtomicBoolean();
            clients[step.client()].pull().doOnComplete(() -> pulled.set(true)).test();
            scheduler.triggerActions();
            if (pulled.get()) {
              // Right after a pull: the server's state plus this client's unconfirmed mutations.
              Tandem client = clients[step.client()];
              Map<String, Long> view = server.counters();
              long confirmed = server.lastMutationID(client.clientID());
              for (long[] mutation : made.get(step.client())) {
                if (mutation[0] > confirmed)
                  view.merge(KEYS[(int) mutation[1]], mutation[2], Long::sum);
              }
              assertEquals(
                  view,
                  counters(client),
                  "client " + step.client() + " after step " + index + ", " + step);
            }
            break;
          case DROP_PUSH:
            server.dropPushResponses.incrementAndGet();
            break;
          case DROP_PULL:
            server.dropPullResponses.incrementAndGet();
            break;
          case RESTART:
            clients[step.client()].close();
            clients[step.client()] = open(directory, server, scheduler, step.client());
            scheduler.triggerActions();
            break;
        }
      }

      // Let the network heal, then everyone flushes and pulls.
      server.dropPushResponses.set(0);
      server.dropPullResponses.set(0);
      for (Tandem client : clients) settle(client.flush(), scheduler);
      for (Tandem client : clients) settle(client.pull(), scheduler);

      assertEquals(expected, server.counters(), "server state at the end");
      for (int i = 0; i < CLIENTS; i++) {
        assertEquals(expected, counters(clients[i]), "client " + i + " state at the end");
        assertEquals(
            0,
            clients[i].status().blockingFirst().pendingCount(),
            "client " + i + " pending at the end");
      }
    } finally {
      for (Tandem client : clients) {
        if (client != null) client.close();
      }
      deleteRecursively(directory);
    }
  }

  static Tandem open(Path directory, StubServer server, TestScheduler scheduler, int index) {
    return ChatMutators.register(Tandem.builder())
        .databaseFile(new File(directory.toFile(), "client" + index + ".db"))
        .serverUrl(server.url())
        .pokeUrl(null)
        .pullInterval(0)
        .scheduler(scheduler)
        .queryScheduler(Schedulers.trampoline())
        .auth(AuthProvider.of("user"))
        .build();
  }

  /** Advances time until {@code completable} completes (backoff is at most 60 s). */
  static void settle(io.reactivex.rxjava3.core.Completable completable, TestScheduler scheduler) {
    AtomicBoolean done = new AtomicBoolean();
    TestObserver<Void> observer = completable.doOnTerminate(() -> done.set(true)).test();
    for (int i = 0; i < 200 && !done.get(); i++) {
      scheduler.advanceTimeBy(1, TimeUnit.SECONDS);
    }
    observer.assertComplete();
  }

  static Map<String, Long> counters(Tandem client) throws Exception {
    Map<String, Long> result = new TreeMap<>();
    for (KeyValue entry : client.query(tx -> tx.scan(ScanOptions.prefix("counter/")))) {
      result.put(entry.key().substring("counter/".length()), entry.value(Long.class));
    }
    return result;
  }

  static void deleteRecursively(Path directory) throws Exception {
    try (Stream<Path> paths = Files.walk(directory)) {
      List<Path> all = new ArrayList<>();
      paths.sorted(Comparator.reverseOrder()).forEach(all::add);
      for (Path path : all) Files.deleteIfExists(path);
    }
  }
}
