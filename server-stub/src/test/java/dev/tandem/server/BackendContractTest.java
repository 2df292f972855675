package dev.tandem.server;

import static dev.tandem.server.Requests.body;
import static dev.tandem.server.Requests.createMessage;
import static dev.tandem.server.Requests.mutation;
import static dev.tandem.server.Requests.pullJson;
import static dev.tandem.server.Requests.pullResponse;
import static dev.tandem.server.Requests.pullResult;
import static dev.tandem.server.Requests.pushJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.protocol.Cookie;
import dev.tandem.protocol.ErrorResponse;
import dev.tandem.protocol.Mutation;
import dev.tandem.protocol.PatchOperation;
import dev.tandem.protocol.PullResponse;
import dev.tandem.protocol.RawJson;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server rules of PROTOCOL.md, run against each database ({@link SqliteBackendTest}, {@link
 * PostgresBackendTest}) through the framework-agnostic handlers.
 */
abstract class BackendContractTest {
  static final String ANN = "ann";
  static final String BOB = "bob";

  Database database;
  Backend backend;
  final List<Long> pokes = new CopyOnWriteArrayList<>();

  abstract Database openDatabase() throws Exception;

  Backend.Builder configure(Backend.Builder builder) {
    return builder;
  }

  @BeforeEach
  void setUp() throws Exception {
    database = openDatabase();
    backend =
        configure(ChatDomain.install(Backend.builder()).database(database))
            .ddl(
                "CREATE TABLE IF NOT EXISTS applied (client_id TEXT NOT NULL,"
                    + " mutation_id BIGINT NOT NULL, version BIGINT NOT NULL)")
            .mutator("record", BackendContractTest::record)
            .mutator(
                "recordThenFail",
                (context, args) -> {
                  record(context, args);
                  throw new IllegalStateException("business rule says no");
                })
            .build();
    backend.pokes().subscribe(pokes::add);
  }

  @AfterEach
  void tearDown() {
    database.close();
  }

  /** A mutator that is not idempotent: applying it twice leaves two rows. */
  static void record(MutationContext context, RawJson args) throws Exception {
    try (PreparedStatement insert =
        context
            .connection()
            .prepareStatement(
                "INSERT INTO applied (client_id, mutation_id, version) VALUES (?, ?, ?)")) {
      insert.setString(1, context.clientID());
      insert.setLong(2, Long.parseLong(args.toString()));
      insert.setLong(3, context.version());
      insert.executeUpdate();
    }
  }

  static Mutation record(String clientID, long id) {
    return mutation(clientID, id, "record", Long.toString(id));
  }

  HandlerResponse push(String user, String json) {
    return backend.push(user, body(json));
  }

  HandlerResponse pull(String user, String groupID, Cookie cookie) {
    return backend.pull(user, body(pullJson(groupID, cookie)));
  }

  long count(String sql, Object... params) throws Exception {
    try (Connection connection = database.reads().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) statement.setObject(i + 1, params[i]);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  long lastMutationID(String clientID) throws Exception {
    return count(
        "SELECT COALESCE(MAX(last_mutation_id), 0) FROM replicache_client WHERE id = ?", clientID);
  }

  @Test
  void pushThenPullReturnsTheMessageAndTheLastMutationID() throws Exception {
    assertEquals(200, push(ANN, pushJson("g1", createMessage("c1", 1, "m1", "hi"))).status());

    PullResponse response = pullResponse(pull(ANN, "g1", Cookie.NULL));

    assertEquals(Cookie.of(2), response.cookie());
    assertEquals(Collections.singletonMap("c1", 1L), response.lastMutationIDChanges());
    assertEquals(
        Arrays.asList(
            PatchOperation.clear(),
            PatchOperation.put(
                "message/m1", RawJson.parse("{\"from\":\"ann\",\"content\":\"hi\",\"order\":1}"))),
        response.patch());
  }

  @Test
  void pullAfterACookieReturnsOnlyLaterChanges() throws Exception {
    push(
        ANN,
        pushJson("g1", createMessage("c1", 1, "m1", "one"), createMessage("c1", 2, "m2", "two")));
    Cookie cookie = pullResponse(pull(ANN, "g1", Cookie.NULL)).cookie();

    push(
        ANN,
        pushJson(
            "g1",
            mutation("c1", 3, "updateMessage", "{\"id\":\"m1\",\"content\":\"uno\"}"),
            mutation("c1", 4, "deleteMessage", "{\"id\":\"m2\"}")));
    PullResponse response = pullResponse(pull(ANN, "g1", cookie));

    assertTrue(response.cookie().compareTo(cookie) > 0);
    assertEquals(Collections.singletonMap("c1", 4L), response.lastMutationIDChanges());
    assertEquals(
        Arrays.asList(
            PatchOperation.put(
                "message/m1", RawJson.parse("{\"from\":\"ann\",\"content\":\"uno\",\"order\":1}")),
            PatchOperation.del("message/m2")),
        response.patch());
  }

  @Test
  void unchangedStateKeepsTheCookie() throws Exception {
    push(ANN, pushJson("g1", createMessage("c1", 1, "m1", "hi")));
    PullResponse first = pullResponse(pull(ANN, "g1", Cookie.NULL));
    PullResponse second = pullResponse(pull(ANN, "g1", first.cookie()));

    assertEquals(first.cookie(), second.cookie());
    assertEquals(Collections.emptyMap(), second.lastMutationIDChanges());
    assertEquals(Collections.emptyList(), second.patch());
  }

  @Test
  void othersSeeChangesButNotOurLastMutationIDs() throws Exception {
    push(ANN, pushJson("g1", createMessage("c1", 1, "m1", "hi")));
    PullResponse bobs = pullResponse(pull(BOB, "g2", Cookie.NULL));

    assertEquals(Collections.emptyMap(), bobs.lastMutationIDChanges());
    assertEquals(2, bobs.patch().size());
  }

  @Test
  void duplicateMutationsAreSkipped() throws Exception {
    String json = pushJson("g1", record("c1", 1), record("c1", 2));
    assertEquals(200, push(ANN, json).status());
    assertEquals(200, push(ANN, json).status()); // The reply was lost; the client sends it again.
    assertEquals(200, push(ANN, pushJson("g1", record("c1", 2), record("c1", 3))).status());

    assertEquals(3, count("SELECT COUNT(*) FROM applied"));
    assertEquals(3, lastMutationID("c1"));
  }

  @Test
  void aThrowingMutatorIsRolledBackAndItsIdStillCounts() throws Exception {
    push(
        ANN,
        pushJson("g1", record("c1", 1), mutation("c1", 2, "recordThenFail", "2"), record("c1", 3)));

    assertEquals(2, count("SELECT COUNT(*) FROM applied"));
    assertEquals(0, count("SELECT COUNT(*) FROM applied WHERE mutation_id = 2"));
    assertEquals(3, lastMutationID("c1"));
  }

  @Test
  void aThrowingMutatorOfAKnownClientIsRolledBackAndItsIdStillCounts() throws Exception {
    push(ANN, pushJson("g1", record("c1", 1)));

    push(ANN, pushJson("g1", mutation("c1", 2, "recordThenFail", "2"), record("c1", 3)));

    assertEquals(2, count("SELECT COUNT(*) FROM applied"));
    assertEquals(0, count("SELECT COUNT(*) FROM applied WHERE mutation_id = 2"));
    assertEquals(3, lastMutationID("c1"));
    PullResponse response = pullResponse(pull(ANN, "g1", Cookie.of(2)));
    assertEquals(Collections.singletonMap("c1", 3L), response.lastMutationIDChanges());
  }

  @Test
  void badArgsAreAFailedMutationNotAFailedPush() throws Exception {
    HandlerResponse response =
        push(
            ANN,
            pushJson(
                "g1",
                mutation("c1", 1, "createMessage", "{\"id\":\"m1\",\"order\":\"first\"}"),
                mutation("c1", 2, "createMessage", "null"),
                createMessage("c1", 3, "m3", "fine")));

    assertEquals(200, response.status());
    assertEquals(3, lastMutationID("c1"));
    assertEquals(1, count("SELECT COUNT(*) FROM message"));
  }

  @Test
  void onlyItsSenderMayUpdateOrDeleteAMessage() throws Exception {
    push(ANN, pushJson("g1", createMessage("c1", 1, "m1", "ann's")));

    HandlerResponse response =
        push(
            BOB,
            pushJson(
                "g2",
                mutation("c2", 1, "updateMessage", "{\"id\":\"m1\",\"content\":\"bob's now\"}"),
                mutation("c2", 2, "deleteMessage", "{\"id\":\"m1\"}"),
                mutation(
                    "c2",
                    3,
                    "createMessage",
                    "{\"id\":\"m2\",\"from\":\"bob\",\"content\":\"mine\",\"order\":3}")));

    assertEquals(200, response.status());
    assertEquals(3, lastMutationID("c2")); // Refused for good; bob's queue goes on.
    assertEquals(
        1,
        count(
            "SELECT COUNT(*) FROM message WHERE id = 'm1' AND content = 'ann''s' AND NOT deleted"));
    assertEquals(1, count("SELECT COUNT(*) FROM message WHERE id = 'm2' AND sender = 'bob'"));
    push(
        ANN,
        pushJson(
            "g1",
            mutation("c1", 2, "updateMessage", "{\"id\":\"m1\",\"content\":\"edited\"}"),
            mutation("c1", 3, "deleteMessage", "{\"id\":\"m1\"}")));
    assertEquals(
        1,
        count("SELECT COUNT(*) FROM message WHERE id = 'm1' AND content = 'edited' AND deleted"));
  }

  @Test
  void aMessageIsSentOnlyAsTheAuthenticatedUser() throws Exception {
    HandlerResponse response =
        push(BOB, pushJson("g2", createMessage("c2", 1, "m1", "from 'ann'")));

    assertEquals(200, response.status());
    assertEquals(1, lastMutationID("c2"));
    assertEquals(0, count("SELECT COUNT(*) FROM message"));
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
  void aStatementSharedByThePushsMutationsOutlivesAFailedOne() throws Exception {
    HandlerResponse response =
        push(
            ANN,
            pushJson(
                "g1",
                createMessage("c1", 1, "m1", "one"),
                createMessage("c1", 2, "m1", "the same id again"),
                createMessage("c1", 3, "m3", "three")));

    assertEquals(200, response.status());
    assertEquals(3, lastMutationID("c1"));
    assertEquals(1, count("SELECT COUNT(*) FROM message WHERE id = 'm1' AND content = 'one'"));
    assertEquals(2, count("SELECT COUNT(*) FROM message"));
  }

  @Test
  void anUnknownMutatorAdvancesTheLastMutationID() throws Exception {
    assertEquals(200, push(ANN, pushJson("g1", mutation("c1", 1, "noSuchMutator", "{}"))).status());
    assertEquals(1, lastMutationID("c1"));
  }

  @Test
  void aGapStopsProcessingAndKeepsWhatCameBefore() throws Exception {
    push(ANN, pushJson("g1", record("c1", 1)));

    HandlerResponse response =
        push(
            ANN,
            pushJson("g1", record("c2", 1), record("c1", 2), record("c1", 4), record("c2", 2)));

    assertEquals(409, response.status());
    assertTrue(response.body().contains("expected 3"), response.body());
    assertEquals(2, lastMutationID("c1"));
    assertEquals(1, lastMutationID("c2"));
    assertEquals(0, count("SELECT COUNT(*) FROM applied WHERE mutation_id = 4"));
    assertEquals(3, count("SELECT COUNT(*) FROM applied"));
  }

  @Test
  void anUnknownClientPastItsFirstMutationGetsClientStateNotFound() throws Exception {
    HandlerResponse response = push(ANN, pushJson("g1", record("c0", 1), record("c1", 5)));

    assertEquals(200, response.status());
    assertEquals("{\"error\":\"ClientStateNotFound\"}", response.body());
    assertEquals(0, count("SELECT COUNT(*) FROM applied"));
    assertEquals(0, lastMutationID("c0"));
  }

  @Test
  void aCookieFromTheFutureGetsClientStateNotFound() throws Exception {
    assertEquals(
        ErrorResponse.clientStateNotFound(), pullResult(pull(ANN, "g1", Cookie.of(99))).error());
  }

  @Test
  void aCookieThisServerDidNotIssueIsABadRequest() {
    assertEquals(400, pull(ANN, "g1", Cookie.of("v7")).status());
    assertEquals(400, pull(ANN, "g1", Cookie.parse("{\"order\":3}")).status());
  }

  @Test
  void unsupportedVersionsGetVersionNotSupported() throws Exception {
    String push2 =
        pushJson("g1", record("c1", 1)).replace("\"pushVersion\":1", "\"pushVersion\":2");
    String pull0 = pullJson("g1", Cookie.NULL).replace("\"pullVersion\":1", "\"pullVersion\":0");

    assertEquals(
        "{\"error\":\"VersionNotSupported\",\"versionType\":\"push\"}", push(ANN, push2).body());
    assertEquals(
        ErrorResponse.versionNotSupported("pull"),
        pullResult(backend.pull(ANN, body(pull0))).error());
    assertEquals(0, count("SELECT COUNT(*) FROM applied"));
  }

  @Test
  void anotherUsersGroupIsRefusedWithNothingAppliedOrRevealed() throws Exception {
    push(ANN, pushJson("g1", createMessage("c1", 1, "m1", "secret")));

    HandlerResponse push = push(BOB, pushJson("g1", record("c1", 2)));
    HandlerResponse pull = pull(BOB, "g1", Cookie.NULL);

    assertEquals(403, push.status());
    assertEquals(403, pull.status());
    assertTrue(!push.body().contains("ann") && !pull.body().contains("secret"), pull.body());
    assertEquals(0, count("SELECT COUNT(*) FROM applied"));
    assertEquals(1, lastMutationID("c1"));
  }

  @Test
  void aGroupFirstUsedByAPullBelongsToThatUser() throws Exception {
    assertEquals(200, pull(ANN, "g1", Cookie.NULL).status());
    assertEquals(403, push(BOB, pushJson("g1", record("c9", 1))).status());
    assertEquals(0, count("SELECT COUNT(*) FROM applied"));
  }

  @Test
  void aClientOfAnotherGroupIsRefused() throws Exception {
    push(ANN, pushJson("g1", record("c1", 1)));

    HandlerResponse response = push(ANN, pushJson("g2", record("c2", 1), record("c1", 2)));

    assertEquals(403, response.status());
    assertEquals(1, count("SELECT COUNT(*) FROM applied"));
    assertEquals(0, lastMutationID("c2"));
  }

  @Test
  void malformedJsonIsABadRequestAndWritesNothing() throws Exception {
    HandlerResponse truncated = push(ANN, pushJson("g1", record("c1", 1)).substring(0, 60));
    HandlerResponse garbage = push(ANN, "{pushVersion: 1}");
    HandlerResponse twoDocuments = push(ANN, pushJson("g1", record("c1", 1)) + "{}");

    assertEquals(400, truncated.status());
    assertEquals(400, garbage.status());
    assertEquals(400, twoDocuments.status());
    assertEquals(0, count("SELECT COUNT(*) FROM applied"));
    assertEquals(0, count("SELECT COUNT(*) FROM replicache_client_group"));
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

  @Test
  void aWrongShapeIsABadRequestThatNamesThePath() throws Exception {
    String json = pushJson("g1", record("c1", 1)).replace("\"id\":1", "\"id\":\"one\"");
    HandlerResponse response = push(ANN, json);

    assertEquals(400, response.status());
    assertTrue(response.body().contains("$.mutations[0].id"), response.body());
    assertEquals(0, count("SELECT COUNT(*) FROM applied"));
  }

  @Test
  void anOversizedBodyGets413AndWritesNothing() throws Exception {
    Backend small =
        ChatDomain.install(Backend.builder()).database(database).maxBodyBytes(1024).build();
    List<Mutation> many = new ArrayList<>();
    for (int i = 1; i <= 50; i++) many.add(createMessage("c1", i, "m" + i, "x".repeat(40)));

    HandlerResponse response = small.push(ANN, body(pushJson("g1", "1", many)));

    assertEquals(413, response.status());
    assertTrue(response.body().startsWith("{\"error\":\"BodyTooLarge\""), response.body());
    assertEquals(0, count("SELECT COUNT(*) FROM message"));
  }

  @Test
  void aPokeFollowsEveryPushThatCommitsAndNoOther() throws Exception {
    String json = pushJson("g1", record("c1", 1));
    push(ANN, json);
    push(ANN, json); // Only a duplicate: nothing changes, no poke.
    push(ANN, "not json");
    push(ANN, pushJson("g1", record("c1", 2)));

    assertEquals(Arrays.asList(2L, 3L), pokes);
  }

  @Test
  void aPushThatChangesNothingLeavesTheVersion() throws Exception {
    push(ANN, pushJson("g1", record("c1", 1)));
    long version = count("SELECT version FROM replicache_server WHERE id = 1");

    push(ANN, pushJson("g1", record("c1", 1))); // A resend.
    HandlerResponse gap = push(ANN, pushJson("g1", record("c1", 3)));

    assertEquals(409, gap.status());
    assertEquals(version, count("SELECT version FROM replicache_server WHERE id = 1"));
    assertEquals(Collections.singletonList(version), pokes);
  }

  @Test
  void anEmptyPushClaimsTheGroupWithoutMovingTheVersion() throws Exception {
    assertEquals(200, push(ANN, pushJson("g1")).status());

    assertEquals(1, count("SELECT version FROM replicache_server WHERE id = 1"));
    assertEquals(403, push(BOB, pushJson("g1", record("c9", 1))).status());
    assertEquals(Collections.emptyList(), pokes);
  }

  @Test
  void aPushOfTwoClientsRecordsBoth() throws Exception {
    push(ANN, pushJson("g1", record("c1", 1)));

    push(ANN, pushJson("g1", record("c1", 2), record("c2", 1), record("c1", 3), record("c2", 2)));

    assertEquals(3, lastMutationID("c1"));
    assertEquals(2, lastMutationID("c2"));
    PullResponse response = pullResponse(pull(ANN, "g1", Cookie.of(2)));
    assertEquals(Map.of("c1", 3L, "c2", 2L), response.lastMutationIDChanges());
  }

  /** The tables as the first schema made them: a rowid client table, a (group, version) index. */
  static final String[] FIRST_SCHEMA = {
    "DROP TABLE replicache_client",
    "CREATE TABLE replicache_client (id TEXT PRIMARY KEY NOT NULL,"
        + " client_group_id TEXT NOT NULL, last_mutation_id BIGINT NOT NULL,"
        + " version BIGINT NOT NULL)",
    "CREATE INDEX replicache_client_by_group ON replicache_client (client_group_id, version)",
  };

  @Test
  void aDatabaseOfTheFirstSchemaIsUpgradedInPlace() throws Exception {
    try (Connection connection = database.writes().getConnection();
        java.sql.Statement statement = connection.createStatement()) {
      for (String sql : FIRST_SCHEMA) statement.execute(sql);
    }
    push(ANN, pushJson("g1", record("c1", 1), record("c1", 2)));

    Backend upgraded = ChatDomain.install(Backend.builder()).database(database).build();
    upgraded.push(ANN, body(pushJson("g1", createMessage("c1", 3, "m3", "after"))));

    assertEquals(3, lastMutationID("c1"));
    assertEquals(Arrays.asList("replicache_client_by_group_id"), clientIndexes());
    PullResponse response = pullResponse(upgraded.pull(ANN, body(pullJson("g1", Cookie.NULL))));
    assertEquals(Collections.singletonMap("c1", 3L), response.lastMutationIDChanges());
  }

  /** The secondary indexes of replicache_client, by name. */
  List<String> clientIndexes() throws Exception {
    List<String> names = new ArrayList<>();
    try (Connection connection = database.reads().getConnection();
        ResultSet rows =
            connection.getMetaData().getIndexInfo(null, null, "replicache_client", false, false)) {
      while (rows.next()) {
        String name = rows.getString("INDEX_NAME");
        if (name != null && name.startsWith("replicache_client_by") && !names.contains(name)) {
          names.add(name);
        }
      }
    }
    return names;
  }

  @Test
  void concurrentPushersNeverDuplicateOrLoseAMutation() throws Exception {
    int clients = 8;
    int perClient = 60;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      String clientID = "c" + i;
      String groupID = "g" + (i / 2); // Two clients per group, interleaving.
      String user = "user" + (i / 2);
      Random random = new Random(i);
      results.add(
          pool.submit(
              () -> {
                start.await();
                int pushes = 0;
                for (int next = 1; next <= perClient; ) {
                  // Resend up to two mutations that were already sent, as after a lost reply.
                  int first = Math.max(1, next - random.nextInt(3));
                  int last = Math.min(perClient, next + random.nextInt(5));
                  List<Mutation> batch = new ArrayList<>();
                  for (int id = first; id <= last; id++) batch.add(record(clientID, id));
                  HandlerResponse response =
                      backend.push(user, body(pushJson(groupID, "1", batch)));
                  if (response.status() != 200) throw new AssertionError(response.toString());
                  pushes++;
                  next = last + 1;
                }
                return pushes;
              }));
    }
    start.countDown();
    for (Future<Integer> result : results) result.get(2, TimeUnit.MINUTES);
    pool.shutdown();

    assertEquals(clients * perClient, count("SELECT COUNT(*) FROM applied"));
    assertEquals(
        clients * perClient,
        count("SELECT COUNT(*) FROM (SELECT DISTINCT client_id, mutation_id FROM applied) d"));
    for (int i = 0; i < clients; i++) {
      assertEquals(perClient, lastMutationID("c" + i));
      // Applied in order: by mutation ID, versions never go down.
      long previous = 0;
      try (Connection connection = database.reads().getConnection();
          PreparedStatement statement =
              connection.prepareStatement(
                  "SELECT version FROM applied WHERE client_id = ? ORDER BY mutation_id")) {
        statement.setString(1, "c" + i);
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            assertTrue(rows.getLong(1) >= previous, "c" + i + " applied out of order");
            previous = rows.getLong(1);
          }
        }
      }
    }
    // Each committing push took the next version: no version shared, none skipped.
    long finalVersion = count("SELECT version FROM replicache_server WHERE id = 1");
    List<Long> sorted = new ArrayList<>(pokes);
    Collections.sort(sorted);
    List<Long> expected = new ArrayList<>();
    for (long v = 2; v <= finalVersion; v++) expected.add(v);
    assertEquals(expected, sorted);
  }

  @Test
  void versionsOnlyIncrease() throws Exception {
    Cookie previous = Cookie.NULL;
    for (int i = 1; i <= 5; i++) {
      push(ANN, pushJson("g1", record("c1", i)));
      Cookie cookie = pullResponse(pull(ANN, "g1", previous)).cookie();
      assertTrue(cookie.compareTo(previous) > 0, cookie + " after " + previous);
      previous = cookie;
    }
    Map<String, Long> none = pullResponse(pull(ANN, "g1", previous)).lastMutationIDChanges();
    assertEquals(Collections.emptyMap(), none);
  }
}
