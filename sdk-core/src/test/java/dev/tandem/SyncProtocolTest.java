package dev.tandem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.ChatMutators.Increment;
import dev.tandem.protocol.PullRequest;
import dev.tandem.protocol.PushRequest;
import io.reactivex.rxjava3.observers.TestObserver;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * One protocol behaviour per test, against MockWebServer, with time on a {@link TestScheduler}: no
 * sleeps. HTTP calls run synchronously inside {@code triggerActions}/{@code advanceTimeBy}.
 */
class SyncProtocolTest extends SyncFixture {
  @Test
  void theFirstPullSendsANullCookieAndAppliesThePatch() throws Exception {
    enqueue(pullResponse(1, "{}", "{\"op\":\"put\",\"key\":\"counter/a\",\"value\":7}"));
    tandem = builder().build();
    scheduler.triggerActions();

    RecordedRequest request = takeRequest();
    PullRequest pull = pull(request);
    assertEquals(1, pull.pullVersion());
    assertEquals(tandem.clientGroupID(), pull.clientGroupID());
    assertEquals("3", pull.schemaVersion());
    assertTrue(pull.cookie().isNull());
    assertEquals("application/json; charset=utf-8", request.getHeaders().get("Content-Type"));
    assertEquals("token-1", request.getHeaders().get("Authorization"));
    assertTrue(
        request
            .getHeaders()
            .get("X-Replicache-RequestID")
            .matches(tandem.clientID() + "-[0-9a-v]{8}-0"),
        request.getHeaders().get("X-Replicache-RequestID"));
    assertEquals(7.0, value("counter/a"));
    assertTrue(status().lastSyncMillis() >= 0 && status().lastError() == null);
  }

  @Test
  void theSchemaVersionTravelsAsSchemaVersion() throws Exception {
    enqueue(EMPTY_PULL);
    tandem =
        Tandem.builder()
            .databaseFile(new File(directory.toFile(), "schema.db"))
            .serverUrl(server.url("/api").toString())
            .pokeUrl(null)
            .schema(SchemaFixture.schema())
            .scheduler(scheduler)
            .build();
    scheduler.triggerActions();

    assertEquals("7", pull(takeRequest()).schemaVersion());
  }

  @Test
  void aMutationAfterAQuietSpellIsPushedAtOnceInOrder() throws Exception {
    start(EMPTY_PULL);
    enqueuePush("{}");
    tandem.mutate("increment", new Increment("a", 1));
    tandem.mutate("createMessage", new ChatMutators.CreateMessage("m1", "ann", "hi", 2));

    scheduler.triggerActions(); // No time passes: nothing was pushed for longer than the delay.

    PushRequest push = push(takeRequest());
    assertEquals(1, push.pushVersion());
    assertEquals(tandem.clientGroupID(), push.clientGroupID());
    assertEquals("3", push.schemaVersion());
    assertEquals(2, push.mutations().size());
    assertEquals(1, push.mutations().get(0).id());
    assertEquals("increment", push.mutations().get(0).name());
    assertEquals("{\"by\":1,\"key\":\"a\"}", push.mutations().get(0).args().toString());
    assertEquals(2, push.mutations().get(1).id());
    assertEquals(tandem.clientID(), push.mutations().get(1).clientID());
    assertEquals(2, status().pendingCount(), "a push confirms nothing");
  }

  @Test
  void mutationsWithinThePushDelayOfAPushWaitAndTravelTogether() throws Exception {
    start(EMPTY_PULL);
    enqueuePush("{}");
    enqueuePush("{}");
    tandem.mutate("increment", new Increment("a", 1));
    scheduler.triggerActions();
    assertEquals(Arrays.asList(1L), ids(push(takeRequest())));

    advance(3);
    tandem.mutate("increment", new Increment("a", 1));
    tandem.mutate("increment", new Increment("a", 1));
    advance(6);
    assertEquals(2, server.getRequestCount(), "the next push waits for the push delay");
    advance(1);

    assertEquals(Arrays.asList(2L, 3L), ids(push(takeRequest())));
  }

  @Test
  void pushesAreBatchedByCountAndLoopUntilEverythingIsSent() throws Exception {
    enqueue(EMPTY_PULL);
    tandem = builder().maxPushBatch(2, 1 << 20).build();
    scheduler.triggerActions();
    takeRequest();
    for (int i = 0; i < 5; i++) tandem.mutate("increment", new Increment("a", 1));
    enqueuePush("{}");
    enqueuePush("{}");
    enqueuePush("{}");

    advance(10);

    assertEquals(Arrays.asList(1L, 2L), ids(push(takeRequest())));
    assertEquals(Arrays.asList(3L, 4L), ids(push(takeRequest())));
    assertEquals(Arrays.asList(5L), ids(push(takeRequest())));
    assertEquals(4, server.getRequestCount());
  }

  @Test
  void pushesAreBatchedByBytes() throws Exception {
    enqueue(EMPTY_PULL);
    tandem = builder().maxPushBatch(100, 260).build();
    scheduler.triggerActions();
    takeRequest();
    for (int i = 0; i < 3; i++) tandem.mutate("increment", new Increment("a", 1));
    enqueuePush("{}");
    enqueuePush("{}");

    advance(10);

    assertEquals(Arrays.asList(1L, 2L), ids(push(takeRequest())));
    assertEquals(Arrays.asList(3L), ids(push(takeRequest())));
  }

  @Test
  void aFailedPushIsRetriedWithExponentialBackoff() throws Exception {
    start(EMPTY_PULL);
    enqueuePush(503);
    enqueuePush(503);
    enqueuePush("{}");
    tandem.mutate("increment", new Increment("a", 1));

    scheduler.triggerActions(); // Pushed at once: nothing was pushed before.
    assertEquals(2, server.getRequestCount());
    assertEquals("push answered HTTP 503", status().lastError().message());
    assertEquals(SyncError.Kind.HTTP, status().lastError().kind());
    assertEquals(503, status().lastError().httpStatus());
    assertEquals("{}", status().lastError().serverMessage());
    assertTrue(status().online(), "an HTTP error is not offline");
    advance(29);
    assertEquals(2, server.getRequestCount());
    advance(1);
    assertEquals(3, server.getRequestCount());
    advance(59);
    assertEquals(3, server.getRequestCount());
    advance(1);
    assertEquals(4, server.getRequestCount());
    assertNull(status().lastError());
  }

  @Test
  void a401AsksTheAuthProviderForANewToken() throws Exception {
    start(EMPTY_PULL);
    enqueuePush(401);
    enqueuePush("{}");
    tandem.mutate("increment", new Increment("a", 1));

    advance(10);

    takeRequest();
    assertEquals("token-2", takeRequest().getHeaders().get("Authorization"));
    assertEquals(Arrays.asList(false, false, true), authRefreshes);
  }

  @Test
  void aNetworkFailureMarksTheClientOffline() throws Exception {
    enqueue(EMPTY_PULL);
    tandem =
        builder()
            .httpClient(new OkHttpClient.Builder().retryOnConnectionFailure(false).build())
            .build();
    scheduler.triggerActions();
    pushes.add(
        new MockResponse.Builder()
            .onResponseStart(SocketEffect.ShutdownConnection.INSTANCE)
            .build());
    pushes.add(
        new MockResponse.Builder()
            .onResponseStart(SocketEffect.ShutdownConnection.INSTANCE)
            .build());
    tandem.mutate("increment", new Increment("a", 1));

    advance(10);
    assertEquals(false, status().online());
    assertTrue(
        status().lastError().message().startsWith("push failed"),
        String.valueOf(status().lastError()));
    assertEquals(SyncError.Kind.NETWORK, status().lastError().kind());

    enqueuePush("{}");
    advance(30);
    advance(60);
    assertEquals(true, status().online());
  }

  @Test
  void aPullConfirmsMutationsAndReplaysTheRestOnTopOfTheServerState() throws Exception {
    start(EMPTY_PULL);
    tandem.mutate("increment", new Increment("a", 1));
    tandem.mutate("increment", new Increment("a", 10));
    assertEquals(11.0, value("counter/a"));

    // The server applied only mutation 1, and someone else added 100.
    enqueue(pullResponse(2, confirmed(1), "{\"op\":\"put\",\"key\":\"counter/a\",\"value\":101}"));
    TestObserver<Void> pulled = tandem.pull().test();
    scheduler.triggerActions();

    pulled.assertComplete();
    assertEquals(111.0, value("counter/a"), "server's 101 plus the pending +10");
    assertEquals(1, status().pendingCount());
  }

  @Test
  void aResponseWithTheSameCookieChangesNothing() throws Exception {
    start(pullResponse(5, "{}", "{\"op\":\"put\",\"key\":\"counter/a\",\"value\":1}"));
    tandem.mutate("increment", new Increment("a", 1));

    enqueue(pullResponse(5, confirmed(1), "{\"op\":\"put\",\"key\":\"counter/a\",\"value\":50}"));
    tandem.pull().test();
    scheduler.triggerActions();

    assertEquals(2.0, value("counter/a"));
    assertEquals(1, status().pendingCount());
  }

  @Test
  void anOlderCookieIsRejectedAndRetried() throws Exception {
    start(pullResponse(5, "{}", "{\"op\":\"put\",\"key\":\"counter/a\",\"value\":1}"));

    enqueue(pullResponse(4, "{}", "{\"op\":\"put\",\"key\":\"counter/a\",\"value\":99}"));
    tandem.pull().test();
    scheduler.triggerActions();

    assertEquals(1.0, value("counter/a"));
    assertTrue(
        status().lastError().message().contains("older"), String.valueOf(status().lastError()));
    enqueue(pullResponse(6, "{}"));
    advance(30);
    assertEquals(3, server.getRequestCount(), "retried after the first backoff");
  }

  @Test
  void anOlderLastMutationIDIsRejected() throws Exception {
    start(EMPTY_PULL);
    tandem.mutate("increment", new Increment("a", 1));
    tandem.mutate("increment", new Increment("a", 1));
    enqueue(pullResponse(2, confirmed(2), "{\"op\":\"put\",\"key\":\"counter/a\",\"value\":2}"));
    tandem.pull().test();
    scheduler.triggerActions();
    takeRequest();

    enqueue(pullResponse(3, confirmed(1), "{\"op\":\"put\",\"key\":\"counter/a\",\"value\":5}"));
    tandem.pull().test();
    scheduler.triggerActions();

    assertEquals(2.0, value("counter/a"));
    assertTrue(
        status().lastError().message().contains("lastMutationID"),
        String.valueOf(status().lastError()));
  }

  @Test
  void malformedResponsesAreRejectedAndLeaveLocalStateUnchanged() throws Exception {
    start(pullResponse(1, "{}", "{\"op\":\"put\",\"key\":\"counter/a\",\"value\":1}"));
    tandem.mutate("increment", new Increment("b", 1));
    String[] malformed = {
      pullResponse(
          2,
          "{}",
          "{\"op\":\"put\",\"key\":\"counter/a\",\"value\":9}",
          "{\"op\":\"upsert\",\"key\":\"x\"}"),
      "{\"cookie\":2,\"patch\":[{\"op\":\"clear\"}],\"lastMutationIDChanges\":{\"c\":\"1\"}}",
      "{\"patch\":[{\"op\":\"clear\"}],\"lastMutationIDChanges\":{}}",
      "{\"cookie\":2,\"lastMutationIDChanges\":{},\"patch\":[{\"op\":\"clear\"}]",
      "<html>oops</html>",
      "{\"error\":\"Teapot\"}",
    };
    for (String body : malformed) {
      enqueue(body);
      tandem.pull().test();
      scheduler.triggerActions();
      assertEquals(1.0, value("counter/a"), body);
      assertEquals(1.0, value("counter/b"), body);
      assertTrue(
          status().lastError().message().startsWith("malformed pull response"),
          String.valueOf(status().lastError()));
      assertEquals(SyncError.Kind.PROTOCOL, status().lastError().kind());
    }
    assertEquals(1, status().pendingCount());
  }

  @Test
  void anUnsupportedVersionFiresUpdateNeededAndStopsSyncing() throws Exception {
    start(EMPTY_PULL);
    TestObserver<UpdateNeeded> updates = tandem.updateNeeded().test();
    tandem.mutate("increment", new Increment("a", 1));
    enqueuePush("{\"error\":\"VersionNotSupported\",\"versionType\":\"schema\"}");

    advance(10);

    updates.assertValue(
        new UpdateNeeded("schema", UpdateNeeded.Reason.SCHEMA_NOT_SUPPORTED, "3", null, null));
    assertTrue(status().stopped());
    TestObserver<Void> flush = tandem.flush().test();
    flush.assertError(SyncStoppedException.class);
    advance(120_000);
    assertEquals(2, server.getRequestCount(), "no more requests");
    assertEquals(1, status().pendingCount(), "pending mutations are kept");
    assertEquals(1.0, value("counter/a"));
  }

  @Test
  void anUnsupportedPullVersionFiresUpdateNeeded() throws Exception {
    enqueue("{\"error\":\"VersionNotSupported\",\"versionType\":\"pull\"}");
    tandem = builder().build();
    List<UpdateNeeded> heard = new ArrayList<>();
    tandem.onUpdateNeeded(heard::add);
    scheduler.triggerActions();

    assertEquals(
        Arrays.asList(new UpdateNeeded("pull", UpdateNeeded.Reason.PROTOCOL, "3", null, null)),
        heard);
    assertTrue(status().stopped());
  }

  /**
   * The event streams are made when first asked for (a fresh process need not load RxJava's
   * Observable): what happened before still reaches a late subscriber as documented.
   */
  @Test
  void aLateSubscriberHearsWhatHappenedBeforeTheStreamsWereAskedFor() throws Exception {
    enqueue("{\"error\":\"VersionNotSupported\",\"versionType\":\"pull\"}");
    tandem = builder().build();
    scheduler.triggerActions(); // Nobody has subscribed to anything yet.

    TestObserver<UpdateNeeded> updates = tandem.updateNeeded().test();
    updates.assertValue(new UpdateNeeded("pull", UpdateNeeded.Reason.PROTOCOL, "3", null, null));
    TestObserver<SyncStatus> statuses = tandem.status().test();
    statuses.assertValueCount(1);
    assertTrue(statuses.values().get(0).stopped(), "the latest status first");
    TestObserver<Boolean> lost = tandem.clientStateNotFound().test();
    lost.assertNoValues();
    tandem.refusedMutations().test().assertNoValues();
  }

  @Test
  void aForgottenGroupGoesOnInANewGroupWithEverythingPending() throws Exception {
    start(EMPTY_PULL);
    String oldGroup = tandem.clientGroupID();
    String oldClient = tandem.clientID();
    tandem.mutate("increment", new Increment("a", 1));
    enqueuePush("{}");
    enqueue(pullResponse(2, confirmed(1), "{\"op\":\"put\",\"key\":\"counter/a\",\"value\":1}"));
    tandem.flush().test();
    scheduler.triggerActions();
    push(takeRequest());
    pull(takeRequest());
    // Offline for long enough that the server forgot the group (client GC).
    tandem.mutate("increment", new Increment("a", 1));
    tandem.mutate("increment", new Increment("a", 1));
    enqueuePush("{\"error\":\"ClientStateNotFound\"}");
    TestObserver<Boolean> lost = tandem.clientStateNotFound().test();
    TestObserver<Void> flush = tandem.flush().test();
    scheduler.triggerActions();
    assertEquals(Arrays.asList(2L, 3L), ids(push(takeRequest())));

    lost.assertValue(true);
    assertNotEquals(oldGroup, tandem.clientGroupID());
    assertNotEquals(oldClient, tandem.clientID());
    assertEquals(Arrays.asList(1L, 2L), pendingIDs(), "renumbered for the new client");
    assertEquals(3.0, value("counter/a"), "the optimistic state stays");
    assertFalse(status().stopped());
    flush.assertNotComplete();

    enqueuePush("{}");
    enqueue(pullResponse(1, confirmed(2), "{\"op\":\"put\",\"key\":\"counter/a\",\"value\":3}"));
    advance(120_000);
    List<RecordedRequest> requests = new ArrayList<>();
    requests.add(takeRequest());
    requests.add(takeRequest());
    requests.sort((a, b) -> a.getUrl().encodedPath().compareTo(b.getUrl().encodedPath()));
    PullRequest fullPull = pull(requests.get(0));
    PushRequest again = push(requests.get(1));
    assertEquals(tandem.clientGroupID(), fullPull.clientGroupID());
    assertTrue(fullPull.cookie().isNull(), "the new group's first pull is a full one");
    assertEquals(tandem.clientGroupID(), again.clientGroupID());
    assertEquals(Arrays.asList(1L, 2L), ids(again));
    assertEquals(tandem.clientID(), again.mutations().get(0).clientID());
    assertEquals("increment", again.mutations().get(1).name());
    flush.assertComplete();
    assertEquals(0, status().pendingCount());
    assertEquals(3.0, value("counter/a"));
  }

  @Test
  void aFailedPullIsRetriedAndNotApplied() throws Exception {
    pulls.add(new MockResponse.Builder().code(500).body("{}").build());
    enqueue(pullResponse(1, "{}", "{\"op\":\"put\",\"key\":\"counter/a\",\"value\":3}"));
    tandem = builder().build();
    scheduler.triggerActions();
    assertEquals("pull answered HTTP 500", status().lastError().message());
    assertEquals(SyncError.Kind.HTTP, status().lastError().kind());
    assertNull(value("counter/a"));

    advance(30);

    assertEquals(3.0, value("counter/a"));
  }

  @Test
  void flushCompletesWhenTheServerHasConfirmedEverything() throws Exception {
    start(EMPTY_PULL);
    tandem.mutate("increment", new Increment("a", 1));
    tandem.mutate("increment", new Increment("a", 1));
    enqueuePush("{}");
    enqueue(pullResponse(2, confirmed(2), "{\"op\":\"put\",\"key\":\"counter/a\",\"value\":2}"));

    TestObserver<Void> flush = tandem.flush().test();
    scheduler.triggerActions();

    flush.assertComplete();
    assertEquals(0, status().pendingCount());
    push(takeRequest());
    pull(takeRequest());
  }

  @Test
  void aLargePullIsSpooledToDiskAndApplied() throws Exception {
    StringBuilder body =
        new StringBuilder("{\"cookie\":1,\"lastMutationIDChanges\":{},\"patch\":[");
    int rows = 20_000;
    for (int i = 0; i < rows; i++) {
      if (i > 0) body.append(',');
      body.append("{\"op\":\"put\",\"key\":\"row/")
          .append(i)
          .append("\",\"value\":{\"text\":\"")
          .append("x".repeat(100))
          .append("\"}}");
    }
    body.append("]}");
    assertTrue(body.length() > 2 << 20, "bigger than the in-memory spool");
    enqueue(body.toString());

    tandem = builder().build();
    scheduler.triggerActions();

    assertNull(status().lastError());
    assertEquals(rows, (int) tandem.query(tx -> tx.scan(ScanOptions.prefix("row/")).size()));
  }

  @Test
  void aClientWithOnlyAPullUrlPulls() throws Exception {
    enqueue(pullResponse(1, "{}", "{\"op\":\"put\",\"key\":\"counter/a\",\"value\":4}"));
    tandem =
        ChatMutators.register(Tandem.builder())
            .databaseFile(new File(directory.toFile(), "pull-only.db"))
            .pullUrl(server.url("/api/pull").toString())
            .pullInterval(0)
            .scheduler(scheduler)
            .build();
    TestObserver<Void> pulled = tandem.pull().test();
    scheduler.triggerActions();

    pulled.assertComplete();
    assertNull(status().lastError());
    assertEquals(4.0, value("counter/a"));
    tandem.mutate("increment", new Increment("a", 1));
    advance(1_000);
    assertEquals(1, server.getRequestCount(), "nothing to push to");
  }

  @Test
  void withoutANetworkNothingIsSentAndItsReturnSyncsAtOnce() throws Exception {
    start(EMPTY_PULL);
    tandem.setNetworkAvailable(false);
    assertEquals(false, status().online());
    tandem.mutate("increment", new Increment("a", 1));
    tandem.mutate("increment", new Increment("a", 2));
    advance(120_000);
    assertEquals(1, server.getRequestCount(), "nothing sent while offline");
    assertEquals(Arrays.asList(1L, 2L), pendingIDs());

    enqueuePush("{}");
    enqueue(pullResponse(2, confirmed(2), "{\"op\":\"put\",\"key\":\"counter/a\",\"value\":3}"));
    tandem.setNetworkAvailable(true);
    scheduler.triggerActions();

    assertEquals(true, status().online());
    assertEquals(Arrays.asList(1L, 2L), ids(push(takeRequest())));
    pull(takeRequest());
    assertEquals(Arrays.asList(), pendingIDs());
  }

  @Test
  void anIntervalPullHappensEveryPullInterval() throws Exception {
    enqueue(EMPTY_PULL);
    tandem = builder().pullInterval(60_000).build();
    scheduler.triggerActions();
    enqueue(EMPTY_PULL);

    advance(59_999);
    assertEquals(1, server.getRequestCount());
    advance(1);
    assertEquals(2, server.getRequestCount());
  }
}
