package dev.tandem;

import dev.tandem.protocol.PatchOperation;
import dev.tandem.protocol.RawJson;
import dev.tandem.server.Backend;
import dev.tandem.server.ChatDomain;
import dev.tandem.server.Database;
import dev.tandem.server.HandlerResponse;
import dev.tandem.server.Mutator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;

/**
 * The real server stub (chat plus a counter table, on a SQLite file) behind MockWebServer, which
 * forwards each request to the handlers and can lose the response after the server applied it.
 */
final class StubServer implements AutoCloseable {
  /** Server-side args of {@code increment}. */
  static final class Increment {
    String key;
    Long by;
  }

  final Database database;
  final Backend backend;
  final MockWebServer http = new MockWebServer();

  /** How many of the next push responses to lose after applying the push. */
  final AtomicInteger dropPushResponses = new AtomicInteger();

  final AtomicInteger dropPullResponses = new AtomicInteger();
  final AtomicInteger pushRequests = new AtomicInteger();

  StubServer(Path directory) throws Exception {
    this(
        directory,
        builder ->
            ChatDomain.install(builder)
                .ddl(
                    "CREATE TABLE IF NOT EXISTS counter (key TEXT PRIMARY KEY NOT NULL,"
                        + " value BIGINT NOT NULL, version BIGINT NOT NULL)")
                .mutator("increment", Mutator.typed(Increment.class, StubServer::increment))
                .clientView(ChatDomain.clientView().and(StubServer::counters)));
  }

  /** A server whose backend {@code configure} sets up (an app, say), on a SQLite file. */
  StubServer(Path directory, UnaryOperator<Backend.Builder> configure) throws Exception {
    database = Database.sqlite(directory.resolve("server.db"));
    backend = configure.apply(Backend.builder().database(database)).build();
    http.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return forward(request);
          }
        });
    http.start();
  }

  String url() {
    return http.url("/api/replicache").toString();
  }

  private MockResponse forward(RecordedRequest request) {
    String path = request.getUrl().encodedPath();
    String auth = request.getHeaders().get("Authorization");
    ByteArrayInputStream body = new ByteArrayInputStream(request.getBody().toByteArray());
    HandlerResponse response;
    AtomicInteger drop;
    if (path.endsWith("/push")) {
      pushRequests.incrementAndGet();
      response = backend.push(auth, body);
      drop = dropPushResponses;
    } else if (path.endsWith("/pull")) {
      response = backend.pull(auth, body);
      drop = dropPullResponses;
    } else {
      return new MockResponse.Builder().code(404).build();
    }
    if (drop.get() > 0 && drop.getAndDecrement() > 0) {
      return new MockResponse.Builder()
          .onResponseStart(SocketEffect.ShutdownConnection.INSTANCE)
          .build();
    }
    return new MockResponse.Builder()
        .code(response.status())
        .setHeader("Content-Type", "application/json")
        .body(response.body())
        .build();
  }

  static void increment(dev.tandem.server.MutationContext context, Increment args)
      throws Exception {
    if (args.key == null || args.by == null) throw new IllegalArgumentException("key and by");
    try (PreparedStatement statement =
        context
            .connection()
            .prepareStatement(
                "INSERT INTO counter (key, value, version) VALUES (?, ?, ?) ON CONFLICT (key)"
                    + " DO UPDATE SET value = counter.value + excluded.value,"
                    + " version = excluded.version")) {
      statement.setString(1, args.key);
      statement.setLong(2, args.by);
      statement.setLong(3, context.version());
      statement.executeUpdate();
    }
  }

  static void counters(
      Connection connection, long since, java.util.function.Consumer<PatchOperation> out)
      throws java.sql.SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT key, value FROM counter WHERE version > ?")) {
      statement.setLong(1, since);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          out.accept(
              PatchOperation.put("counter/" + rows.getString(1), RawJson.number(rows.getLong(2))));
        }
      }
    }
  }

  /** The server's counters. */
  Map<String, Long> counters() throws Exception {
    Map<String, Long> result = new TreeMap<>();
    try (Connection connection = database.reads().getConnection();
        PreparedStatement statement =
            connection.prepareStatement("SELECT key, value FROM counter");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) result.put(rows.getString(1), rows.getLong(2));
    }
    return result;
  }

  /** The last mutation ID the server processed for {@code clientID}; 0 if none. */
  long lastMutationID(String clientID) throws Exception {
    try (Connection connection = database.reads().getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT last_mutation_id FROM replicache_client WHERE id = ?")) {
      statement.setString(1, clientID);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? rows.getLong(1) : 0;
      }
    }
  }

  @Override
  public void close() throws IOException {
    http.close();
    database.close();
  }
}
