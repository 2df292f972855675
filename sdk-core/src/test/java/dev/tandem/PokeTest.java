package dev.tandem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.ChatMutators.Increment;
import dev.tandem.server.Backend;
import dev.tandem.server.ChatDomain;
import dev.tandem.server.Database;
import dev.tandem.server.Mutator;
import dev.tandem.server.TandemServer;
import java.io.File;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pokes over server-sent events from the standalone server make other clients pull at once. */
class PokeTest {
  @TempDir Path directory;

  @Test
  void aPushPokesTheOtherClientWhichPulls() throws Exception {
    try (Database database = Database.sqlite(directory.resolve("server.db"))) {
      Backend backend =
          ChatDomain.install(Backend.builder())
              .database(database)
              .ddl(
                  "CREATE TABLE IF NOT EXISTS counter (key TEXT PRIMARY KEY NOT NULL,"
                      + " value BIGINT NOT NULL, version BIGINT NOT NULL)")
              .mutator(
                  "increment", Mutator.typed(StubServer.Increment.class, StubServer::increment))
              .clientView(ChatDomain.clientView().and(StubServer::counters))
              .build();
      try (TandemServer server = TandemServer.start(backend, 0, 1 << 20);
          Tandem ann = client("ann", server.port());
          Tandem bob = client("bob", server.port())) {
        ann.mutate("increment", new Increment("a", 7));
        ann.flush().blockingAwait(20, TimeUnit.SECONDS);

        // No interval pulls, no pull() call: only the poke can bring bob the change.
        Long seen =
            bob.watch(
                    tx -> {
                      Long value = tx.get("counter/a", Long.class);
                      return value == null ? 0L : value;
                    })
                .filter(value -> value == 7L)
                .timeout(20, TimeUnit.SECONDS)
                .blockingFirst();
        assertEquals(7L, seen);
      }
    }
  }

  Tandem client(String name, int port) {
    return ChatMutators.register(Tandem.builder())
        .databaseFile(new File(directory.toFile(), name + ".db"))
        .serverUrl("http://127.0.0.1:" + port + "/api/replicache")
        .pullInterval(0)
        .auth(AuthProvider.of(name))
        .build();
  }
}
