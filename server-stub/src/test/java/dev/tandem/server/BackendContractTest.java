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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The server rules of PROTOCOL.md, run against each database ({@link SqliteBackendTest}, {@link
 * PostgresBackendTest}) through the framework-agnostic handlers.
 */
abstract class BackendContractTest extends BackendTest {
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
  void aFirstClientThatChangesNothingKeepsItsRowWhileAnotherClientChanges() throws Exception {
    push(ANN, pushJson("g1", record("c1", 1)));
    Cookie cookie = pullResponse(pull(ANN, "g1", Cookie.NULL)).cookie();

    // c1 resends 1, then skips to 3 after c2's first: c2's applies, c1's row stays as it was
    // (on Postgres the push's first statement wrote it ahead as 3, and must set it back).
    HandlerResponse response =
        push(ANN, pushJson("g1", record("c1", 1), record("c2", 1), record("c1", 3)));

    assertEquals(409, response.status());
    assertEquals(1, lastMutationID("c1"));
    assertEquals(1, lastMutationID("c2"));
    assertEquals(
        Collections.singletonMap("c2", 1L),
        pullResponse(pull(ANN, "g1", cookie)).lastMutationIDChanges());
  }

  @Test
  void aFirstClientStoppedByAGapRecordsWhatItApplied() throws Exception {
    push(ANN, pushJson("g1", record("c1", 1)));

    HandlerResponse response = push(ANN, pushJson("g1", record("c1", 2), record("c1", 4)));

    assertEquals(409, response.status());
    assertEquals(2, lastMutationID("c1"));
    assertEquals(2, count("SELECT COUNT(*) FROM applied"));
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
