package dev.tandem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.internal.Internal;
import dev.tandem.internal.db.JdbcSqlDriver;
import dev.tandem.internal.db.SqlDriverFactory;
import dev.tandem.internal.store.Identity;
import dev.tandem.protocol.ProtocolJson;
import dev.tandem.protocol.PullRequest;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new database's first pull goes out before its store has opened, with IDs the store then keeps;
 * its answer is applied only into that store, once. Real threads (the default scheduler), a real
 * SQLite file, MockWebServer; the store's opening is held by a driver hook, not by sleeps.
 */
class FirstPullTest {
  /** Rows in the server's answer: over 1 MiB, so it is spooled to a file and parsed in parallel. */
  private static final int ROWS = 3000;

  @TempDir Path directory;
  private final MockWebServer server = new MockWebServer();

  /** Every pull the server answered, with whether the store had opened when it arrived. */
  private final List<Seen> pulls = new CopyOnWriteArrayList<>();

  private final CompletableFuture<RecordedRequest> firstRequest = new CompletableFuture<>();
  private final AtomicBoolean storeOpened = new AtomicBoolean();

  /** Answers to give before the full pull, in order. */
  private final java.util.Queue<MockResponse> answers =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  /** Counted down to let the server answer; the test may hold it to keep a pull in flight. */
  private volatile CountDownLatch answer = new CountDownLatch(0);

  private static final class Seen {
    final PullRequest request;
    final RecordedRequest recorded;
    final String requestID;
    final boolean afterOpen;

    Seen(PullRequest request, RecordedRequest recorded, boolean afterOpen) {
      this.request = request;
      this.recorded = recorded;
      this.requestID = recorded.getHeaders().get("X-Replicache-RequestID");
      this.afterOpen = afterOpen;
    }
  }

  @BeforeEach
  void startServer() throws IOException {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            if (!request.getUrl().encodedPath().endsWith("/pull")) {
              return new MockResponse.Builder().code(404).build();
            }
            boolean opened = storeOpened.get();
            PullRequest pull;
            try {
              pull =
                  ProtocolJson.moshi()
                      .adapter(PullRequest.class)
                      .fromJson(request.getBody().utf8());
            } catch (IOException e) {
              throw new AssertionError(e);
            }
            pulls.add(new Seen(pull, request, opened));
            firstRequest.complete(request);
            if (!answer.await(10, TimeUnit.SECONDS)) throw new AssertionError("never let answer");
            MockResponse scripted = answers.poll();
            return scripted != null
                ? scripted
                : new MockResponse.Builder().body(fullPull()).build();
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** The whole view at cookie 1: {@link #ROWS} rows of about 400 bytes. */
  private static String fullPull() {
    StringBuilder json =
        new StringBuilder("{\"cookie\":1,\"lastMutationIDChanges\":{},\"patch\":[");
    StringBuilder filler = new StringBuilder();
    for (int i = 0; i < 400; i++) filler.append('x');
    for (int i = 0; i < ROWS; i++) {
      if (i > 0) json.append(',');
      json.append(String.format("{\"op\":\"put\",\"key\":\"row/%05d\",\"value\":\"", i))
          .append(filler)
          .append("\"}");
    }
    return json.append("]}").toString();
  }

  private File file() {
    return directory.resolve("client.db").toFile();
  }

  private Tandem.Builder builder() {
    return Tandem.builder()
        .databaseFile(file())
        .serverUrl(server.url("/api").toString())
        .pokeUrl(null)
        .schemaVersion("3")
        .pullInterval(0);
  }

  /** Opens the store through {@code hook}, noting when it has opened. */
  private Tandem.Builder opening(Tandem.Builder builder, SqlDriverFactory hook) {
    Internal.get()
        .driverFactory(
            builder,
            (file, fullSync) -> {
              try {
                return hook.open(file, fullSync);
              } finally {
                storeOpened.set(true);
              }
            });
    return builder;
  }

  /** A hook that holds the store's opening until the server has the first pull. */
  private SqlDriverFactory afterTheFirstPullArrived() {
    return (file, fullSync) -> {
      try {
        firstRequest.get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError("no pull arrived while the store was held from opening", e);
      }
      return new JdbcSqlDriver(file, fullSync);
    };
  }

  private static int rows(Tandem tandem) throws Exception {
    return tandem.query(tx -> tx.scan(ScanOptions.prefix("row/")).size());
  }

  private int fullPulls() {
    int count = 0;
    for (Seen seen : pulls) {
      if (seen.request.cookie().isNull()) count++;
    }
    return count;
  }

  /** tandem_meta's profileID, read from the file by a connection of its own. */
  private String storedProfileID() throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement statement = db.createStatement();
        ResultSet rs =
            statement.executeQuery("SELECT value FROM tandem_meta WHERE key = 'profileID'")) {
      assertTrue(rs.next());
      return rs.getString(1);
    }
  }

  @Test
  void aNewDatabasesFirstPullGoesOutBeforeItsStoreOpens() throws Exception {
    try (Tandem tandem = opening(builder(), afterTheFirstPullArrived()).build()) {
      assertTrue(tandem.pull(10, TimeUnit.SECONDS));

      assertEquals(ROWS, rows(tandem));
      Seen first = pulls.get(0);
      assertFalse(first.afterOpen, "sent while the store was still opening");
      assertTrue(first.request.cookie().isNull());
      assertEquals(tandem.clientGroupID(), first.request.clientGroupID());
      assertTrue(first.requestID.startsWith(tandem.clientID() + "-"), first.requestID);
      assertTrue(first.requestID.endsWith("-0"), first.requestID);
      assertEquals(1, fullPulls(), "its answer was applied; nothing was asked twice");
      assertEquals(null, tandem.status().blockingFirst().lastError());
    }
  }

  @Test
  void theStoreKeepsTheIdsItsFirstPullWasSentWith() throws Exception {
    String clientID;
    String groupID;
    try (Tandem tandem = opening(builder(), afterTheFirstPullArrived()).build()) {
      assertTrue(tandem.pull(10, TimeUnit.SECONDS));
      clientID = tandem.clientID();
      groupID = tandem.clientGroupID();
    }
    Seen first = pulls.get(0);
    assertEquals(groupID, first.request.clientGroupID());
    assertEquals(storedProfileID(), first.request.profileID());
    try (Tandem again = builder().networkAvailable(false).build()) {
      assertEquals(clientID, again.clientID());
      assertEquals(groupID, again.clientGroupID());
      assertEquals(ROWS, rows(again));
    }
  }

  @Test
  void anExistingDatabaseSendsItsFirstPullAfterItsStoreOpened() throws Exception {
    String groupID;
    try (Tandem offline = builder().networkAvailable(false).build()) {
      groupID = offline.clientGroupID();
    }
    assertFalse(Identity.isNew(file()));

    try (Tandem tandem =
        opening(builder(), (file, fullSync) -> new JdbcSqlDriver(file, fullSync)).build()) {
      assertTrue(tandem.pull(10, TimeUnit.SECONDS));

      assertTrue(pulls.get(0).afterOpen);
      assertEquals(groupID, pulls.get(0).request.clientGroupID());
      assertEquals(ROWS, rows(tandem));
      assertEquals(1, fullPulls());
    }
  }

  @Test
  void aFailedOpenAppliesNothingAndTheNextStartPullsInFullOnce() throws Exception {
    // The store fails to open after the first pull went out (a crash would leave the same: the
    // database file created, no identity in it).
    Tandem.Builder failing =
        opening(
            builder(),
            (file, fullSync) -> {
              afterTheFirstPullArrived().open(file, fullSync).close();
              throw new IllegalStateException("disk on fire");
            });
    IllegalStateException e = assertThrows(IllegalStateException.class, failing::build);
    assertEquals("disk on fire", e.getMessage());
    String abandoned = pulls.get(0).request.clientGroupID();

    try (Tandem tandem = builder().build()) {
      assertTrue(tandem.pull(10, TimeUnit.SECONDS));

      assertNotEquals(abandoned, tandem.clientGroupID());
      assertEquals(ROWS, rows(tandem));
      int mine = 0;
      for (Seen seen : pulls) {
        if (seen.request.clientGroupID().equals(tandem.clientGroupID())
            && seen.request.cookie().isNull()) {
          mine++;
        }
      }
      assertEquals(1, mine, "one full pull of its own");
    }
  }

  @Test
  void closedBeforeTheAnswerCameTheNextStartPullsAgainWithTheSameIds() throws Exception {
    answer = new CountDownLatch(1); // The server holds its answer.
    String groupID;
    Tandem tandem = opening(builder(), afterTheFirstPullArrived()).build();
    groupID = tandem.clientGroupID();
    tandem.close(); // The request in flight is cancelled; the IDs are in the file.
    answer.countDown();
    assertEquals(groupID, pulls.get(0).request.clientGroupID());

    try (Tandem again = builder().build()) {
      assertTrue(again.pull(10, TimeUnit.SECONDS));

      assertEquals(groupID, again.clientGroupID());
      assertEquals(ROWS, rows(again));
      assertTrue(pulls.get(pulls.size() - 1).afterOpen);
    }
  }

  @Test
  void withTheNetworkGoneBeforeItRanTheFirstPullIsNotSent() throws Exception {
    TestScheduler scheduler = new TestScheduler();
    try (Tandem tandem = builder().scheduler(scheduler).build()) {
      tandem.setNetworkAvailable(false);
      scheduler.triggerActions();
      assertEquals(0, server.getRequestCount());

      tandem.setNetworkAvailable(true);
      scheduler.triggerActions();
      assertEquals(1, server.getRequestCount());
      assertEquals(ROWS, rows(tandem));
      assertEquals(tandem.clientGroupID(), pulls.get(0).request.clientGroupID());
    }
  }

  @Test
  void theFirstPullCarriesTheHeadersOfEveryRequest() throws Exception {
    try (Tandem tandem =
        opening(builder(), afterTheFirstPullArrived())
            .auth(refresh -> refresh ? "Bearer fresh" : "Bearer first")
            .build()) {
      assertTrue(tandem.pull(10, TimeUnit.SECONDS));
      assertTrue(tandem.pull(10, TimeUnit.SECONDS)); // A later pull, through OkHttp.

      RecordedRequest first = pulls.get(0).recorded;
      assertEquals("POST", first.getMethod());
      assertEquals("Bearer first", first.getHeaders().get("Authorization"));
      assertEquals("application/json; charset=utf-8", first.getHeaders().get("Content-Type"));
      assertEquals(
          ProtocolJson.moshi().adapter(PullRequest.class).toJson(pulls.get(0).request),
          first.getBody().utf8(),
          "the body any pull of this client would send");
      String prefix = pulls.get(0).requestID.substring(0, pulls.get(0).requestID.length() - 1);
      // (A pull() asked while one is under way runs once more after it: read each seen once.)
      int last = pulls.size() - 1;
      Seen later = pulls.get(last);
      assertEquals(prefix + last, later.requestID, "one session, counted on");
      assertEquals("Bearer first", later.recorded.getHeaders().get("Authorization"));
      // The same headers through the JDK and through OkHttp: the request ID aside, the same values.
      for (String name : new String[] {"Content-Type", "Authorization"}) {
        assertEquals(
            later.recorded.getHeaders().get(name), first.getHeaders().get(name), "header " + name);
      }
    }
  }

  @Test
  void aFirstPullAnswered401IsPulledAgainWithANewToken() throws Exception {
    answers.add(new MockResponse.Builder().code(401).body("{}").build());
    List<Boolean> refreshes = new CopyOnWriteArrayList<>();
    try (Tandem tandem =
        opening(builder(), afterTheFirstPullArrived())
            .auth(
                refresh -> {
                  refreshes.add(refresh);
                  return refresh ? "Bearer fresh" : "Bearer first";
                })
            .build()) {
      assertTrue(tandem.pull(10, TimeUnit.SECONDS));

      assertEquals(ROWS, rows(tandem));
      assertEquals("Bearer first", pulls.get(0).recorded.getHeaders().get("Authorization"));
      assertTrue(refreshes.contains(true), "asked for a new token: " + refreshes);
      assertEquals(
          "Bearer fresh",
          pulls.get(1).recorded.getHeaders().get("Authorization"),
          "the pull right after the 401, through OkHttp");
      assertEquals(null, tandem.status().blockingFirst().lastError());
    }
  }

  @Test
  void aFirstPullAnsweredWithAnErrorIsReportedAndRetriedWithBackoff() throws Exception {
    answers.add(new MockResponse.Builder().code(500).body("{\"error\":\"database down\"}").build());
    TestScheduler scheduler = new TestScheduler();
    try (Tandem tandem = builder().scheduler(scheduler).build()) {
      scheduler.triggerActions();

      SyncError error = tandem.status().blockingFirst().lastError();
      assertEquals(SyncError.Kind.HTTP, error.kind());
      assertEquals(500, error.httpStatus());
      assertEquals("{\"error\":\"database down\"}", error.serverMessage());
      assertEquals(1, server.getRequestCount(), "not asked again before the backoff");
      assertEquals(0, rows(tandem));

      scheduler.advanceTimeBy(30, TimeUnit.MILLISECONDS);
      assertEquals(2, server.getRequestCount());
      assertEquals(ROWS, rows(tandem));
    }
  }

  @Test
  void withTheAppsOwnClientTheFirstPullGoesThroughItBeforeTheStoreOpens() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    okhttp3.OkHttpClient client =
        new okhttp3.OkHttpClient.Builder()
            .addInterceptor(
                chain -> {
                  seen.add(chain.request().url().encodedPath());
                  return chain.proceed(chain.request());
                })
            .build();
    try (Tandem tandem =
        opening(builder().httpClient(client), afterTheFirstPullArrived()).build()) {
      assertTrue(tandem.pull(10, TimeUnit.SECONDS));

      assertFalse(pulls.get(0).afterOpen);
      assertEquals("/api/pull", seen.get(0));
      assertEquals(ROWS, rows(tandem));
      assertEquals(1, fullPulls());
    }
  }
}
