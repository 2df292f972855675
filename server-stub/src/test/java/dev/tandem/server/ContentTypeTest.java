package dev.tandem.server;

import static dev.tandem.server.Requests.createMessage;
import static dev.tandem.server.Requests.pullJson;
import static dev.tandem.server.Requests.pushJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.protocol.Cookie;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Push and pull bodies are JSON, and say so (issue 11, item 11). */
class ContentTypeTest extends ChatServerTest {
  @BeforeEach
  void start() throws Exception {
    start(Authenticator.dev());
  }

  RawHttp.Answer push(String contentType, long id) throws Exception {
    try (RawHttp http = new RawHttp(server.port())) {
      String json = pushJson("g1", createMessage("c1", id, "m" + id, "hi"));
      return http.post(PUSH, "ann", contentType, json.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void jsonIsAcceptedWithOrWithoutParameters() throws Exception {
    assertEquals(200, push("application/json", 1).status); // replicache's
    assertEquals(200, push("application/json; charset=utf-8", 2).status); // OkHttp's
    assertEquals(200, push("Application/JSON;charset=\"UTF-8\"", 3).status);
  }

  @Test
  void anythingElseGets415AndChangesNothing() throws Exception {
    for (String type :
        new String[] {
          null,
          "",
          "text/plain",
          "application/x-www-form-urlencoded",
          "application/jsonp",
          "application/json-patch+json",
          "application/json; charset=iso-8859-1",
        }) {
      RawHttp.Answer answer = push(type, 1);
      assertEquals(415, answer.status, type + ": " + answer.body);
      assertTrue(answer.body.contains("application/json"), answer.body);
    }
    try (Connection connection = database.reads().getConnection();
        ResultSet rows =
            connection
                .createStatement()
                .executeQuery(
                    "SELECT (SELECT COUNT(*) FROM message),"
                        + " (SELECT COUNT(*) FROM replicache_client_group)")) {
      rows.next();
      assertEquals(0, rows.getLong(1), "messages");
      assertEquals(0, rows.getLong(2), "claimed groups");
    }
    try (RawHttp http = new RawHttp(server.port())) {
      byte[] pull = pullJson("g1", Cookie.NULL).getBytes(StandardCharsets.UTF_8);
      assertEquals(415, http.post(PULL, "ann", "text/plain", pull).status);
      // The body was read, so the connection is still good for the next request.
      assertEquals(200, http.post(PULL, "ann", "application/json", pull).status);
    }
    try (RawHttp http = new RawHttp(server.port())) {
      assertTrue(http.get("/health", "").body.contains("ok"));
    }
  }
}
