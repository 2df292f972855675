package dev.tandem;

import static dev.tandem.Column.number;
import static dev.tandem.Column.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.ChatMutators.Increment;
import dev.tandem.protocol.Cookie;
import dev.tandem.protocol.PushRequest;
import io.reactivex.rxjava3.observers.TestObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * Schema versions in sync: mutations of an older version are pushed under it with their own
 * clientID (mutation recovery) or, once the server no longer serves it, handed to the app; a server
 * behind the client is retried; onUpdateNeeded says why and with which versions.
 */
class MutationRecoveryTest extends SyncFixture {
  static final String TOO_OLD =
      "{\"error\":\"VersionNotSupported\",\"versionType\":\"schema\",\"reason\":\"clientTooOld\","
          + "\"minSchemaVersion\":\"4\",\"maxSchemaVersion\":\"6\"}";
  static final String TOO_NEW =
      "{\"error\":\"VersionNotSupported\",\"versionType\":\"schema\",\"reason\":\"clientTooNew\","
          + "\"minSchemaVersion\":\"1\",\"maxSchemaVersion\":\"2\"}";

  /** Makes mutation 1 (counter/a += 1) offline with schema version 3, and closes; its clientID. */
  String madeUnderVersion3() {
    Tandem old = builder().networkAvailable(false).build();
    old.mutate("increment", new Increment("a", 1));
    String client = old.clientID();
    old.close();
    return client;
  }

  /** The pushes sent so far, in order (pulls skipped). */
  List<PushRequest> pushesSent() throws Exception {
    List<PushRequest> sent = new ArrayList<>();
    RecordedRequest request;
    while ((request = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
      if (request.getUrl().encodedPath().endsWith("/push")) sent.add(push(request));
    }
    return sent;
  }

  @Test
  void anOlderVersionsMutationsArePushedUnderItWithTheirOwnClientID() throws Exception {
    String old = madeUnderVersion3();
    enqueue(EMPTY_PULL);
    enqueuePush("{}");
    enqueuePush("{}");
    tandem = builder().schemaVersion("4").networkAvailable(false).build();
    tandem.mutate("increment", new Increment("a", 10));
    assertNotEquals(old, tandem.clientID());
    assertEquals(11.0, value("counter/a"), "both versions' mutations apply locally");
    tandem.setNetworkAvailable(true);
    scheduler.triggerActions();

    // Each push carries one version; the empty pull confirms nothing, so some are sent again.
    List<PushRequest> pushes = pushesSent();
    assertEquals("3", pushes.get(0).schemaVersion(), "oldest first");
    boolean sawCurrent = false;
    for (PushRequest push : pushes) {
      assertEquals(1, push.mutations().size(), "never two versions in one push");
      String client = push.mutations().get(0).clientID();
      assertEquals(push.schemaVersion().equals("3") ? old : tandem.clientID(), client);
      assertEquals(1, push.mutations().get(0).id(), "each client counts its own IDs from 1");
      sawCurrent |= push.schemaVersion().equals("4");
    }
    assertTrue(sawCurrent, String.valueOf(pushes));
    assertEquals("3", tandem.pendingMutations().get(0).schemaVersion());
    assertEquals("4", tandem.pendingMutations().get(1).schemaVersion());

    // One pull confirms both clients of the group.
    enqueue(
        pullResponse(
            2,
            "{\"" + old + "\":1,\"" + tandem.clientID() + "\":1}",
            "{\"op\":\"put\",\"key\":\"counter/a\",\"value\":11}"));
    tandem.pull().subscribe();
    scheduler.triggerActions();
    assertEquals(0, status().pendingCount());
    assertEquals(11.0, value("counter/a"));
  }

  @Test
  void flushWaitsForAnOlderVersionsPendingMutationsToo() throws Exception {
    String old = madeUnderVersion3();
    enqueue(EMPTY_PULL);
    enqueuePush("{}");
    tandem = builder().schemaVersion("4").networkAvailable(false).build();
    TestObserver<Void> flush = tandem.flush().test();
    scheduler.triggerActions();
    flush.assertNotComplete(); // This version made nothing, but the group still has a mutation.

    enqueue(
        pullResponse(
            2, "{\"" + old + "\":1}", "{\"op\":\"put\",\"key\":\"counter/a\",\"value\":1}"));
    tandem.setNetworkAvailable(true);
    scheduler.triggerActions();
    tandem.pull().subscribe();
    scheduler.triggerActions();

    assertEquals(0, status().pendingCount());
    flush.assertComplete();
  }

  @Test
  void anOlderVersionNoLongerServedIsHandedToTheAppAndTheQueueGoesOn() throws Exception {
    String old = madeUnderVersion3();
    List<RefusedMutation> refused = new CopyOnWriteArrayList<>();
    enqueue(EMPTY_PULL);
    enqueuePush(TOO_OLD);
    enqueuePush("{}");
    tandem =
        builder()
            .schemaVersion("4")
            .networkAvailable(false)
            .onMutationRefused(refused::add)
            .build();
    TestObserver<UpdateNeeded> updates = tandem.updateNeeded().test();
    tandem.mutate("increment", new Increment("b", 2));
    tandem.setNetworkAvailable(true);
    scheduler.triggerActions();

    assertEquals(1, refused.size());
    RefusedMutation recovered = refused.get(0);
    assertEquals(
        new PendingMutation(old, 1, "increment", "{\"by\":1,\"key\":\"a\"}", "3"),
        recovered.mutation());
    assertTrue(
        recovered.reason().contains("no longer serves schema version 3"), recovered.reason());
    assertNull(value("counter/a"), "its optimistic effect is reverted");
    assertEquals(2.0, value("counter/b"), "the current version's mutation stays");
    updates.assertNoValues();
    assertFalse(status().stopped());
    assertEquals(1, status().pendingCount());

    List<PushRequest> pushes = pushesSent();
    assertEquals("3", pushes.get(0).schemaVersion());
    assertEquals("4", pushes.get(1).schemaVersion());
    assertEquals(tandem.clientID(), pushes.get(1).mutations().get(0).clientID());
  }

  @Test
  void aServerBehindTheClientIsRetriedAndNeedsNoUpdate() throws Exception {
    start(EMPTY_PULL);
    TestObserver<UpdateNeeded> updates = tandem.updateNeeded().test();
    tandem.mutate("increment", new Increment("a", 1));
    enqueuePush(TOO_NEW);
    advance(10);

    SyncError error = status().lastError();
    assertEquals(SyncError.Kind.SERVER_BEHIND, error.kind());
    assertTrue(error.message().contains("1 to 2"), error.message());
    assertTrue(error.message().contains("is 3"), error.message());
    assertFalse(status().stopped());
    updates.assertNoValues();
    assertEquals(1, status().pendingCount());
    assertEquals(2, server.getRequestCount());

    enqueuePush("{}"); // The server is updated.
    advance(30);
    assertEquals(3, server.getRequestCount(), "retried after the backoff");
    assertNull(status().lastError());
  }

  @Test
  void aPullRefusedByAServerBehindTheClientIsRetried() throws Exception {
    enqueue(TOO_NEW);
    tandem = builder().build();
    TestObserver<UpdateNeeded> updates = tandem.updateNeeded().test();
    scheduler.triggerActions();

    assertEquals(SyncError.Kind.SERVER_BEHIND, status().lastError().kind());
    assertFalse(status().stopped());
    updates.assertNoValues();

    enqueue(EMPTY_PULL);
    advance(30);
    assertNull(status().lastError());
    assertEquals(2, server.getRequestCount(), "retried after the backoff");
  }

  @Test
  void aClientTooOldHearsWhyAndWhichVersionsTheServerServes() throws Exception {
    start(EMPTY_PULL);
    TestObserver<UpdateNeeded> updates = tandem.updateNeeded().test();
    tandem.mutate("increment", new Increment("a", 1));
    enqueuePush(TOO_OLD);
    advance(10);

    UpdateNeeded update = updates.values().get(0);
    assertEquals(
        new UpdateNeeded("schema", UpdateNeeded.Reason.SCHEMA_TOO_OLD, "3", "4", "6"), update);
    assertEquals("3", update.clientSchemaVersion());
    assertEquals("4", update.minSchemaVersion());
    assertEquals("6", update.maxSchemaVersion());
    assertTrue(status().stopped());
    assertEquals(SyncError.Kind.VERSION_NOT_SUPPORTED, status().lastError().kind());
    assertEquals(1, status().pendingCount(), "pending mutations are kept");
  }

  @Test
  void theOldConstructorStillSaysWhatItCan() {
    assertEquals(UpdateNeeded.Reason.PROTOCOL, new UpdateNeeded("push").reason());
    assertEquals(UpdateNeeded.Reason.SCHEMA_NOT_SUPPORTED, new UpdateNeeded("schema").reason());
    assertEquals(UpdateNeeded.Reason.UNKNOWN, new UpdateNeeded(null).reason());
    assertNull(new UpdateNeeded("pull").clientSchemaVersion());
  }

  static Schema tasks(int version, Column priority) {
    return Schema.builder()
        .version(version)
        .table(Table.named("task").columns(string("id"), priority).primaryKey("id"))
        .build();
  }

  Tandem.Builder taskApp(Schema schema) {
    return builder()
        .schemaVersion(Integer.toString(schema.version()))
        .schema(schema)
        .mutator(
            "addTask",
            String.class,
            (tx, id) -> tx.table("task").upsert(SchemaFixture.row("id", id)));
  }

  @Test
  void aRebuiltCopyShowsThePendingAtOnceAndPullsEverythingAgain() throws Exception {
    enqueue(
        pullResponse(
            1, "{}", "{\"op\":\"put\",\"key\":\"task/t1\",\"value\":{\"id\":\"t1\",\"p\":1}}"));
    tandem = taskApp(tasks(1, number("p").optional())).build();
    scheduler.triggerActions();
    assertEquals(1, tandem.query(Query.from("task")).size());
    tandem.setNetworkAvailable(false);
    tandem.mutate("addTask", "t2");
    tandem.close();
    server.takeRequest(); // The first pull.

    // p becomes a string: not additive.
    tandem = taskApp(tasks(2, string("p").optional())).networkAvailable(false).build();
    List<Row> rows = tandem.query(Query.from("task"));
    assertEquals(1, rows.size(), "the old rows are gone, the pending task is visible");
    assertEquals("t2", rows.get(0).getString("id"));
    assertEquals(1, status().pendingCount());

    enqueuePush("{}");
    enqueue(
        pullResponse(
            7,
            "{}",
            "{\"op\":\"clear\"}",
            "{\"op\":\"put\",\"key\":\"task/t1\",\"value\":{\"id\":\"t1\",\"p\":\"one\"}}"));
    tandem.setNetworkAvailable(true);
    scheduler.triggerActions();
    RecordedRequest first = takeRequest();
    RecordedRequest second = takeRequest();
    RecordedRequest pullRequest = first.getUrl().encodedPath().endsWith("/pull") ? first : second;
    assertEquals(Cookie.NULL, pull(pullRequest).cookie(), "a full pull");
    List<Row> after = tandem.query(Query.from("task").orderBy("id"));
    assertEquals(2, after.size(), "the server's rows, and the pending task replayed on top");
    assertEquals("one", after.get(0).getString("p"));
    assertEquals("t2", after.get(1).getString("id"));
  }
}
