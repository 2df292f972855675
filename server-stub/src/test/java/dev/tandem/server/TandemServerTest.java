package dev.tandem.server;

import static dev.tandem.server.Requests.createMessage;
import static dev.tandem.server.Requests.pullJson;
import static dev.tandem.server.Requests.pushJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.protocol.Cookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone server over real HTTP. */
class TandemServerTest {
  static final String SECRET = "s3cret";
  static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  @TempDir Path directory;
  Database database;
  TandemServer server;
  final HttpClient http = HttpClient.newHttpClient();
  String base;

  @BeforeEach
  void start() throws Exception {
    database = TestDatabases.sqlite(directory);
    Backend backend =
        ChatDomain.install(Backend.builder())
            .database(database)
            .authenticator(Authenticator.hmac(SECRET, Clock.fixed(NOW, ZoneOffset.UTC)))
            .schemaVersions(SchemaVersions.parse("1..3"))
            .build();
    server = TandemServer.start(backend, 0, 2048);
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    database.close();
  }

  static String token(String user, Instant expiry) {
    return Authenticator.hmacToken(SECRET, user, expiry);
  }

  HttpResponse<String> post(String path, String authorization, String json) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (authorization != null) request.header("Authorization", authorization);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthAnswersOk() throws Exception {
    HttpResponse<String> response = get("/health");
    assertEquals(200, response.statusCode());
    assertEquals("{\"status\":\"ok\"}", response.body());
  }

  @Test
  void pushAndPullOverHttp() throws Exception {
    String ann = token("ann", NOW.plusSeconds(60));
    HttpResponse<String> push =
        post("/api/replicache/push", ann, pushJson("g1", createMessage("c1", 1, "m1", "hi")));
    HttpResponse<String> pull =
        post("/api/replicache/pull", "Bearer " + ann, pullJson("g1", Cookie.NULL));

    assertEquals(200, push.statusCode());
    assertEquals("{}", push.body());
    assertEquals(200, pull.statusCode());
    assertTrue(pull.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    assertTrue(pull.body().contains("\"lastMutationIDChanges\":{\"c1\":1}"), pull.body());
  }

  @Test
  void missingExpiredOrForgedTokensGet401() throws Exception {
    String pull = pullJson("g1", Cookie.NULL);
    String forged = token("ann", NOW.plusSeconds(60)).replaceFirst("^[^.]+", "Ym9i"); // "bob"

    assertEquals(401, post("/api/replicache/pull", null, pull).statusCode());
    assertEquals(401, post("/api/replicache/pull", "ann", pull).statusCode());
    assertEquals(401, post("/api/replicache/pull", token("ann", NOW), pull).statusCode());
    assertEquals(401, post("/api/replicache/pull", forged, pull).statusCode());
    HttpResponse<String> push =
        post(
            "/api/replicache/push",
            token("ann", NOW.minusSeconds(1)),
            pushJson("g1", createMessage("c1", 1, "m1", "x")));
    assertEquals(401, push.statusCode());
    assertTrue(!push.body().contains(SECRET));
  }

  @Test
  void schemaVersionsOutsideTheRangeGetVersionNotSupported() throws Exception {
    String ann = token("ann", NOW.plusSeconds(60));
    String pull =
        pullJson("g1", Cookie.NULL).replace("\"schemaVersion\":\"1\"", "\"schemaVersion\":\"4\"");

    HttpResponse<String> response = post("/api/replicache/pull", ann, pull);

    assertEquals(200, response.statusCode());
    assertEquals(
        "{\"error\":\"VersionNotSupported\",\"versionType\":\"schema\",\"reason\":\"clientTooNew\","
            + "\"minSchemaVersion\":\"1\",\"maxSchemaVersion\":\"3\"}",
        response.body());
  }

  @Test
  void aBodyOverTheCapGets413() throws Exception {
    String ann = token("ann", NOW.plusSeconds(60));
    HttpResponse<String> response =
        post(
            "/api/replicache/push",
            ann,
            pushJson("g1", createMessage("c1", 1, "m1", "x".repeat(3000))));
    assertEquals(413, response.statusCode());
  }

  @Test
  void unknownPathsAndWrongMethodsAreRefused() throws Exception {
    assertEquals(404, get("/api/replicache/nothing").statusCode());
    assertEquals(405, get("/api/replicache/push").statusCode());
    assertEquals(405, post("/api/replicache/poke", null, "{}").statusCode());
  }

  @Test
  void browsersMayCallFromAnotherOrigin() throws Exception {
    HttpResponse<String> preflight =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/replicache/push"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://localhost:5173")
                .header("Access-Control-Request-Method", "POST")
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertEquals(204, preflight.statusCode());
    assertEquals("*", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    assertTrue(
        preflight
            .headers()
            .firstValue("Access-Control-Allow-Headers")
            .orElse("")
            .contains("Authorization"));
    assertEquals(
        "*", get("/health").headers().firstValue("Access-Control-Allow-Origin").orElse(""));
  }

  @Test
  void aPushPokesOpenStreams() throws Exception {
    HttpResponse<Stream<String>> stream =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/replicache/poke?clientGroupID=g2"))
                .header("Authorization", token("bob", NOW.plusSeconds(60)))
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, stream.statusCode());
    assertEquals(
        "text/event-stream; charset=utf-8", stream.headers().firstValue("Content-Type").get());
    Iterator<String> lines = stream.body().iterator();

    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> {
          assertEquals(": connected", lines.next());
          String ann = token("ann", NOW.plusSeconds(60));
          post("/api/replicache/push", ann, pushJson("g1", createMessage("c1", 1, "m1", "hi")));
          String line;
          do {
            line = lines.next();
          } while (line.isEmpty());
          assertEquals("data: poke", line);
        });
    stream.body().close();
  }

  @Test
  void closingWithARequestInProgressStopsTheServerAndFreesThePort() throws Exception {
    try (java.net.Socket slow = new java.net.Socket("127.0.0.1", server.port())) {
      // A push whose body never finishes arriving: the request stays in progress.
      java.io.OutputStream out = slow.getOutputStream();
      out.write(
          ("POST /api/replicache/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  + "Content-Length: 100\r\n\r\n{\"push")
              .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.flush();
      get("/health"); // The server has taken the slow request in by now.

      server.close(); // Waits up to the 2 s grace for it, then stops anyway.
    }
    assertThrows(java.io.IOException.class, () -> get("/health"), "the port is closed");
  }
}
