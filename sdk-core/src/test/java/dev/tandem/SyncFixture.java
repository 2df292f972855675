package dev.tandem;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.protocol.ProtocolJson;
import dev.tandem.protocol.PullRequest;
import dev.tandem.protocol.PushRequest;
import io.reactivex.rxjava3.schedulers.Schedulers;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client against MockWebServer with time on a {@link TestScheduler}: no sleeps. HTTP calls run
 * synchronously inside {@code triggerActions}/{@code advanceTimeBy}. Pushes and pulls are answered
 * from separate queues; an empty queue answers 503.
 */
abstract class SyncFixture {
  static final String EMPTY_PULL = "{\"cookie\":1,\"lastMutationIDChanges\":{},\"patch\":[]}";

  @TempDir Path directory;
  final MockWebServer server = new MockWebServer();
  final TestScheduler scheduler = new TestScheduler();
  final List<Boolean> authRefreshes = new ArrayList<>();
  Tandem tandem;

  /** Pushes and pulls answered from separate queues; an empty queue answers 503. */
  final Deque<MockResponse> pushes = new ConcurrentLinkedDeque<>();

  final Deque<MockResponse> pulls = new ConcurrentLinkedDeque<>();

  @BeforeEach
  void startServer() throws IOException {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            Deque<MockResponse> queue =
                request.getUrl().encodedPath().endsWith("/push") ? pushes : pulls;
            MockResponse response = queue.poll();
            return response != null
                ? response
                : new MockResponse.Builder().code(503).body("{}").build();
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    if (tandem != null) tandem.close();
    server.close();
  }

  Tandem.Builder builder() {
    return ChatMutators.register(Tandem.builder())
        .databaseFile(new File(directory.toFile(), "client.db"))
        .serverUrl(server.url("/api").toString())
        .pokeUrl(null)
        .schemaVersion("3")
        .pullInterval(0)
        .scheduler(scheduler)
        .queryScheduler(Schedulers.trampoline())
        .auth(
            refresh -> {
              authRefreshes.add(refresh);
              return refresh ? "token-2" : "token-1";
            });
  }

  /** Opens the client and answers its first pull with {@code firstPull}. */
  Tandem start(String firstPull) throws Exception {
    enqueue(firstPull);
    tandem = builder().build();
    scheduler.triggerActions();
    takeRequest(); // The start-up pull.
    return tandem;
  }

  /** Queues the answer to the next pull. */
  void enqueue(String json) {
    pulls.add(new MockResponse.Builder().body(json).build());
  }

  /** Queues the answer to the next push. */
  void enqueuePush(String json) {
    pushes.add(new MockResponse.Builder().body(json).build());
  }

  void enqueuePush(int code) {
    pushes.add(new MockResponse.Builder().code(code).body("{}").build());
  }

  RecordedRequest takeRequest() throws InterruptedException {
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    if (request == null) throw new AssertionError("no request was made");
    return request;
  }

  static PushRequest push(RecordedRequest request) throws IOException {
    assertTrue(request.getUrl().encodedPath().endsWith("/push"), request.getUrl().toString());
    return ProtocolJson.moshi().adapter(PushRequest.class).fromJson(request.getBody().utf8());
  }

  static PullRequest pull(RecordedRequest request) throws IOException {
    assertTrue(request.getUrl().encodedPath().endsWith("/pull"), request.getUrl().toString());
    return ProtocolJson.moshi().adapter(PullRequest.class).fromJson(request.getBody().utf8());
  }

  Object value(String key) throws Exception {
    return tandem.query(tx -> tx.get(key));
  }

  SyncStatus status() {
    return tandem.status().blockingFirst();
  }

  void advance(long millis) {
    scheduler.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
  }

  static String pullResponse(int cookie, String lastMutationIDs, String... ops) {
    return "{\"cookie\":"
        + cookie
        + ",\"lastMutationIDChanges\":"
        + lastMutationIDs
        + ",\"patch\":["
        + String.join(",", ops)
        + "]}";
  }

  String confirmed(long id) {
    return "{\"" + tandem.clientID() + "\":" + id + "}";
  }

  static List<Long> ids(PushRequest push) {
    List<Long> ids = new ArrayList<>();
    for (dev.tandem.protocol.Mutation mutation : push.mutations()) ids.add(mutation.id());
    return ids;
  }

  List<Long> pendingIDs() {
    List<Long> ids = new ArrayList<>();
    for (PendingMutation mutation : tandem.pendingMutations()) ids.add(mutation.id());
    return ids;
  }
}
