package dev.tandem.sample.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.AuthProvider;
import dev.tandem.Query;
import dev.tandem.Row;
import dev.tandem.Tandem;
import dev.tandem.server.Backend;
import dev.tandem.server.Database;
import dev.tandem.server.TandemServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that comes back after the server forgot its group (client GC) with mutations it made
 * offline: the real client and the real server, over HTTP. It goes on in a new group; everything it
 * made arrives exactly once.
 */
class ForgottenClientTest {
  @TempDir Path directory;

  /** A clock the test moves. */
  static final class ManualClock extends Clock {
    final AtomicLong millis = new AtomicLong(1_700_000_000_000L);

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }
  }

  private Tandem client(String user, String url) {
    return Tandem.builder()
        .app(new ChatApp())
        .databaseFile(directory.resolve(user + ".db").toFile())
        .serverUrl(url)
        .auth(AuthProvider.of(user))
        .backoff(20, 200)
        .build();
  }

  private static void send(Tandem client, String id, String from, long order) {
    ChatApp.CreateMessage message = new ChatApp.CreateMessage();
    message.id = id;
    message.from = from;
    message.content = "message " + id;
    message.order = order;
    client.mutate("createMessage", message);
  }

  private static List<String> ids(Tandem client) {
    List<String> ids = new ArrayList<>();
    for (Row row : client.query(Query.from("message").orderBy("order"))) {
      ids.add(row.getString("id"));
    }
    return ids;
  }

  @Test
  void aForgottenClientComesBackWithItsOfflineMutations() throws Exception {
    ManualClock clock = new ManualClock();
    try (Database database = Database.sqlite(directory.resolve("server.db"));
        Backend backend =
            Backend.builder()
                .app(new ChatApp())
                .database(database)
                .forgetClientsAfter(Duration.ofDays(30))
                .clock(clock)
                .build();
        TandemServer server = TandemServer.builder(backend).port(0).start()) {
      String url = "http://127.0.0.1:" + server.port() + "/api/replicache";
      try (Tandem ann = client("ann", url);
          Tandem bob = client("bob", url)) {
        List<Boolean> lost = new ArrayList<>();
        ann.onClientStateNotFound(lost::add);
        send(ann, "m1", "ann", 1);
        assertTrue(ann.flush(30, TimeUnit.SECONDS));
        String group = ann.clientGroupID();

        // Offline for longer than the server remembers clients.
        ann.setNetworkAvailable(false);
        send(ann, "m2", "ann", 2);
        send(ann, "m3", "ann", 3);
        clock.millis.addAndGet(Duration.ofDays(31).toMillis());
        assertTrue(backend.forgetInactiveClients() >= 1, "ann's group is forgotten");

        ann.setNetworkAvailable(true);
        assertTrue(ann.flush(30, TimeUnit.SECONDS), "everything pending is confirmed");
        assertNotEquals(group, ann.clientGroupID(), "in a new group");
        assertEquals(List.of(true), lost);
        assertEquals(0, ann.pendingMutations().size());
        assertTrue(ann.pull(30, TimeUnit.SECONDS));
        assertEquals(List.of("m1", "m2", "m3"), ids(ann));
        assertTrue(bob.pull(30, TimeUnit.SECONDS));
        assertEquals(List.of("m1", "m2", "m3"), ids(bob), "each message once");
      }
    }
  }
}
