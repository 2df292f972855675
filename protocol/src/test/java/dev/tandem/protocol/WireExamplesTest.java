package dev.tandem.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.squareup.moshi.JsonAdapter;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** Round trips of the JSON examples in PROTOCOL.md, and what servers must accept. */
class WireExamplesTest {
  static <T> T parse(Class<T> type, String json) throws IOException {
    return ProtocolJson.moshi().adapter(type).fromJson(json);
  }

  static <T> String write(Class<T> type, T value) {
    JsonAdapter<T> adapter = ProtocolJson.moshi().adapter(type);
    return adapter.toJson(value);
  }

  /** Compacts hand-written JSON so it can be compared with what the adapters write. */
  static String compact(String json) {
    return RawJson.parse(json).toString();
  }

  @Test
  void pushRequestExampleRoundTrips() throws IOException {
    String json =
        "{ \"pushVersion\": 1, \"clientGroupID\": \"g\", \"profileID\": \"p\","
            + " \"schemaVersion\": \"3\",\n"
            + "  \"mutations\": [ {\"clientID\": \"c1\", \"id\": 7, \"name\": \"createMessage\",\n"
            + "                  \"args\": {\"id\": \"m1\", \"from\": \"ann\", \"content\": \"hi\","
            + " \"order\": 4},\n"
            + "                  \"timestamp\": 1234.5} ] }";
    PushRequest push = parse(PushRequest.class, json);

    assertEquals(1, push.pushVersion());
    assertEquals("g", push.clientGroupID());
    assertEquals("p", push.profileID());
    assertEquals("3", push.schemaVersion());
    Mutation mutation = push.mutations().get(0);
    assertEquals("c1", mutation.clientID());
    assertEquals(7, mutation.id());
    assertEquals("createMessage", mutation.name());
    assertEquals(
        "{\"id\":\"m1\",\"from\":\"ann\",\"content\":\"hi\",\"order\":4}",
        mutation.args().toString());
    assertEquals(1234.5, mutation.timestamp());
    assertEquals(compact(json), write(PushRequest.class, push));
  }

  @Test
  void pullRequestExampleRoundTrips() throws IOException {
    String json =
        "{ \"pullVersion\": 1, \"clientGroupID\": \"g\", \"profileID\": \"p\","
            + " \"schemaVersion\": \"3\", \"cookie\": 41 }";
    PullRequest pull = parse(PullRequest.class, json);

    assertEquals(new PullRequest(1, "g", "p", "3", Cookie.of(41)), pull);
    assertEquals(compact(json), write(PullRequest.class, pull));
  }

  @Test
  void firstPullSendsNullCookie() throws IOException {
    String json =
        "{\"pullVersion\":1,\"clientGroupID\":\"g\",\"profileID\":\"p\",\"schemaVersion\":\"\","
            + "\"cookie\":null}";
    PullRequest pull = parse(PullRequest.class, json);

    assertSame(Cookie.NULL, pull.cookie());
    assertEquals(json, write(PullRequest.class, pull));
  }

  @Test
  void refusedMutationsExtensionRoundTripsAndIsOptional() throws IOException {
    String json =
        "{\"cookie\":3,\"lastMutationIDChanges\":{\"c1\":7},\"patch\":[],"
            + "\"refusedMutations\":[{\"clientID\":\"c1\",\"id\":7,\"error\":\"no such list\"}]}";
    PullResult result = parse(PullResult.class, json);

    assertEquals(
        Collections.singletonList(new RefusedMutation("c1", 7, "no such list")),
        result.response().refusedMutations());
    assertEquals(json, write(PullResult.class, result));
    String plain = "{\"cookie\":3,\"lastMutationIDChanges\":{},\"patch\":[]}";
    assertEquals(
        Collections.emptyList(), parse(PullResult.class, plain).response().refusedMutations());
    assertEquals(plain, write(PullResult.class, parse(PullResult.class, plain)));
  }

  @Test
  void pullResponseExampleRoundTrips() throws IOException {
    String json =
        "{ \"cookie\": 42,\n"
            + "  \"lastMutationIDChanges\": {\"c1\": 7},\n"
            + "  \"patch\": [ {\"op\": \"clear\"},\n"
            + "             {\"op\": \"put\", \"key\": \"message/m1\", \"value\": {\"from\":"
            + " \"ann\", \"content\": \"hi\", \"order\": 4}},\n"
            + "             {\"op\": \"del\", \"key\": \"message/m0\"} ] }";
    PullResult result = parse(PullResult.class, json);

    PullResponse expected =
        new PullResponse(
            Cookie.of(42),
            Collections.singletonMap("c1", 7L),
            Arrays.asList(
                PatchOperation.clear(),
                PatchOperation.put(
                    "message/m1",
                    RawJson.parse("{\"from\":\"ann\",\"content\":\"hi\",\"order\":4}")),
                PatchOperation.del("message/m0")));
    assertEquals(expected, result.response());
    assertNull(result.error());
    assertEquals(compact(json), write(PullResult.class, result));
    assertEquals(expected, parse(PullResponse.class, json));
  }

  @Test
  void emptyPullResponseWritesEveryField() {
    PullResponse empty =
        new PullResponse(Cookie.NULL, Collections.emptyMap(), Collections.emptyList());
    assertEquals(
        "{\"cookie\":null,\"lastMutationIDChanges\":{},\"patch\":[]}",
        write(PullResponse.class, empty));
  }

  @Test
  void errorResponsesRoundTrip() throws IOException {
    String notFound = "{\"error\":\"ClientStateNotFound\"}";
    String schema = "{\"error\":\"VersionNotSupported\",\"versionType\":\"schema\"}";
    String bare = "{\"error\":\"VersionNotSupported\"}";

    assertEquals(ErrorResponse.clientStateNotFound(), parse(ErrorResponse.class, notFound));
    assertEquals(ErrorResponse.versionNotSupported("schema"), parse(ErrorResponse.class, schema));
    assertEquals(ErrorResponse.versionNotSupported(null), parse(ErrorResponse.class, bare));
    assertEquals(
        ErrorResponse.Kind.VERSION_NOT_SUPPORTED, parse(PullResult.class, schema).error().kind());
    assertEquals("schema", parse(PullResult.class, schema).error().versionType());
    assertEquals(notFound, write(ErrorResponse.class, ErrorResponse.clientStateNotFound()));
    assertEquals(schema, write(ErrorResponse.class, ErrorResponse.versionNotSupported("schema")));
    assertEquals(bare, write(ErrorResponse.class, ErrorResponse.versionNotSupported(null)));
  }

  @Test
  void schemaRefusalsCarryTandemsReasonAndRange() throws IOException {
    String tooNew =
        "{\"error\":\"VersionNotSupported\",\"versionType\":\"schema\","
            + "\"reason\":\"clientTooNew\",\"minSchemaVersion\":\"2\",\"maxSchemaVersion\":\"5\"}";
    ErrorResponse error = ErrorResponse.schemaNotSupported(ErrorResponse.CLIENT_TOO_NEW, "2", "5");
    assertEquals(tooNew, write(ErrorResponse.class, error));
    assertEquals(error, parse(ErrorResponse.class, tooNew));
    ErrorResponse pulled = parse(PullResult.class, tooNew).error();
    assertEquals(error, pulled);
    assertEquals("clientTooNew", pulled.reason());
    assertEquals("2", pulled.minSchemaVersion());
    assertEquals("5", pulled.maxSchemaVersion());
    assertEquals(error, ErrorResponse.readPushResponse(RawJson.parse(tooNew).reader()));
    // Without the extension (any other Replicache server) the fields are null.
    assertNull(parse(ErrorResponse.class, "{\"error\":\"VersionNotSupported\"}").reason());
  }

  @Test
  void pushResponseIsAnyObjectOrAnError() throws IOException {
    assertNull(ErrorResponse.readPushResponse(RawJson.parse("{}").reader()));
    assertNull(ErrorResponse.readPushResponse(RawJson.parse("{\"ok\":true}").reader()));
    assertEquals(
        ErrorResponse.versionNotSupported("push"),
        ErrorResponse.readPushResponse(
            RawJson.parse("{\"versionType\":\"push\",\"error\":\"VersionNotSupported\"}")
                .reader()));
  }

  @Test
  void unknownFieldsAreIgnoredAtEveryLevel() throws IOException {
    String push =
        "{\"future\":{\"a\":[1,2]},\"pushVersion\":1,\"clientGroupID\":\"g\",\"profileID\":\"p\","
            + "\"schemaVersion\":\"\",\"mutations\":[{\"clientID\":\"c\",\"id\":1,\"name\":\"n\","
            + "\"args\":{},\"timestamp\":1,\"extra\":null}]}";
    assertEquals(1, parse(PushRequest.class, push).mutations().size());

    String pull =
        "{\"cookie\":1,\"lastMutationIDChanges\":{},\"patch\":[{\"op\":\"del\",\"key\":\"k\","
            + "\"why\":\"gone\"}],\"serverTime\":99}";
    assertEquals(
        Collections.singletonList(PatchOperation.del("k")),
        parse(PullResult.class, pull).response().patch());
  }

  @Test
  void nullArgsAndFractionalTimestampAreAccepted() throws IOException {
    String json =
        "{\"clientID\":\"c\",\"id\":1,\"name\":\"noArgs\",\"args\":null,\"timestamp\":17.25}";
    Mutation mutation = parse(Mutation.class, json);

    assertSame(RawJson.NULL, mutation.args());
    assertEquals(17.25, mutation.timestamp());
    assertEquals(json, write(Mutation.class, mutation));
  }

  @Test
  void missingArgsReadAsNull() throws IOException {
    // JSON.stringify drops undefined, so the JS client omits args for mutators called without.
    Mutation mutation =
        parse(Mutation.class, "{\"clientID\":\"c\",\"id\":1,\"name\":\"n\",\"timestamp\":0}");
    assertSame(RawJson.NULL, mutation.args());
  }

  @Test
  void argsOfEveryJsonTypeArePreservedExactly() throws IOException {
    for (String args :
        new String[] {
          "\"text\"", "42", "-0.5", "1e300", "true", "[1,\"a\",null,{\"b\":false}]", "{\"n\":null}"
        }) {
      Mutation mutation =
          parse(
              Mutation.class,
              "{\"clientID\":\"c\",\"id\":1,\"name\":\"n\",\"args\":" + args + ",\"timestamp\":0}");
      assertEquals(args, mutation.args().toString());
    }
  }

  @Test
  void anyStringIdsAreAccepted() throws IOException {
    String[] ids = {"3b5d5c9c-5c1f-4ea4-b7c4-0d3c2a1b7e11", "b7l1gqk3n0a0qsv9ch", "ü/😀"};
    for (String id : ids) {
      PullRequest pull =
          parse(
              PullRequest.class,
              "{\"pullVersion\":1,\"clientGroupID\":\""
                  + id
                  + "\",\"profileID\":\"p\",\"schemaVersion\":\"1\",\"cookie\":null}");
      assertEquals(id, pull.clientGroupID());
    }
  }
}
