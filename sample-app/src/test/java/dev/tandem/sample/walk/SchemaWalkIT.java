package dev.tandem.sample.walk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.AuthProvider;
import dev.tandem.KeyValue;
import dev.tandem.ReadQuery;
import dev.tandem.RefusedMutation;
import dev.tandem.ScanOptions;
import dev.tandem.Tandem;
import dev.tandem.UpdateNeeded;
import dev.tandem.sample.SampleProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walk of docs/MIGRATIONS.md, end to end: the standalone server redeployed with each release of
 * {@link Directory} (its migrations run at start), an old client that stays on v1 and a new one
 * that upgrades its database file in place at each step, syncing throughout, on SQLite and on
 * Postgres. At every step both clients converge; at the end every note made exists exactly once.
 */
class SchemaWalkIT {
  static final Path SERVER_JAR =
      Paths.get("../server-stub/target/tandem-server.jar").toAbsolutePath();
  static final Path APPS = Paths.get("target/test-classes").toAbsolutePath();
  static final int WAIT = 60;

  @TempDir Path directory;

  private int port;
  private String db;
  private SampleProcess server;
  private final List<Tandem> open = new ArrayList<>();
  private final BlockingQueue<RefusedMutation> refused = new LinkedBlockingQueue<>();

  @Test
  void onSqlite() throws Exception {
    walk(directory.resolve("server.db").toString());
  }

  @Test
  void onPostgres() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      walk(postgres.getJdbcUrl("postgres", "postgres"));
    }
  }

  /** Stops the server and starts release {@code version} on the same database. */
  private void deploy(int version) throws Exception {
    if (server != null) server.close();
    server =
        SampleProcess.start(
            "server-v" + version,
            directory,
            List.of(
                SampleProcess.JAVA,
                "-cp",
                APPS + File.pathSeparator + SERVER_JAR,
                "dev.tandem.server.Main",
                "--app",
                Directory.class.getName() + "$V" + version,
                "--port",
                Integer.toString(port),
                "--db",
                db));
    server.await(line -> line.contains("listening on port"), WAIT, "its port");
  }

  private Tandem client(int version, String user) {
    Tandem client =
        Tandem.builder()
            .app(Directory.release(version))
            .databaseFile(directory.resolve(user + ".db").toFile())
            .serverUrl("http://127.0.0.1:" + port + "/api/replicache")
            .auth(AuthProvider.of(user))
            .backoff(20, 300)
            .onMutationRefused(refused::add)
            .build();
    open.add(client);
    return client;
  }

  private static void sync(Tandem... clients) {
    for (Tandem client : clients) {
      assertTrue(client.flush(WAIT, TimeUnit.SECONDS), "flush");
    }
    for (Tandem client : clients) {
      assertTrue(client.pull(WAIT, TimeUnit.SECONDS), "pull");
    }
  }

  private static String json(Tandem client, String key) throws Exception {
    return client.query((ReadQuery<String>) tx -> tx.getJson(key));
  }

  private static Object field(Tandem client, String key, String field) throws Exception {
    return client.query((ReadQuery<Object>) tx -> ((Map<?, ?>) tx.get(key)).get(field));
  }

  private static Map<String, String> notes(Tandem client) throws Exception {
    Map<String, String> notes = new LinkedHashMap<>();
    for (KeyValue entry :
        client.query((ReadQuery<List<KeyValue>>) tx -> tx.scan(ScanOptions.prefix("note/")))) {
      notes.put(entry.key(), entry.json());
    }
    return notes;
  }

  private static Map<String, Object> row(Object... fields) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < fields.length; i += 2) row.put((String) fields[i], fields[i + 1]);
    return row;
  }

  private void walk(String database) throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    db = database;
    try {
      deploy(1);
      Tandem old = client(1, "ann");
      Tandem fresh = client(1, "bob");
      old.mutate("savePerson", row("id", "ann", "nickname", "Ann", "team", "blue"));
      fresh.mutate("savePerson", row("id", "bob", "nickname", "Bob", "team", "red"));
      old.mutate("addNote", row("id", "n1", "personID", "ann", "text", "v1 note"));
      sync(old, fresh, old);

      // 1. Add a column: database and server first, then the new client.
      deploy(2);
      fresh.close();
      fresh = client(2, "bob");
      fresh.mutate("setBio", row("id", "bob", "bio", "hello"));
      sync(fresh, old);
      // The old client writes the whole row it knows; bio, which it does not know, stays.
      old.mutate("savePerson", row("id", "bob", "nickname", "Bobby", "team", "red"));
      sync(old, fresh);
      assertEquals("hello", field(fresh, "person/bob", "bio"));
      assertEquals("hello", field(old, "person/bob", "bio"));
      assertEquals("Bobby", field(fresh, "person/bob", "nickname"));

      // 2. Rename nickname to displayName: expand with a mirror (backfilled).
      deploy(3);
      fresh.close();
      fresh = client(3, "bob");
      sync(fresh);
      assertEquals("Ann", field(fresh, "person/ann", "displayName"));
      fresh.mutate("rename", row("id", "ann", "displayName", "Ann A"));
      sync(fresh, old);
      assertEquals("Ann A", field(old, "person/ann", "nickname"));
      old.mutate("savePerson", row("id", "ann", "nickname", "Annie", "team", "blue"));
      sync(old, fresh);
      assertEquals("Annie", field(fresh, "person/ann", "displayName"));

      // 3. Make team optional the safe way: a new optional column, mirrored.
      deploy(4);
      fresh.close();
      fresh = client(4, "bob");
      fresh.mutate("setTeam", row("id", "bob", "teamName", null));
      sync(fresh, old);
      assertEquals("(none)", field(old, "person/bob", "team"));
      old.mutate("savePerson", row("id", "bob", "nickname", "Bobby", "team", "green"));
      sync(old, fresh);
      assertEquals("green", field(fresh, "person/bob", "teamName"));

      // 4. Remove columns: the client first (the server learns v5 and still serves v1)...
      deploy(5);
      fresh.close();
      fresh = client(5, "bob");
      fresh.mutate("savePerson", row("id", "cy", "displayName", "Cy"));
      fresh.mutate("addNote", row("id", "n2", "personID", "cy", "text", "v5 note"));
      sync(fresh, old);
      assertEquals("Cy", field(old, "person/cy", "nickname"));
      assertEquals("(none)", field(old, "person/cy", "team"));
      assertEquals(notes(fresh), notes(old));

      // ... the old client makes changes offline ...
      old.setNetworkAvailable(false);
      old.mutate("addNote", row("id", "n3", "personID", "ann", "text", "offline"));
      old.mutate("savePerson", row("id", "ann", "nickname", "Offline Ann", "team", "blue"));

      // ... then the server raises its minimum to 5 and the database drops the columns.
      deploy(6);
      BlockingQueue<UpdateNeeded> updateNeeded = new LinkedBlockingQueue<>();
      old.onUpdateNeeded(updateNeeded::add);
      old.setNetworkAvailable(true);
      UpdateNeeded why = updateNeeded.poll(WAIT, TimeUnit.SECONDS);
      assertNotEquals(null, why, "the old client hears it needs an update");
      assertEquals("schema", why.versionType());
      assertEquals(UpdateNeeded.Reason.SCHEMA_TOO_OLD, why.reason());
      assertEquals("1", why.clientSchemaVersion());
      assertEquals("5", why.minSchemaVersion());
      assertEquals("6", why.maxSchemaVersion());
      assertEquals(2, old.pendingMutations().size(), "nothing pending is dropped");

      // The old app updates (to v6) and opens the same file: its v1 mutations are pushed under v1,
      // refused, and handed to the app.
      old.close();
      assertNull(refused.poll());
      old = client(6, "ann");
      RefusedMutation first = refused.poll(WAIT, TimeUnit.SECONDS);
      RefusedMutation second = refused.poll(WAIT, TimeUnit.SECONDS);
      assertEquals("addNote", first.mutation().name());
      assertEquals("savePerson", second.mutation().name());
      assertEquals("1", first.mutation().schemaVersion());
      assertTrue(first.mutation().argsJson().contains("\"id\":\"n3\""));
      // The app makes the note again, under the version it has now.
      old.mutate("addNote", row("id", "n3", "personID", "ann", "text", "offline"));
      fresh.close();
      fresh = client(6, "bob");
      sync(old, fresh, old);

      // Both converge; every note exists once; the refused rename never happened.
      assertEquals(notes(fresh), notes(old));
      assertEquals(
          new ArrayList<>(List.of("note/n1", "note/n2", "note/n3")), sorted(notes(fresh).keySet()));
      assertEquals("Annie", field(fresh, "person/ann", "displayName"));
      assertEquals(json(fresh, "person/ann"), json(old, "person/ann"));
      assertEquals(json(fresh, "person/bob"), json(old, "person/bob"));
      // The dropped columns are gone from the server: a new client's copy has none of them (the
      // copies above keep their last values in each row's JSON until the row changes).
      Tandem third = client(6, "cy");
      sync(third);
      assertEquals(notes(fresh), notes(third));
      assertNull(field(third, "person/ann", "nickname"));
      assertNull(field(third, "person/bob", "bio"));
      assertEquals("Annie", field(third, "person/ann", "displayName"));
      assertEquals(0, old.pendingMutations().size());
    } finally {
      for (Tandem client : open) client.close();
      if (server != null) server.close();
    }
  }

  private static List<String> sorted(java.util.Collection<String> keys) {
    List<String> list = new ArrayList<>(keys);
    Collections.sort(list);
    return list;
  }
}
