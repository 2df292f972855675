package dev.tandem.server;

import static dev.tandem.server.Requests.createMessage;
import static dev.tandem.server.Requests.pullJson;
import static dev.tandem.server.Requests.pushJson;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.protocol.Cookie;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Every request's identity comes from that request alone, also on a kept-alive connection (issue
 * 11, item 1): Jetty's per-connection header cache once matched a later {@code Authorization} value
 * case-insensitively against an earlier one and handed back the earlier value.
 */
class KeptAliveIdentityTest extends ChatServerTest {
  @Test
  void aHeaderDifferingOnlyInCaseIsAnotherUserOnTheSameConnection() throws Exception {
    start(Authenticator.dev());
    try (RawHttp http = new RawHttp(server.port())) {
      assertEquals(200, http.post(PUSH, "ann", push(1)).status);

      RawHttp.Answer shouted = http.post(PUSH, "ANN", push(2));

      assertEquals(403, shouted.status, shouted.body); // ANN is not ann: g1 is ann's.
    }
  }

  @Test
  void aTokenWithItsCaseSwappedIsRefusedAfterTheRealOneOnTheSameConnection() throws Exception {
    start(Authenticator.hmac(SECRET, Clock.fixed(NOW, ZoneOffset.UTC)));
    String token = Authenticator.hmacToken(SECRET, "ann", NOW.plusSeconds(60));
    try (RawHttp http = new RawHttp(server.port())) {
      assertEquals(200, http.post(PUSH, token, push(1)).status);

      RawHttp.Answer swapped = http.post(PUSH, swapCase(token), push(2));

      assertEquals(401, swapped.status, swapped.body);
    }
  }

  @Test
  void aFirstPullClaimsTheGroupForItsOwnUserOnAReusedConnection() throws Exception {
    start(Authenticator.dev());
    try (RawHttp http = new RawHttp(server.port())) {
      assertEquals(200, http.post(PULL, "ann", pullJson("g1", Cookie.NULL)).status);

      assertEquals(200, http.post(PULL, "Ann", pullJson("g2", Cookie.NULL)).status);
    }
    assertEquals("Ann", owner("g2"));
  }

  static String push(long id) {
    return pushJson("g1", createMessage("c1", id, "m" + id, "hi"));
  }

  static String swapCase(String text) {
    StringBuilder swapped = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      swapped.append(
          Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
    }
    return swapped.toString();
  }

  String owner(String groupID) throws Exception {
    try (Connection connection = database.reads().getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT user_id FROM replicache_client_group WHERE id = ?")) {
      statement.setString(1, groupID);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? rows.getString(1) : null;
      }
    }
  }
}
