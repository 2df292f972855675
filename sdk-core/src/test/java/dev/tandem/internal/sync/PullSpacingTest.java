package dev.tandem.internal.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.AuthProvider;
import dev.tandem.Mutators;
import dev.tandem.internal.Engine;
import dev.tandem.internal.db.JdbcSqlDriver;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls asked for by pokes: a poke while no pull is out or due pulls at once (A→B latency); pokes
 * that come while a pull is out are answered by one pull {@code pullDelay} after that pull started.
 * A real store file, MockWebServer, time on a TestScheduler.
 */
class PullSpacingTest {
  static final long PULL_DELAY = 30;

  @TempDir Path directory;
  final MockWebServer server = new MockWebServer();
  final TestScheduler scheduler = new TestScheduler();

  /** Scheduler time (ms) at which each pull reached the server. */
  final List<Long> pulledAt = Collections.synchronizedList(new ArrayList<>());

  /** Pokes the server "sends" while answering the next pull (as pushes of a burst would). */
  volatile int pokesDuringNextPull;

  JdbcSqlDriver driver;
  Puller puller;
  Transport transport;
  int cookie;

  @BeforeEach
  void start() throws Exception {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            pulledAt.add(scheduler.now(TimeUnit.MILLISECONDS));
            for (; pokesDuringNextPull > 0; pokesDuringNextPull--) puller.poked();
            return new MockResponse.Builder()
                .body(
                    "{\"cookie\":"
                        + ++cookie
                        + ",\"lastMutationIDChanges\":{},\"patch\":[{\"op\":\"put\",\"key\":\"c\","
                        + "\"value\":"
                        + cookie
                        + "}]}")
                .build();
          }
        });
    server.start();
    driver = new JdbcSqlDriver(new File(directory.toFile(), "pulls.db"), false);
    Engine engine = Engine.open(driver, null, Mutators.builder());
    SyncState state = new SyncState(engine.store);
    SyncConfig config =
        new SyncConfig(
            null,
            server.url("/pull").toString(),
            Collections.emptyList(),
            "",
            AuthProvider.of("ann"),
            new OkHttpClient(),
            null,
            scheduler,
            10,
            PULL_DELAY,
            0,
            30,
            60_000,
            100,
            1 << 20);
    transport = new Transport(new Http(config.httpClient, null, engine.clientID, "s"), config.auth);
    puller =
        new Puller(
            state,
            engine.store,
            transport,
            engine.applier,
            config,
            () -> 0,
            (p, r) -> {},
            () -> {});
  }

  @AfterEach
  void stop() throws Exception {
    puller.close();
    transport.close();
    driver.close();
    server.close();
  }

  @Test
  void aPokeAfterAQuietSpellPullsAtOnce() {
    scheduler.advanceTimeBy(1_000, TimeUnit.MILLISECONDS);
    puller.poked();
    scheduler.triggerActions();
    assertEquals(List.of(1_000L), pulledAt);

    scheduler.advanceTimeBy(PULL_DELAY, TimeUnit.MILLISECONDS); // Quiet for pullDelay.
    puller.poked();
    scheduler.triggerActions();
    assertEquals(List.of(1_000L, 1_000L + PULL_DELAY), pulledAt);
  }

  @Test
  void pokesDuringAPullAreAnsweredByOnePullAPullDelayAfterItStarted() {
    scheduler.advanceTimeBy(1_000, TimeUnit.MILLISECONDS);
    pokesDuringNextPull = 5; // A burst: five pokes while the first pull is out.
    puller.poked();
    scheduler.triggerActions();
    assertEquals(List.of(1_000L), pulledAt);

    scheduler.advanceTimeBy(PULL_DELAY - 1, TimeUnit.MILLISECONDS);
    assertEquals(List.of(1_000L), pulledAt); // Not right behind the first.
    scheduler.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    assertEquals(List.of(1_000L, 1_000L + PULL_DELAY), pulledAt); // One pull for all five.

    scheduler.advanceTimeBy(10 * PULL_DELAY, TimeUnit.MILLISECONDS);
    assertEquals(2, pulledAt.size());
  }

  @Test
  void pokesWhileTheSpacedPullIsDueJoinIt() {
    scheduler.advanceTimeBy(1_000, TimeUnit.MILLISECONDS);
    pokesDuringNextPull = 1;
    puller.poked();
    scheduler.triggerActions();
    scheduler.advanceTimeBy(5, TimeUnit.MILLISECONDS);
    puller.poked(); // The burst goes on between pulls: the pull due at 1 030 answers it too.
    puller.poked();
    scheduler.triggerActions();
    assertEquals(List.of(1_000L), pulledAt);
    scheduler.advanceTimeBy(PULL_DELAY - 5, TimeUnit.MILLISECONDS);
    assertEquals(List.of(1_000L, 1_000L + PULL_DELAY), pulledAt);
  }

  @Test
  void aPokeAfterAPullEndedWithNoneDuePullsAtOnce() {
    scheduler.advanceTimeBy(1_000, TimeUnit.MILLISECONDS);
    puller.poked();
    scheduler.triggerActions();
    scheduler.advanceTimeBy(5, TimeUnit.MILLISECONDS); // Within pullDelay, but nothing is out.
    puller.poked();
    scheduler.triggerActions();
    assertEquals(List.of(1_000L, 1_005L), pulledAt);
  }
}
