package dev.tandem.server;

import static dev.tandem.server.Requests.createMessage;
import static dev.tandem.server.Requests.pullJson;
import static dev.tandem.server.Requests.pushJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tandem.protocol.Cookie;
import java.io.IOException;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * The poke stream is authenticated like push and pull, and scoped to a client group its user may
 * use (issue 11, item 3).
 */
class PokeStreamTest extends ChatServerTest {
  static final String POKE = "/api/replicache/poke";

  static String auth(String authorization) {
    return "Authorization: " + authorization + "\r\nAccept: text/event-stream\r\n";
  }

  RawHttp.Answer open(RawHttp http, String user, String groupID) throws IOException {
    String query = groupID == null ? "" : "?clientGroupID=" + groupID;
    return http.openStream(POKE + query, auth(user));
  }

  void push(String user, String groupID, long id) throws IOException {
    try (RawHttp http = new RawHttp(server.port())) {
      RawHttp.Answer answer =
          http.post(
              PUSH,
              user,
              pushJson(groupID, createMessage("c-" + groupID, id, "m-" + groupID + id, "hi")));
      assertEquals(200, answer.status, answer.body);
    }
  }

  void pull(String user, String groupID) throws IOException {
    try (RawHttp http = new RawHttp(server.port())) {
      assertEquals(200, http.post(PULL, user, pullJson(groupID, Cookie.NULL)).status);
    }
  }

  /** The stream's next event or comment, blank lines skipped; null when the stream ends. */
  static String nextEvent(RawHttp stream) throws IOException {
    String line;
    do {
      line = stream.nextLine();
    } while (line != null && line.isEmpty());
    return line;
  }

  @Test
  void aStreamWithoutAValidTokenGets401() throws Exception {
    start(Authenticator.hmac(SECRET, Clock.fixed(NOW, ZoneOffset.UTC)));
    try (RawHttp http = new RawHttp(server.port())) {
      assertEquals(401, http.openStream(POKE + "?clientGroupID=g1", "").status);
    }
    try (RawHttp http = new RawHttp(server.port())) {
      assertEquals(401, open(http, "ann", "g1").status);
    }
    try (RawHttp http = new RawHttp(server.port())) {
      String token = Authenticator.hmacToken(SECRET, "ann", NOW.plusSeconds(60));
      assertEquals(200, open(http, token, "g1").status);
    }
  }

  @Test
  void aStreamWithoutItsClientGroupGets400() throws Exception {
    start(Authenticator.dev());
    try (RawHttp http = new RawHttp(server.port())) {
      assertEquals(400, open(http, "ann", null).status);
    }
    try (RawHttp http = new RawHttp(server.port())) {
      assertEquals(400, open(http, "ann", "").status);
    }
  }

  @Test
  void aStreamOfAnotherUsersGroupGets403() throws Exception {
    start(Authenticator.dev());
    pull("ann", "g1");
    try (RawHttp http = new RawHttp(server.port())) {
      RawHttp.Answer answer = open(http, "bob", "g1");
      assertEquals(403, answer.status, answer.body);
    }
  }

  @Test
  void everyAuthorizedStreamHearsEveryPush() throws Exception {
    start(Authenticator.dev());
    pull("ann", "g1");
    try (RawHttp ann = new RawHttp(server.port());
        RawHttp bob = new RawHttp(server.port())) {
      assertEquals(200, open(ann, "ann", "g1").status);
      assertEquals(200, open(bob, "bob", "g2").status); // Not claimed yet: allowed.
      assertEquals(": connected", nextEvent(ann));
      assertEquals(": connected", nextEvent(bob));

      push("carol", "g3", 1); // The global version: every group's view changed.

      assertEquals("data: poke", nextEvent(ann));
      assertEquals("data: poke", nextEvent(bob));
    }
  }

  @Test
  void aStreamWhoseGroupAnotherUserClaimsEndsWithoutAPoke() throws Exception {
    start(Authenticator.dev());
    try (RawHttp bob = new RawHttp(server.port())) {
      assertEquals(200, open(bob, "bob", "g1").status);
      assertEquals(": connected", nextEvent(bob));

      push("ann", "g1", 1); // ann claims g1 with a push that commits.

      assertNull(nextEvent(bob), "bob's stream ends, unpoked");
    }
    try (RawHttp bob = new RawHttp(server.port())) {
      assertEquals(403, open(bob, "bob", "g1").status); // And may not come back.
    }
  }
}
