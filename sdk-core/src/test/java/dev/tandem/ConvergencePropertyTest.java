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
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Any interleaving of mutations, pushes, pulls, lost responses and restarts on several clients
 * converges to the server's state, with no mutation lost or applied twice. Increments are the
 * witness: a lost mutation leaves a sum too small, a duplicated one too large.
 */
class ConvergencePropertyTest {
  static final int CLIENTS = 3;
  static final String[] KEYS = {"a", "b", "c"};

  /** One step of a run. */
  static final class Step {
    final String kind;
    final int client;
    final int key;
    final int amount;

    Step(String kind, int client, int key, int amount) {
      this.kind = kind;
      this.client = client;
      this.key = key;
      this.amount = amount;
    }

    @Override
    public String toString() {
      return kind + "(" + client + "," + KEYS[key] + "," + amount + ")";
    }
  }

  @Provide
  Arbitrary<Step> steps() {
    return Combinators.combine(
            Arbitraries.of(
                "mutate",
                "mutate",
                "mutate",
                "advance",
                "advance",
                "pull",
                "dropPush",
                "dropPull",
                "restart"),
            Arbitraries.integers().between(0, CLIENTS - 1),
            Arbitraries.integers().between(0, KEYS.length - 1),
            Arbitraries.integers().between(1, 200))
        .as(Step::new);
  }

  @Provide
  Arbitrary<List<Step>> runs() {
    return steps().list().ofMinSize(5).ofMaxSize(40);
  }

  @Property(tries = 25)
  void everyInterleavingConvergesWithNothingLostOrDoubled(@ForAll("runs") List<Step> steps)
      throws Exception {
    Path directory = Files.createTempDirectory("tandem-property");
    TestScheduler scheduler = new TestScheduler();
    Map<String, Long> expected = new TreeMap<>();
    Tandem[] clients = new Tandem[CLIENTS];
    List<List<long[]>> made = new ArrayList<>(); // Per client: {mutation ID, key index, amount}.
    for (int i = 0; i < CLIENTS; i++) made.add(new ArrayList<>());
    try (StubServer server = new StubServer(directory)) {
      for (int i = 0; i < CLIENTS; i++) clients[i] = open(directory, server, scheduler, i);
      scheduler.triggerActions();
      for (Step step : steps) {
        switch (step.kind) {
          case "mutate":
            long id =
                clients[step.client].mutate(
                    "increment", new Increment(KEYS[step.key], step.amount));
            made.get(step.client).add(new long[] {id, step.key, step.amount});
            expected.merge(KEYS[step.key], (long) step.amount, Long::sum);
            break;
          case "advance":
            scheduler.advanceTimeBy(step.amount, TimeUnit.MILLISECONDS);
            break;
          case "pull":
            AtomicBoolean pulled = new AtomicBoolean();
            clients[step.client].pull().doOnComplete(() -> pulled.set(true)).test();
            scheduler.triggerActions();
            if (pulled.get()) {
              // Right after a pull: the server's state plus this client's unconfirmed mutations.
              Tandem client = clients[step.client];
              Map<String, Long> view = server.counters();
              long confirmed = server.lastMutationID(client.clientID());
              for (long[] mutation : made.get(step.client)) {
                if (mutation[0] > confirmed)
                  view.merge(KEYS[(int) mutation[1]], mutation[2], Long::sum);
              }
              assertEquals(view, counters(client), "client view after a pull, in " + steps);
            }
            break;
          case "dropPush":
            server.dropPushResponses.incrementAndGet();
            break;
          case "dropPull":
            server.dropPullResponses.incrementAndGet();
            break;
          case "restart":
            clients[step.client].close();
            clients[step.client] = open(directory, server, scheduler, step.client);
            scheduler.triggerActions();
            break;
          default:
            throw new AssertionError(step.kind);
        }
      }

      // Let the network heal, then everyone flushes and pulls.
      server.dropPushResponses.set(0);
      server.dropPullResponses.set(0);
      for (Tandem client : clients) settle(client.flush(), scheduler);
      for (Tandem client : clients) settle(client.pull(), scheduler);

      assertEquals(expected, server.counters(), "server state after " + steps);
      for (Tandem client : clients) {
        assertEquals(expected, counters(client), "client state after " + steps);
        assertEquals(0, client.status().blockingFirst().pendingCount());
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
