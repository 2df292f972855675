package dev.tandem.server;

import static dev.tandem.server.Requests.body;
import static dev.tandem.server.Requests.createMessage;
import static dev.tandem.server.Requests.mutation;
import static dev.tandem.server.Requests.pushJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input the handlers refuse before a push is applied, or a mutator refuses while it is (issue 11,
 * items 8 to 10): mutation IDs below 1, text that is not Unicode, args of the wrong JSON type. The
 * checks come before the database, so one database is enough.
 */
class InputValidationTest extends BackendTest {
  @TempDir Path directory;

  @Override
  Database openDatabase() {
    return TestDatabases.sqlite(directory);
  }

  @Test
  void typedArgsAreDecodedStrictlyNotCoerced() throws Exception {
    HandlerResponse response =
        push(
            ANN,
            pushJson(
                "g1",
                mutation(
                    "c1",
                    1,
                    "createMessage",
                    "{\"id\":\"m1\",\"from\":\"ann\",\"content\":\"hi\",\"order\":\"1\"}"),
                mutation(
                    "c1",
                    2,
                    "createMessage",
                    "{\"id\":\"m2\",\"from\":\"ann\",\"content\":5,\"order\":2}"),
                mutation(
                    "c1",
                    3,
                    "createMessage",
                    "{\"id\":3,\"from\":\"ann\",\"content\":\"hi\",\"order\":3}"),
                createMessage("c1", 4, "m4", "fine")));

    assertEquals(200, response.status());
    assertEquals(4, lastMutationID("c1")); // Refused for good, and the client goes on.
    assertEquals(1, count("SELECT COUNT(*) FROM message"));
    assertEquals(1, count("SELECT COUNT(*) FROM message WHERE id = 'm4'"));
  }

  @Test
  void aMutationIdBelowOneIsABadRequestThatChangesAndClaimsNothing() throws Exception {
    for (long id : new long[] {0, -1, Long.MIN_VALUE}) {
      HandlerResponse response = push(ANN, pushJson("g1", record("c1", id)));

      assertEquals(400, response.status(), response.body());
      assertTrue(response.body().contains("$.mutations[0].id"), response.body());
    }
    HandlerResponse later = push(ANN, pushJson("g1", record("c1", 1), record("c1", 0)));
    assertEquals(400, later.status(), later.body());
    assertTrue(later.body().contains("$.mutations[1].id"), later.body());

    assertEquals(0, count("SELECT COUNT(*) FROM applied"));
    assertEquals(0, count("SELECT COUNT(*) FROM replicache_client"));
    assertEquals(0, count("SELECT COUNT(*) FROM replicache_client_group"));
    assertEquals(1, count("SELECT version FROM replicache_server WHERE id = 1"));
    assertEquals(200, push(BOB, pushJson("g1", record("c9", 1))).status()); // g1 is still free.
  }

  /** A push of one createMessage whose content is the raw bytes {@code content}. */
  static byte[] pushWithContent(byte[] content) {
    byte[] json =
        pushJson("g1", createMessage("c1", 1, "m1", "@")).getBytes(StandardCharsets.UTF_8);
    int at = new String(json, StandardCharsets.ISO_8859_1).indexOf('@');
    byte[] body = new byte[json.length - 1 + content.length];
    System.arraycopy(json, 0, body, 0, at);
    System.arraycopy(content, 0, body, at, content.length);
    System.arraycopy(json, at + 1, body, at + content.length, json.length - at - 1);
    return body;
  }

  static byte[] bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) bytes[i] = (byte) values[i];
    return bytes;
  }

  @Test
  void invalidUtf8IsABadRequestNotAReplacementCharacter() throws Exception {
    byte[][] invalid = {
      bytes('a', 0xff, 'b'), // never in UTF-8
      bytes('a', 0xc3, 'b'), // a lead byte without its continuation
      bytes(0xc0, 0xaf), // an overlong '/'
      bytes(0xe0, 0x80, 0xaf), // an overlong '/' in three bytes
      bytes(0xed, 0xa0, 0x80), // U+D800 encoded: a surrogate
      bytes(0xf4, 0x90, 0x80, 0x80), // above U+10FFFF
      bytes('a', 0x80), // a continuation byte alone
    };
    for (byte[] content : invalid) {
      HandlerResponse response =
          backend.push(ANN, new ByteArrayInputStream(pushWithContent(content)));

      assertEquals(400, response.status(), Arrays.toString(content) + ": " + response.body());
      assertTrue(response.body().contains("UTF-8"), response.body());
    }
    assertEquals(0, count("SELECT COUNT(*) FROM message"));
    assertEquals(0, count("SELECT COUNT(*) FROM replicache_client_group"));
  }

  /**
   * A push of one mutation as JSON text, escapes as written: building it through {@code RawJson}
   * would decode them.
   */
  static String rawPush(String clientID, String name, String argsJson) {
    return "{\"pushVersion\":1,\"clientGroupID\":\"g1\",\"profileID\":\"p\","
        + "\"schemaVersion\":\"1\",\"mutations\":[{\"clientID\":\""
        + clientID
        + "\",\"id\":1,\"name\":\""
        + name
        + "\",\"args\":"
        + argsJson
        + ",\"timestamp\":1}]}";
  }

  static String rawCreate(String contentJson) {
    return rawPush(
        "c1",
        "createMessage",
        "{\"id\":\"m1\",\"from\":\"ann\",\"content\":\"" + contentJson + "\",\"order\":1}");
  }

  @Test
  void anUnpairedSurrogateEscapeIsABadRequestNotAQuestionMark() throws Exception {
    String[] unpaired = {
      "a\\ud800b", "a\\udc00b", "a\\ud800", "a\\ud800\\u0041", "\\udfff\\ud800", "\\ud800\\n"
    };
    for (String content : unpaired) {
      HandlerResponse response = push(ANN, rawCreate(content));

      assertEquals(400, response.status(), content + ": " + response.body());
      assertTrue(response.body().contains("surrogate"), response.body());
    }
    assertEquals(400, push(ANN, rawPush("c\\ud800", "record", "1")).status());
    assertEquals(0, count("SELECT COUNT(*) FROM message"));
    assertEquals(0, count("SELECT COUNT(*) FROM replicache_client_group"));
  }

  @Test
  void wellFormedTextIsKeptAcrossBufferSegments() throws Exception {
    String text = "é中😀".repeat(3000); // 27 kB: sequences straddle the 8 kB segments.
    Backend roomy =
        ChatDomain.install(Backend.builder()).database(database).maxBodyBytes(1 << 20).build();

    HandlerResponse response =
        roomy.push(ANN, body(pushJson("g1", createMessage("c1", 1, "m1", text))));

    assertEquals(200, response.status(), response.body());
    assertEquals(1, count("SELECT COUNT(*) FROM message WHERE content = ?", text));
  }

  @Test
  void aPairedSurrogateEscapeIsKept() throws Exception {
    assertEquals(200, push(ANN, rawCreate("smile \\ud83d\\ude00")).status());

    assertEquals(1, count("SELECT COUNT(*) FROM message WHERE content = ?", "smile \ud83d\ude00"));
  }

  @Test
  void anEscapedBackslashBeforeULooksLikeAnEscapeButIsNot() throws Exception {
    assertEquals(200, push(ANN, rawCreate("\\\\ud800 is six characters")).status());

    assertEquals(
        1, count("SELECT COUNT(*) FROM message WHERE content = ?", "\\ud800 is six characters"));
  }
}
