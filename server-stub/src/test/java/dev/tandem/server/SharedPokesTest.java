package dev.tandem.server;

import static dev.tandem.server.Requests.body;
import static dev.tandem.server.Requests.createMessage;
import static dev.tandem.server.Requests.pullJson;
import static dev.tandem.server.Requests.pushJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.protocol.Cookie;
import dev.tandem.protocol.Mutation;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two server instances (two {@link Backend}s, each with its own pool) on one Postgres database: a
 * push on one pokes the streams of the other through {@code LISTEN}/{@code NOTIFY}, a claim on one
 * ends another user's stream on the other before its poke, and racing pushes through both stay
 * exactly-once.
 */
class SharedPokesTest {
  static final long WAIT_SECONDS = 20;

  Database databaseA;
  Database databaseB;
  Backend a;
  Backend b;

  @BeforeEach
  void setUp() throws Exception {
    String url = TestDatabases.postgresUrl();
    databaseA = Database.postgres(url, 4);
    databaseB = Database.postgres(url, 4);
    a = ChatDomain.install(Backend.builder()).database(databaseA).build();
    b = ChatDomain.install(Backend.builder()).database(databaseB).build();
  }

  @AfterEach
  void tearDown() {
    a.close();
    b.close();
    databaseA.close();
    databaseB.close();
  }

  /** What a stream heard, in order. */
  static final class Heard implements Pokes.StreamListener {
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    @Override
    public void poked() {
      events.add("poke");
    }

    @Override
    public void revoked() {
      events.add("revoked");
    }

    String next() throws InterruptedException {
      String event = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      if (event == null) throw new AssertionError("nothing heard in " + WAIT_SECONDS + " s");
      return event;
    }
  }

  /** Opens a stream on {@code backend} and waits until its relay listens (and its first poke). */
  static Heard stream(Backend backend, String user, String group) throws Exception {
    Heard heard = new Heard();
    assertNull(backend.subscribePokes(user, group, heard).refusal());
    assertTrue(backend.awaitPokeRelay(WAIT_SECONDS * 1000), "the relay never listened");
    assertEquals("poke", heard.next(), "a stream is poked once its relay starts listening");
    return heard;
  }

  @Test
  void aPushOnOneInstancePokesTheStreamsOfAnother() throws Exception {
    Heard onB = stream(b, "ann", "g2");

    HandlerResponse push = a.push("ann", body(pushJson("g1", createMessage("c1", 1, "m1", "hi"))));

    assertEquals(200, push.status());
    assertEquals("poke", onB.next());
  }

  @Test
  void aPushThatChangesNothingPokesNoOtherInstance() throws Exception {
    Heard onB = stream(b, "ann", "g2");
    a.push("ann", body(pushJson("g1", createMessage("c1", 1, "m1", "hi"))));
    assertEquals("poke", onB.next());

    a.push("ann", body(pushJson("g1", createMessage("c1", 1, "m1", "hi")))); // a resend
    a.push("ann", body(pushJson("g1", createMessage("c1", 2, "m2", "there"))));

    assertEquals("poke", onB.next());
    assertNull(onB.events.poll(200, TimeUnit.MILLISECONDS), "the resend poked no one");
  }

  @Test
  void aClaimOnAnotherInstanceEndsAnotherUsersStreamBeforeItsPoke() throws Exception {
    Heard bobsOnB = stream(b, "bob", "g1"); // g1 is not claimed yet: allowed.
    Heard annsOnB = new Heard();
    assertNull(b.subscribePokes("ann", "g1", annsOnB).refusal());

    a.push("ann", body(pushJson("g1", createMessage("c1", 1, "m1", "hi")))); // ann claims g1

    assertEquals("revoked", bobsOnB.next());
    assertEquals("poke", annsOnB.next());
    assertNull(bobsOnB.events.poll(200, TimeUnit.MILLISECONDS), "no poke after the revocation");
  }

  @Test
  void racingPushesThroughTwoInstancesApplyEachMutationOnce() throws Exception {
    List<Mutation> mutations = new ArrayList<>();
    for (int id = 1; id <= 20; id++) mutations.add(createMessage("c1", id, "m" + id, "n" + id));
    ExecutorService threads = Executors.newFixedThreadPool(6);
    try {
      List<Future<HandlerResponse>> answers = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (int end = 1; end <= mutations.size(); end += 4) {
          String json = pushJson("g1", "1", mutations.subList(0, end));
          Backend instance = (end / 4 + round) % 2 == 0 ? a : b;
          answers.add(threads.submit(() -> instance.push("ann", body(json))));
        }
      }
      for (Future<HandlerResponse> answer : answers) {
        assertEquals(200, answer.get(WAIT_SECONDS, TimeUnit.SECONDS).status());
      }
    } finally {
      threads.shutdownNow();
    }
    String whole = pushJson("g1", "1", mutations);
    assertEquals(200, b.push("ann", body(whole)).status());

    try (Connection connection = databaseA.reads().getConnection();
        ResultSet rows =
            connection
                .createStatement()
                .executeQuery(
                    "SELECT count(*), count(DISTINCT version) FROM message"
                        + " UNION ALL SELECT last_mutation_id, 0 FROM replicache_client")) {
      rows.next();
      assertEquals(20, rows.getLong(1), "each message once");
      rows.next();
      assertEquals(20, rows.getLong(1), "every mutation processed");
    }
    assertFalse(
        Requests.pullResponse(a.pull("ann", body(pullJson("g1", Cookie.NULL)))).patch().isEmpty());
  }
}
