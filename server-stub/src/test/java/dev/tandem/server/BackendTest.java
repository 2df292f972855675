package dev.tandem.server;

import static dev.tandem.server.Requests.body;
import static dev.tandem.server.Requests.mutation;
import static dev.tandem.server.Requests.pullJson;

import dev.tandem.protocol.Cookie;
import dev.tandem.protocol.Mutation;
import dev.tandem.protocol.RawJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A {@link Backend} with the chat and two test mutators ({@code record}, {@code recordThenFail}) on
 * a fresh database, called through its framework-agnostic handlers, and queries to check what it
 * wrote.
 */
abstract class BackendTest {
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
            .mutator("record", BackendTest::record)
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
}
