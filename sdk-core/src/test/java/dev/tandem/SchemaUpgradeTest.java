package dev.tandem;

import static dev.tandem.Column.number;
import static dev.tandem.Column.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tandem.internal.Engine;
import dev.tandem.internal.db.JdbcSqlDriver;
import dev.tandem.internal.db.SqlConnection;
import dev.tandem.internal.store.Pending;
import dev.tandem.internal.store.StoreVersionTwo;
import dev.tandem.protocol.Cookie;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a database with another schema: additive changes upgrade in place with no resync;
 * anything else, and a database of a newer version, rebuilds the local copy and keeps every pending
 * mutation (replayed at once, pushed under the version it was made with).
 */
class SchemaUpgradeTest {
  @TempDir Path directory;
  private final List<JdbcSqlDriver> drivers = new ArrayList<>();

  @AfterEach
  void closeDrivers() {
    for (JdbcSqlDriver driver : drivers) driver.close();
  }

  static Schema.Builder task(int version, Column... extra) {
    List<Column> columns = new ArrayList<>();
    columns.add(string("id"));
    columns.add(string("title"));
    for (Column column : extra) columns.add(column);
    return Schema.builder()
        .version(version)
        .table(Table.named("task").columns(columns.toArray(new Column[0])).primaryKey("id"));
  }

  static Mutators.Builder mutators() {
    Mutators.Builder mutators = Mutators.builder();
    mutators.add(
        "addTask",
        String.class,
        (tx, id) -> tx.table("task").upsert(SchemaFixture.row("id", id, "title", "mine")));
    return mutators;
  }

  Engine open(Schema schema) {
    JdbcSqlDriver driver = new JdbcSqlDriver(new File(directory.toFile(), "app.db"), false);
    drivers.add(driver);
    return Engine.open(driver, schema, mutators());
  }

  void close() {
    drivers.remove(drivers.size() - 1).close();
  }

  static void pull(Engine local, Cookie base, String response) throws Exception {
    local.applier.apply(new Buffer().writeUtf8(response), base);
  }

  static final String TWO_TASKS =
      "{\"cookie\":1,\"lastMutationIDChanges\":{},\"patch\":["
          + "{\"op\":\"put\",\"key\":\"task/t1\",\"value\":{\"id\":\"t1\",\"title\":\"a\",\"priority\":2}},"
          + "{\"op\":\"put\",\"key\":\"task/t2\",\"value\":{\"id\":\"t2\",\"title\":\"b\"}}]}";

  static List<Row> tasks(Engine local, Query query) throws Exception {
    return local.read(tx -> tx.query(query), null);
  }

  static List<Pending> pending(Engine local) {
    return local.store.pending(0, Integer.MAX_VALUE);
  }

  @Test
  void anAdditiveChangeUpgradesInPlaceKeepingTheCookieAndThePending() throws Exception {
    Engine v1 = open(task(1).build());
    pull(v1, Cookie.NULL, TWO_TASKS);
    v1.mutate("addTask", "t3", 0);
    String oldClient = v1.clientID;
    String group = v1.store.clientGroupID();
    close();

    Engine v2 = open(task(2, number("priority").optional()).build());
    assertEquals(Cookie.of(1), v2.cookie(), "no resync: the cookie stays");
    List<Row> urgent = tasks(v2, Query.from("task").where("priority", "=", 2));
    assertEquals("t1", urgent.get(0).getString("id"), "the new column is filled from _json");
    assertEquals(3, tasks(v2, Query.from("task")).size(), "the pending task is still there");
    List<Pending> pending = pending(v2);
    assertEquals(1, pending.size());
    assertEquals(oldClient, pending.get(0).clientID);
    assertEquals("1", pending.get(0).schemaVersion, "pushed under the version it was made with");
    assertNotEquals(oldClient, v2.clientID, "a new version makes new mutations as a new client");
    assertEquals(group, v2.store.clientGroupID(), "in the same client group");

    v2.mutate("addTask", "t4", 0);
    Pending made = pending(v2).get(1);
    assertEquals(v2.clientID, made.clientID);
    assertEquals(1, made.id, "the new client counts its own mutation IDs");
    assertEquals("2", made.schemaVersion);
  }

  @Test
  void aColumnRemovedAndAddedBackIsFilledAgainFromTheStoredJson() throws Exception {
    Engine v1 = open(task(1, number("priority").optional()).build());
    pull(v1, Cookie.NULL, TWO_TASKS);
    close();

    Engine v2 = open(task(2).build()); // priority removed: in place, the column stays behind.
    pull(
        v2,
        Cookie.of(1),
        "{\"cookie\":2,\"lastMutationIDChanges\":{},\"patch\":[{\"op\":\"put\",\"key\":\"task/t2\","
            + "\"value\":{\"id\":\"t2\",\"title\":\"b\",\"priority\":5}}]}");
    close();

    Engine v3 = open(task(3, number("priority").optional()).build());
    List<Row> five = tasks(v3, Query.from("task").where("priority", "=", 5));
    assertEquals(1, five.size(), "t2's priority, synced while the column was not in the schema");
    assertEquals("t2", five.get(0).getString("id"));
    assertEquals(Cookie.of(2), v3.cookie());
  }

  @Test
  void aChangeThatIsNotAdditiveRebuildsTheLocalCopyAndReplaysThePending() throws Exception {
    Engine v1 = open(task(1, number("priority").optional()).build());
    pull(v1, Cookie.NULL, TWO_TASKS);
    v1.mutate("addTask", "t3", 0);
    close();

    // priority becomes a string: the stored rows may not fit, so the copy is rebuilt.
    Engine v2 = open(task(2, string("priority").optional()).build());
    assertEquals(Cookie.NULL, v2.cookie(), "the next pull is a full one");
    List<Row> rows = tasks(v2, Query.from("task"));
    assertEquals(1, rows.size(), "synced rows are gone; the pending task is replayed");
    assertEquals("t3", rows.get(0).getString("id"));
    assertNull(v2.read(tx -> tx.get("task/t1"), null));
    assertEquals(1, pending(v2).size());
    assertEquals("1", pending(v2).get(0).schemaVersion);

    // The full pull brings the server's rows and replays the pending task on top again.
    pull(
        v2,
        Cookie.NULL,
        "{\"cookie\":5,\"lastMutationIDChanges\":{},\"patch\":[{\"op\":\"clear\"},"
            + "{\"op\":\"put\",\"key\":\"task/t1\",\"value\":{\"id\":\"t1\",\"title\":\"a\",\"priority\":\"high\"}}]}");
    List<Row> after = tasks(v2, Query.from("task").orderBy("id"));
    assertEquals(2, after.size());
    assertEquals("high", after.get(0).getString("priority"));
    assertEquals("t3", after.get(1).getString("id"));
    close();

    Engine again = open(task(2, string("priority").optional()).build());
    assertEquals(Cookie.of(5), again.cookie(), "rebuilt once: the same schema opens as it is");
  }

  @Test
  void aDatabaseOfANewerVersionIsRebuiltKeepingTheNewerVersionsPending() throws Exception {
    Engine v3 = open(task(3, number("priority").optional()).build());
    pull(v3, Cookie.NULL, TWO_TASKS);
    v3.mutate("addTask", "t3", 0);
    String newerClient = v3.clientID;
    close();

    Engine v2 = open(task(2).build()); // An older app (a rollback, a restored backup).
    assertEquals(Cookie.NULL, v2.cookie(), "synced under a version this app does not know");
    assertEquals(1, tasks(v2, Query.from("task")).size(), "only the replayed pending task");
    Pending kept = pending(v2).get(0);
    assertEquals(newerClient, kept.clientID);
    assertEquals("3", kept.schemaVersion, "pushed under the newer version it was made with");
    assertNotEquals(newerClient, v2.clientID);
  }

  @Test
  void aStoreOfVersionOneGainsTheSchemaVersionOfItsPendingMutations() throws Exception {
    File file = new File(directory.toFile(), "app.db");
    JdbcSqlDriver old = new JdbcSqlDriver(file, false);
    SqlConnection db = old.writer();
    db.execute(
        "CREATE TABLE tandem_pending (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
            + " client_id TEXT NOT NULL, id INTEGER NOT NULL,"
            + " name TEXT NOT NULL, args TEXT NOT NULL, timestamp REAL NOT NULL,"
            + " UNIQUE (client_id, id))");
    db.execute(
        "INSERT INTO tandem_pending (client_id, id, name, args, timestamp)"
            + " VALUES ('c1', 1, 'addTask', '\"t9\"', 0)");
    db.execute("PRAGMA user_version = 1");
    old.close();

    Engine local = open(task(4).build());
    List<Pending> pending = pending(local);
    assertEquals("4", pending.get(0).schemaVersion);
    assertEquals("c1", pending.get(0).clientID);
  }

  /** Rewrites the closed database {@code file} into store version 2's shape. */
  static void downgradeToVersionTwo(File file) {
    JdbcSqlDriver driver = new JdbcSqlDriver(file, false);
    StoreVersionTwo.rewrite(driver.writer());
    driver.close();
  }

  @Test
  void aStoreOfVersionTwoWithPendingMutationsRebasesAsBeforeAfterItsUpgrade() throws Exception {
    File file = new File(directory.toFile(), "app.db");
    Engine before = open(task(1).build());
    pull(before, Cookie.NULL, TWO_TASKS);
    before.mutate("addTask", "t1", 0); // Changes a synced row: its undo entry is the synced one.
    before.mutate("addTask", "t3", 0); // Creates a row: its undo entry records it absent.
    String client = before.clientID;
    close();
    downgradeToVersionTwo(file);

    Engine after = open(task(1).build());
    assertEquals(2, after.pendingCount());
    // The server applied the first, refused the second: t3 goes, t1 is the server's.
    pull(
        after,
        Cookie.of(1),
        "{\"cookie\":2,\"lastMutationIDChanges\":{\""
            + client
            + "\":2},\"patch\":[{\"op\":\"put\",\"key\":\"task/t1\","
            + "\"value\":{\"id\":\"t1\",\"title\":\"server\"}}]}");
    assertEquals(0, after.pendingCount());
    List<Row> rows = tasks(after, Query.from("task"));
    assertEquals(2, rows.size(), "t3 was reverted");
    assertEquals("server", rows.get(0).getString("title"));
    assertEquals("b", rows.get(1).getString("title"));
    after.mutate("addTask", "t2", 0);
    assertEquals(3, pending(after).get(0).seq, "queue positions are not reused");
  }
}
