package dev.tandem.server;

import static dev.tandem.server.Requests.createMessage;
import static dev.tandem.server.Requests.mutation;
import static dev.tandem.server.Requests.pullJson;
import static dev.tandem.server.Requests.pushJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.protocol.Cookie;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator uses, over real HTTP: liveness and readiness (not ready while draining or when
 * the database is gone), Prometheus metrics, and a graceful stop that finishes a push in progress.
 */
class OperatorEndpointsTest {
  @TempDir Path directory;
  Database database;
  Backend backend;
  TandemServer server;
  String base;
  final HttpClient http = HttpClient.newHttpClient();

  /** A push of {@code slow} waits in its transaction until released. */
  final CountDownLatch entered = new CountDownLatch(1);

  final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void start() throws Exception {
    database = TestDatabases.sqlite(directory);
    backend =
        ChatDomain.install(Backend.builder())
            .database(database)
            .mutator(
                "slow",
                (context, args) -> {
                  entered.countDown();
                  if (!release.await(30, TimeUnit.SECONDS)) throw new IllegalStateException();
                  try (PreparedStatement insert =
                      context
                          .connection()
                          .prepareStatement(
                              "INSERT INTO message (id, sender, content, ord, deleted, version)"
                                  + " VALUES ('slow', 'ann', 'done', 1, false, ?)")) {
                    insert.setLong(1, context.version());
                    insert.executeUpdate();
                  }
                })
            .build();
    server = TandemServer.builder(backend).port(0).start();
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    server.close();
    backend.close();
    database.close();
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpRequest post(String path, String json, String requestID) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json")
        .header("Authorization", "ann")
        .header("X-Replicache-RequestID", requestID)
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  @Test
  void liveAndReadyWhileServing() throws Exception {
    assertEquals(200, get("/health/live").statusCode());
    assertEquals(200, get("/health/ready").statusCode());
  }

  @Test
  void notReadyWhileDrainingButStillServing() throws Exception {
    server.drain();

    assertEquals(503, get("/health/ready").statusCode());
    assertEquals(200, get("/health/live").statusCode());
    HttpResponse<String> push =
        http.send(
            post("/api/replicache/push", pushJson("g1", createMessage("c1", 1, "m1", "hi")), "r1"),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, push.statusCode());
  }

  @Test
  void notReadyWhenTheDatabaseIsGone() throws Exception {
    database.close();

    HttpResponse<String> ready = get("/health/ready");

    assertEquals(503, ready.statusCode());
    assertEquals("{\"status\":\"database unavailable\"}", ready.body());
    assertEquals(200, get("/health/live").statusCode());
  }

  @Test
  void metricsCountRequestsMutationsStreamsAndConnections() throws Exception {
    String push =
        pushJson(
            "g1",
            createMessage("c1", 1, "m1", "hi"),
            mutation("c1", 2, "noSuchMutator", "{}"),
            createMessage("c1", 3, "m3", "there"));
    http.send(post("/api/replicache/push", push, "c1-s-0"), HttpResponse.BodyHandlers.ofString());
    http.send(
        post("/api/replicache/pull", pullJson("g1", Cookie.NULL), "c1-s-1"),
        HttpResponse.BodyHandlers.ofString());
    http.send(
        post("/api/replicache/pull", "{not json", "c1-s-2"), HttpResponse.BodyHandlers.ofString());
    HttpResponse<InputStream> stream =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/replicache/poke?clientGroupID=g1"))
                .header("Authorization", "ann")
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());

    HttpResponse<String> metrics = get("/metrics");
    stream.body().close();

    assertEquals(200, metrics.statusCode());
    assertEquals(
        "text/plain; version=0.0.4; charset=utf-8",
        metrics.headers().firstValue("Content-Type").orElse(""));
    String text = metrics.body();
    for (String line :
        new String[] {
          "tandem_pushes_total{status=\"200\"} 1",
          "tandem_pulls_total{status=\"200\"} 1",
          "tandem_pulls_total{status=\"400\"} 1",
          "tandem_mutations_applied_total 2",
          "tandem_mutations_refused_total 1",
          "tandem_push_duration_seconds_count 1",
          "tandem_push_duration_seconds_bucket{le=\"+Inf\"} 1",
          "tandem_pull_duration_seconds_count 2",
          "tandem_poke_streams 1",
          "tandem_client_groups_forgotten_total 0",
          "# TYPE tandem_push_duration_seconds histogram",
        }) {
      assertTrue(text.contains(line + "\n"), "no '" + line + "' in:\n" + text);
    }
    assertTrue(
        text.contains("tandem_db_pool_connections{pool=\"tandem-sqlite-writer\",state=\"idle\"} "),
        text);
    assertTrue(text.contains("tandem_db_pool_pending_threads{pool=\"tandem-sqlite-reader\"} "));
  }

  @Test
  void aStopFinishesThePushInProgressAndRefusesNewRequests() throws Exception {
    CompletableFuture<HttpResponse<String>> push =
        http.sendAsync(
            post("/api/replicache/push", pushJson("g1", mutation("c1", 1, "slow", "{}")), "r1"),
            HttpResponse.BodyHandlers.ofString());
    assertTrue(entered.await(20, TimeUnit.SECONDS), "the push is in its transaction");

    CompletableFuture<Void> stopped =
        CompletableFuture.runAsync(
            () -> {
              try {
                server.close();
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    awaitRefused();
    assertFalse(stopped.isDone(), "the stop waits for the push");
    release.countDown();

    HttpResponse<String> answer = push.get(20, TimeUnit.SECONDS);
    assertEquals(200, answer.statusCode());
    assertEquals("{}", answer.body());
    stopped.get(20, TimeUnit.SECONDS);
    try (var connection = database.reads().getConnection();
        var rows =
            connection
                .createStatement()
                .executeQuery("SELECT content FROM message WHERE id = 'slow'")) {
      assertTrue(rows.next(), "the push committed");
    }
  }

  /** Waits until the stopping server takes no new request, then checks that it takes none. */
  private void awaitRefused() throws Exception {
    server.refusingRequests().get(20, TimeUnit.SECONDS);
    HttpClient fresh = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      int status =
          fresh
              .send(
                  HttpRequest.newBuilder(URI.create(base + "/health/live")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode();
      assertEquals(503, status, "a new request while stopping"); // Jetty's graceful answer
    } catch (IOException refused) {
      // The connector is closed: refused, as it should be.
    }
  }

  @Test
  void aRequestIdGivenToTheHandlersIsLoggedMadeSafe() throws Exception {
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    java.io.PrintStream err = System.err;
    System.setErr(new java.io.PrintStream(captured, true, "UTF-8")); // slf4j-simple's target
    try {
      backend.push(
          "ann",
          "c1-s-0 status=500\npush request=forged",
          Requests.body(pushJson("g1", createMessage("c1", 1, "m1", "hi"))));
    } finally {
      System.setErr(err);
    }
    String log = captured.toString("UTF-8");
    assertTrue(log.contains("push request=c1-s-0_status_500_push_request_forged group=g1 "), log);
  }
}
