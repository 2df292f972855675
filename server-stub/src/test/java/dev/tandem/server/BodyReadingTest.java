package dev.tandem.server;

import static dev.tandem.server.Requests.createMessage;
import static dev.tandem.server.Requests.pushJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the standalone server reads request bodies (issue 11, items 5 to 7): stalled clients cannot
 * starve healthy ones, a body cut short is a 400, a stalled one times out, and a body over the
 * limit gets a 413 that says so in JSON.
 */
class BodyReadingTest extends ChatServerTest {
  final List<RawHttp> stalled = new ArrayList<>();

  TandemServer.Builder server() throws Exception {
    return server(Authenticator.dev());
  }

  @AfterEach
  void closeStalled() throws Exception {
    for (RawHttp http : stalled) http.close(); // Before the server stops (its @AfterEach).
  }

  /** A push whose head announces {@code length} bytes, followed by {@code sent} of them. */
  static byte[] pushHead(int length) {
    return ("POST "
            + PUSH
            + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: ann\r\n"
            + "Content-Type: application/json\r\nContent-Length: "
            + length
            + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void fiveHundredStalledBodiesDoNotStopHealthOrPushes() throws Exception {
    start(server());
    for (int i = 0; i < 500; i++) {
      RawHttp http = new RawHttp(server.port());
      stalled.add(http);
      http.send(pushHead(1000)); // The body never comes.
    }

    long start = System.nanoTime();
    try (RawHttp healthy = new RawHttp(server.port(), 5_000)) {
      assertEquals(200, healthy.get("/health", "").status);
      RawHttp.Answer push =
          healthy.post(PUSH, "ann", pushJson("g1", createMessage("c1", 1, "m1", "hi")));
      assertEquals(200, push.status, push.body);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis < 5_000, "health and a push took " + millis + " ms");
  }

  @Test
  void aBodyCutShortIsABadRequestNotTooLarge() throws Exception {
    start(server());
    try (RawHttp http = new RawHttp(server.port())) {
      http.send(pushHead(100));
      http.send("{\"pushVersion\":1".getBytes(StandardCharsets.UTF_8));
      http.shutdownOutput();

      RawHttp.Answer answer = http.read();

      assertEquals(400, answer.status, answer.body);
      assertTrue(answer.body.contains("truncated"), answer.body);
    }
  }

  @Test
  void aStalledBodyTimesOutWith408NotTooLarge() throws Exception {
    start(server().idleTimeout(Duration.ofMillis(300)));
    try (RawHttp http = new RawHttp(server.port())) {
      http.send(pushHead(100));
      http.send("{\"pushVersion\":1".getBytes(StandardCharsets.UTF_8));

      RawHttp.Answer answer = http.read(); // The socket's own deadline is 10 s.

      assertEquals(408, answer.status, answer.body);
      assertEquals("close", answer.headers.get("connection"));
    }
  }

  @Test
  void bodiesOverTheCapOfReadersAtOnceGet503AtOnce() throws Exception {
    start(server().maxBodyReaders(2));
    for (int i = 0; i < 2; i++) {
      RawHttp http = new RawHttp(server.port());
      stalled.add(http);
      http.send(pushHead(100));
      http.send("{".getBytes(StandardCharsets.UTF_8)); // Takes a reader, then stalls.
    }
    try (RawHttp third = new RawHttp(server.port(), 5_000)) {
      RawHttp.Answer busy = pushUntil(third, answer -> answer.status == 503);

      assertEquals(503, busy.status, busy.body);
      assertEquals("1", busy.headers.get("retry-after"));
    }
    stalled.get(0).close(); // A reader gives its permit back when its body ends.
    try (RawHttp next = new RawHttp(server.port(), 5_000)) {
      RawHttp.Answer push = pushUntil(next, answer -> answer.status != 503);
      assertEquals(200, push.status, push.body);
    }
  }

  /**
   * Pushes, on {@code http} and then on fresh connections, until an answer is {@code wanted} or 5 s
   * have passed: the stalled connections reach the server, and leave it, on its own threads.
   */
  RawHttp.Answer pushUntil(RawHttp http, Predicate<RawHttp.Answer> wanted) throws Exception {
    long deadline = System.nanoTime() + 5_000_000_000L;
    RawHttp.Answer answer = http.post(PUSH, "ann", pushJson("g1"));
    while (!wanted.test(answer) && System.nanoTime() < deadline) {
      try (RawHttp again = new RawHttp(server.port(), 5_000)) {
        answer = again.post(PUSH, "ann", pushJson("g1"));
      }
    }
    return answer;
  }

  @Test
  void anAnnouncedBodyOverTheLimitGets413InJson() throws Exception {
    start(server().maxBodyBytes(1000));
    try (RawHttp http = new RawHttp(server.port())) {
      http.send(pushHead(1001));

      RawHttp.Answer answer = http.read();

      assertEquals(413, answer.status);
      assertEquals(
          "{\"error\":\"BodyTooLarge\",\"message\":\"request body exceeds 1000 bytes\","
              + "\"maxBodyBytes\":1000}",
          answer.body);
    }
  }

  @Test
  void aChunkedBodyOverTheLimitGets413InJson() throws Exception {
    start(server().maxBodyBytes(1000));
    try (RawHttp http = new RawHttp(server.port())) {
      http.sendHead(
          "POST "
              + PUSH
              + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
              + "Transfer-Encoding: chunked\r\n\r\n");
      String chunk = "x".repeat(600);
      http.sendHead("258\r\n" + chunk + "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n");

      RawHttp.Answer answer = http.read();

      assertEquals(413, answer.status);
      assertTrue(answer.body.startsWith("{\"error\":\"BodyTooLarge\""), answer.body);
    }
  }
}
