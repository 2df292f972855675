package dev.tandem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.ChatMutators.Increment;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Foreground and background ({@code setForeground}), the result scheduler, and platform callbacks
 * after close: what sdk-android drives, checked on the JVM with a {@link TestScheduler}.
 */
class ForegroundSyncTest extends SyncFixture {
  @Test
  void inTheBackgroundIntervalPullsPauseAndTheForegroundPullsAtOnce() throws Exception {
    enqueue(EMPTY_PULL);
    tandem = builder().pullInterval(60_000).build();
    scheduler.triggerActions();
    assertEquals(1, server.getRequestCount());

    tandem.setForeground(false);
    advance(10 * 60_000);
    assertEquals(1, server.getRequestCount(), "no interval pulls in the background");

    // Mutations made in the background are still pushed.
    enqueuePush("{}");
    tandem.mutate("increment", new Increment("a", 1));
    advance(100);
    takeRequest(); // the start-up pull
    assertEquals(Arrays.asList(1L), ids(push(takeRequest())));

    enqueue(pullResponse(2, confirmed(1), "{\"op\":\"put\",\"key\":\"counter/a\",\"value\":1}"));
    enqueue(EMPTY_PULL);
    tandem.setForeground(true);
    scheduler.triggerActions();
    pull(takeRequest()); // at once, not after the interval
    assertEquals(Arrays.asList(), pendingIDs());

    int before = server.getRequestCount();
    advance(60_000);
    assertEquals(before + 1, server.getRequestCount(), "interval pulls resume");
  }

  @Test
  void resultsAreDeliveredOnTheResultScheduler() throws Exception {
    TestScheduler results = new TestScheduler();
    enqueue(EMPTY_PULL);
    tandem = builder().resultScheduler(results).build();
    scheduler.triggerActions();

    List<Object> seen = new ArrayList<>();
    List<SyncStatus> statuses = new ArrayList<>();
    tandem.watch(tx -> tx.has("counter/a")).subscribe(seen::add);
    tandem.status().subscribe(statuses::add);
    assertEquals(Arrays.asList(), seen, "nothing until the result scheduler runs");
    assertEquals(Arrays.asList(), statuses);

    results.triggerActions();
    assertEquals(Arrays.asList(false), seen);
    assertEquals(1, statuses.size());
  }

  @Test
  void aPullAskedForJustBeforeTheBackgroundStillRuns() throws Exception {
    start(EMPTY_PULL);
    enqueue(pullResponse(2, "{}", "{\"op\":\"put\",\"key\":\"counter/a\",\"value\":5}"));
    io.reactivex.rxjava3.observers.TestObserver<Void> pulled = tandem.pull().test();
    tandem.setForeground(false); // Before the scheduler ran the pull.
    scheduler.triggerActions();

    pull(takeRequest());
    pulled.assertComplete();
    assertEquals(5L, ((Number) value("counter/a")).longValue());
  }

  @Test
  void inTheBackgroundAFailedPullIsNotRetriedUnlessSomeoneWaits() throws Exception {
    tandem = builder().pullInterval(60_000).build(); // The start-up pull gets a 503 ...
    scheduler.triggerActions();
    assertEquals(1, server.getRequestCount());
    tandem.setForeground(false); // ... and its retry is dropped with the background.
    advance(10 * 60_000);
    assertEquals(1, server.getRequestCount(), "nothing polls in the background");

    // Someone waits: a failing pull is retried with backoff until it lands.
    io.reactivex.rxjava3.observers.TestObserver<Void> pulled = tandem.pull().test();
    scheduler.triggerActions();
    assertEquals(2, server.getRequestCount());
    enqueue(EMPTY_PULL);
    advance(100);
    assertEquals(3, server.getRequestCount());
    pulled.assertComplete();
    advance(10 * 60_000);
    assertEquals(3, server.getRequestCount());
  }

  @Test
  void platformCallbacksAfterCloseDoNothing() throws Exception {
    start(EMPTY_PULL);
    tandem.close();
    tandem.setForeground(false);
    tandem.setNetworkAvailable(false);
    tandem.setNetworkAvailable(true);
    advance(60_000);
    assertEquals(1, server.getRequestCount());
  }
}
