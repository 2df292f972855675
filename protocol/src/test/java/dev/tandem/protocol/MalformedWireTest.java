package dev.tandem.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonEncodingException;
import org.junit.jupiter.api.Test;

/**
 * Every malformed shape is rejected, and the message names the JSON path. Wrong shapes throw {@link
 * JsonDataException}; text that is not JSON throws {@link JsonEncodingException}.
 */
class MalformedWireTest {
  private static final String MUTATION =
      "{\"clientID\":\"c1\",\"id\":1,\"name\":\"n\",\"args\":{},\"timestamp\":1}";

  private static String push(String mutation) {
    return "{\"pushVersion\":1,\"clientGroupID\":\"g\",\"profileID\":\"p\",\"schemaVersion\":\"1\","
        + "\"mutations\":["
        + MUTATION
        + ","
        + mutation
        + "]}";
  }

  private static String pullResponse(String cookie, String lmids, String patch) {
    return "{\"cookie\":"
        + cookie
        + ",\"lastMutationIDChanges\":"
        + lmids
        + ",\"patch\":"
        + patch
        + "}";
  }

  private static <T> String rejected(Class<T> type, String json) {
    JsonDataException e =
        assertThrows(
            JsonDataException.class, () -> WireExamplesTest.parse(type, json), "accepted " + json);
    return e.getMessage();
  }

  private static void assertMentions(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), "'" + message + "' should mention " + part);
    }
  }

  @Test
  void missingCookieIsRejected() {
    String message = rejected(PullResult.class, "{\"lastMutationIDChanges\":{},\"patch\":[]}");
    assertEquals("Required value 'cookie' missing at $", message);
  }

  @Test
  void missingCookieInPullRequestIsRejected() {
    String message =
        rejected(
            PullRequest.class,
            "{\"pullVersion\":1,\"clientGroupID\":\"g\",\"profileID\":\"p\",\"schemaVersion\":\"1\"}");
    assertEquals("Required value 'cookie' missing at $", message);
  }

  @Test
  void missingPatchAndLastMutationIDChangesAreRejected() {
    assertEquals(
        "Required value 'patch' missing at $",
        rejected(PullResult.class, "{\"cookie\":1,\"lastMutationIDChanges\":{}}"));
    assertEquals(
        "Required value 'lastMutationIDChanges' missing at $",
        rejected(PullResult.class, "{\"cookie\":1,\"patch\":[]}"));
  }

  @Test
  void unknownPatchOpIsRejected() {
    String message =
        rejected(
            PullResult.class,
            pullResponse("2", "{}", "[{\"op\":\"clear\"},{\"op\":\"upsert\",\"key\":\"k\"}]"));
    assertMentions(message, "upsert", "$.patch[1].op");
  }

  @Test
  void putWithoutValueAndDelWithoutKeyAreRejected() {
    assertMentions(
        rejected(PullResult.class, pullResponse("2", "{}", "[{\"op\":\"put\",\"key\":\"k\"}]")),
        "'value'",
        "$.patch[0]");
    assertMentions(
        rejected(PullResult.class, pullResponse("2", "{}", "[{\"key\":\"k\"}]")),
        "'op'",
        "$.patch[0]");
    assertMentions(
        rejected(
            PullResult.class, pullResponse("2", "{}", "[{\"op\":\"clear\"},{\"op\":\"del\"}]")),
        "'key'",
        "$.patch[1]");
  }

  @Test
  void nonNumericLastMutationIDIsRejected() {
    assertMentions(
        rejected(PullResult.class, pullResponse("2", "{\"c1\":\"seven\"}", "[]")),
        "$.lastMutationIDChanges.c1");
    // A quoted number is still a string: the protocol does not coerce.
    assertMentions(
        rejected(PullResult.class, pullResponse("2", "{\"c1\":\"7\"}", "[]")),
        "$.lastMutationIDChanges.c1");
    assertMentions(
        rejected(PullResult.class, pullResponse("2", "{\"c1\":7.5}", "[]")),
        "$.lastMutationIDChanges.c1");
  }

  @Test
  void wrongTypesAreRejectedWithTheirPath() {
    assertMentions(
        rejected(
            PushRequest.class,
            "{\"pushVersion\":1,\"clientGroupID\":7,\"profileID\":\"p\",\"schemaVersion\":\"1\","
                + "\"mutations\":[]}"),
        "string",
        "$.clientGroupID");
    assertMentions(
        rejected(
            PushRequest.class,
            "{\"pushVersion\":\"1\",\"clientGroupID\":\"g\",\"profileID\":\"p\","
                + "\"schemaVersion\":\"1\",\"mutations\":[]}"),
        "$.pushVersion");
    assertMentions(
        rejected(
            PushRequest.class,
            "{\"pushVersion\":1,\"clientGroupID\":\"g\",\"profileID\":\"p\","
                + "\"schemaVersion\":\"1\",\"mutations\":{}}"),
        "array",
        "$.mutations");
    assertMentions(
        rejected(
            PushRequest.class,
            push("{\"clientID\":\"c1\",\"id\":\"2\",\"name\":\"n\",\"args\":{},\"timestamp\":1}")),
        "$.mutations[1].id");
    assertMentions(
        rejected(
            PushRequest.class,
            push("{\"clientID\":\"c1\",\"id\":2.5,\"name\":\"n\",\"args\":{},\"timestamp\":1}")),
        "$.mutations[1].id");
    assertMentions(
        rejected(
            PushRequest.class,
            push("{\"clientID\":null,\"id\":2,\"name\":\"n\",\"args\":{},\"timestamp\":1}")),
        "$.mutations[1].clientID");
    assertMentions(
        rejected(
            PushRequest.class,
            push(
                "{\"clientID\":\"c1\",\"id\":2,\"name\":\"n\",\"args\":{},\"timestamp\":\"now\"}")),
        "$.mutations[1].timestamp");
    assertMentions(rejected(PushRequest.class, push("[]")), "object", "$.mutations[1]");
    assertMentions(
        rejected(PullResult.class, pullResponse("2", "[]", "[]")),
        "object",
        "$.lastMutationIDChanges");
    assertMentions(
        rejected(PullResult.class, pullResponse("2", "{}", "[{\"op\":1}]")), "$.patch[0].op");
    assertMentions(rejected(PullResult.class, "[]"), "object", "$");
  }

  @Test
  void missingMutationFieldsAreRejected() {
    assertMentions(
        rejected(PushRequest.class, push("{\"clientID\":\"c1\",\"name\":\"n\",\"timestamp\":1}")),
        "'id'",
        "$.mutations[1]");
    assertMentions(
        rejected(
            PushRequest.class,
            "{\"pushVersion\":1,\"clientGroupID\":\"g\",\"schemaVersion\":\"1\",\"mutations\":[]}"),
        "'profileID'",
        "$");
  }

  @Test
  void invalidCookiesAreRejected() {
    assertMentions(
        rejected(PullResult.class, pullResponse("true", "{}", "[]")), "cookie", "$.cookie");
    assertMentions(
        rejected(PullResult.class, pullResponse("[1]", "{}", "[]")), "cookie", "$.cookie");
    assertMentions(
        rejected(PullResult.class, pullResponse("{\"v\":1}", "{}", "[]")), "'order'", "$.cookie");
    assertMentions(
        rejected(PullResult.class, pullResponse("{\"order\":true}", "{}", "[]")), "$.cookie.order");
  }

  @Test
  void unknownErrorIsRejected() {
    assertMentions(rejected(PullResult.class, "{\"error\":\"Teapot\"}"), "Teapot", "$.error");
  }

  @Test
  void errorWhereAPullResponseIsRequiredIsRejected() {
    assertMentions(
        rejected(PullResponse.class, "{\"error\":\"ClientStateNotFound\"}"), "ClientStateNotFound");
  }

  @Test
  void malformedJsonIsAnEncodingError() {
    assertThrows(
        JsonEncodingException.class,
        () -> WireExamplesTest.parse(PullResult.class, "{\"cookie\":1,\"patch\":[}"));
    assertThrows(
        JsonEncodingException.class, () -> WireExamplesTest.parse(PullResult.class, "{cookie:1}"));
  }

  @Test
  void trailingContentIsRejected() {
    // Moshi reports a second top-level value as malformed JSON.
    assertThrows(
        JsonEncodingException.class,
        () ->
            WireExamplesTest.parse(
                PullRequest.class,
                "{\"pullVersion\":1,\"clientGroupID\":\"g\",\"profileID\":\"p\",\"schemaVersion\":\"1\","
                    + "\"cookie\":null} {}"));
    assertThrows(IllegalArgumentException.class, () -> RawJson.parse("1 2"));
    assertThrows(IllegalArgumentException.class, () -> RawJson.parse(""));
  }
}
