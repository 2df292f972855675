package dev.tandem.server;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Tests of the standalone server running the chat on a fresh SQLite file, over real sockets. */
abstract class ChatServerTest {
  static final String PUSH = "/api/replicache/push";
  static final String PULL = "/api/replicache/pull";
  static final String SECRET = "s3cret";
  static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  @TempDir Path directory;
  Database database;
  TandemServer server;

  /** A server for the chat with {@code authenticator}, to configure and {@link #start}. */
  TandemServer.Builder server(Authenticator authenticator) throws Exception {
    database = TestDatabases.sqlite(directory);
    Backend backend =
        ChatDomain.install(Backend.builder())
            .database(database)
            .authenticator(authenticator)
            .build();
    return TandemServer.builder(backend);
  }

  void start(TandemServer.Builder builder) throws Exception {
    server = builder.port(0).start();
  }

  void start(Authenticator authenticator) throws Exception {
    start(server(authenticator));
  }

  @AfterEach
  void stopServer() throws Exception {
    if (server != null) server.close();
    if (database != null) database.close();
  }
}
