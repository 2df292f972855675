package dev.tandem.server;

import static dev.tandem.server.Requests.createMessage;
import static dev.tandem.server.Requests.pullResponse;
import static dev.tandem.server.Requests.pushJson;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.protocol.Cookie;
import dev.tandem.protocol.PullResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/**
 * Client GC, on each database ({@link SqliteForgetClientsTest}, {@link PostgresForgetClientsTest}):
 * groups that have not pushed or pulled for the age are forgotten with their clients, a forgotten
 * client's next push answers {@code ClientStateNotFound} and applies nothing, and its pending
 * mutations, pushed again by a new client of a new group (what the client does), apply once.
 */
abstract class ForgetClientsContractTest extends BackendTest {
  static final Duration AGE = Duration.ofDays(30);
  static final String CLIENT_STATE_NOT_FOUND = "{\"error\":\"ClientStateNotFound\"}";

  /** A clock the test moves. */
  static final class TestClock extends Clock {
    volatile long millis = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    void advance(Duration duration) {
      millis += duration.toMillis();
    }

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  final TestClock clock = new TestClock();

  @Override
  Backend.Builder configure(Backend.Builder builder) {
    return builder.clock(clock).forgetClientsAfter(AGE);
  }

  long groups() throws Exception {
    return count("SELECT count(*) FROM replicache_client_group");
  }

  long lastActive(String groupID) throws Exception {
    return count("SELECT last_active FROM replicache_client_group WHERE id = ?", groupID);
  }

  @Test
  void aGroupInactiveForLongerThanTheAgeIsForgottenWithItsClientsAndRefusals() throws Exception {
    push(ANN, pushJson("g1", createMessage("c1", 1, "m1", "one"), record("c2", 1)));
    push(ANN, pushJson("g1", Requests.mutation("c2", 2, "recordThenFail", "2")));
    push(BOB, pushJson("g2", record("c3", 1)));
    clock.advance(AGE.minusDays(1));
    push(BOB, pushJson("g2", record("c3", 2))); // g2 stays active

    clock.advance(Duration.ofDays(2));
    assertEquals(1, backend.forgetInactiveClients());

    assertEquals(1, groups());
    assertEquals(1, count("SELECT count(*) FROM replicache_client"));
    assertEquals(0, lastMutationID("c1"));
    assertEquals(2, lastMutationID("c3"));
    assertEquals(0, count("SELECT count(*) FROM tandem_refused_mutation"));
    assertEquals(1, count("SELECT count(*) FROM message"), "the app's data stays");
  }

  @Test
  void aForgottenClientsNextPushGetsClientStateNotFoundAndAppliesNothing() throws Exception {
    push(ANN, pushJson("g1", record("c1", 1), record("c1", 2)));
    clock.advance(AGE.plusDays(1));
    backend.forgetInactiveClients();
    long applied = count("SELECT count(*) FROM applied");

    HandlerResponse answer = push(ANN, pushJson("g1", record("c1", 3), record("c1", 4)));

    assertEquals(200, answer.status());
    assertEquals(CLIENT_STATE_NOT_FOUND, answer.body());
    assertEquals(applied, count("SELECT count(*) FROM applied"));
    assertEquals(0, groups(), "the refused push claimed nothing");
  }

  @Test
  void pendingMutationsOfAForgottenClientApplyOnceFromItsNewGroup() throws Exception {
    // c1 pushed 1 and 2, then went offline with 3 and 4 pending, for longer than the age.
    push(ANN, pushJson("g1", createMessage("c1", 1, "m1", "one"), record("c1", 2)));
    clock.advance(AGE.plusDays(1));
    backend.forgetInactiveClients();
    assertEquals(
        CLIENT_STATE_NOT_FOUND,
        push(ANN, pushJson("g1", createMessage("c1", 3, "m3", "three"), record("c1", 4))).body());

    // The client starts a new group with a new client and sends its pending mutations again.
    HandlerResponse again =
        push(ANN, pushJson("g9", createMessage("c9", 1, "m3", "three"), record("c9", 2)));

    assertEquals("{}", again.body());
    assertEquals(2, lastMutationID("c9"));
    assertEquals(1, count("SELECT count(*) FROM message WHERE id = 'm3'"));
    assertEquals(1, count("SELECT count(*) FROM applied WHERE client_id = 'c9'"));
    PullResponse pull = pullResponse(pull(ANN, "g9", Cookie.NULL));
    assertEquals(Collections.singletonMap("c9", 2L), pull.lastMutationIDChanges());
  }

  @Test
  void pullsKeepAGroupThatNeverPushesAgain() throws Exception {
    push(ANN, pushJson("g1", record("c1", 1)));
    for (int day = 0; day < 40; day += 5) {
      clock.advance(Duration.ofDays(5));
      pullResponse(pull(ANN, "g1", Cookie.of(2)));
    }

    clock.advance(AGE.minusDays(1));
    assertEquals(0, backend.forgetInactiveClients());
    assertEquals(1, lastMutationID("c1"));
  }

  @Test
  void aPullSoonAfterTheLastActivityWritesNothing() throws Exception {
    push(ANN, pushJson("g1", record("c1", 1)));
    long pushed = lastActive("g1");

    // The precision: a tenth of the age, at most an hour.
    clock.advance(Duration.ofMinutes(59));
    pullResponse(pull(ANN, "g1", Cookie.of(2)));
    assertEquals(pushed, lastActive("g1"));

    clock.advance(Duration.ofMinutes(1));
    pullResponse(pull(ANN, "g1", Cookie.of(2)));
    assertEquals(clock.millis(), lastActive("g1"));
  }

  @Test
  void aForgottenGroupThatPullsIsServedAndClaimedAgain() throws Exception {
    push(ANN, pushJson("g1", createMessage("c1", 1, "m1", "one")));
    clock.advance(AGE.plusDays(1));
    backend.forgetInactiveClients();
    push(ANN, pushJson("g2", createMessage("c2", 1, "m2", "two")));

    PullResponse pull = pullResponse(pull(ANN, "g1", Cookie.of(2)));

    assertEquals(Cookie.of(3), pull.cookie());
    assertEquals(Collections.emptyMap(), pull.lastMutationIDChanges());
    assertEquals(1, pull.patch().size(), "m2, written after its cookie");
    assertEquals(1, count("SELECT count(*) FROM replicache_client_group WHERE id = 'g1'"));
  }

  @Test
  void withoutAnAgeNothingIsForgotten() throws Exception {
    try (Backend keeper = ChatDomain.install(Backend.builder()).database(database).build()) {
      push(ANN, pushJson("g1", record("c1", 1)));
      clock.advance(AGE.multipliedBy(100));
      assertEquals(0, keeper.forgetInactiveClients());
      assertEquals(1, groups());
    }
  }
}
