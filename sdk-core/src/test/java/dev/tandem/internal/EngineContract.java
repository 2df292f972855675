package dev.tandem.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.tandem.Column;
import dev.tandem.MutationException;
import dev.tandem.Mutators;
import dev.tandem.Query;
import dev.tandem.Row;
import dev.tandem.ScanOptions;
import dev.tandem.Schema;
import dev.tandem.Table;
import dev.tandem.internal.db.SqlConnection;
import dev.tandem.internal.db.SqlCursor;
import dev.tandem.internal.db.SqlDriver;
import dev.tandem.internal.rebase.PullApplier;
import dev.tandem.internal.store.KeySet;
import dev.tandem.protocol.Cookie;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okio.Buffer;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The engine's behaviour over a {@link SqlDriver}: mutations, the write ritual, pull apply and
 * rebase, typed tables and table queries, as one suite for every driver (SQLDelight runs its engine
 * tests per driver): the JDBC driver in sdk-core, Android's under Robolectric in sdk-android. JUnit
 * 4 so that both can run it.
 */
public abstract class EngineContract {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private SqlDriver driver;
  private Engine engine;
  private final List<KeySet> commits = new ArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger replays =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Opens (creating if needed) the database in {@code file}. */
  protected abstract SqlDriver open(File file);

  static Schema schema() {
    return Schema.builder()
        .version(1)
        .table(
            Table.named("task")
                .columns(Column.string("id"), Column.string("title"), Column.number("rank"))
                .primaryKey("id"))
        .build();
  }

  @Before
  public void openEngine() {
    driver = open(new File(folder.getRoot(), "engine.db"));
    Mutators.Builder mutators = Mutators.builder();
    mutators.add("put", String.class, (tx, key) -> tx.put(key, "optimistic"));
    mutators.add("del", String.class, (tx, key) -> tx.del(key));
    mutators.add(
        "upsertTask",
        String.class,
        (tx, id) -> {
          Map<String, Object> row = new java.util.LinkedHashMap<>();
          row.put("id", id);
          row.put("title", "fits");
          tx.table("task").upsert(row);
        });
    mutators.add(
        "addTask",
        String.class,
        (tx, id) -> {
          Map<String, Object> row = new java.util.LinkedHashMap<>();
          row.put("id", id);
          row.put("title", "mine");
          row.put("rank", 1.0);
          tx.table("task").insert(row);
        });
    mutators.add(
        "addTaskRanked",
        Long.class,
        (tx, rank) -> {
          Map<String, Object> row = new java.util.LinkedHashMap<>();
          row.put("id", "ranked");
          row.put("title", "mine");
          row.put("rank", rank == 0 ? (Object) (-0.0) : rank);
          tx.table("task").insert(row);
        });
    mutators.add(
        "addTaskTwiceThenPut",
        String.class,
        (tx, id) -> {
          Map<String, Object> row = new java.util.LinkedHashMap<>();
          row.put("id", id);
          row.put("title", "again");
          row.put("rank", 2L);
          try {
            tx.table("task").insert(row);
          } catch (IllegalStateException exists) {
            tx.put("after", exists.getMessage());
          }
        });
    mutators.add(
        "failAfterWrite",
        String.class,
        (tx, key) -> {
          tx.put(key, "half");
          throw new IllegalStateException("refused");
        });
    mutators.add(
        "onlyIfAbsent",
        String.class,
        (tx, key) -> {
          if (tx.has(key)) throw new IllegalStateException(key + " exists");
          tx.put(key, "first");
        });
    mutators.add(
        "countedPut",
        String.class,
        (tx, key) -> {
          if (tx.reason() == dev.tandem.WriteTransaction.Reason.REBASE) replays.incrementAndGet();
          tx.put(key, "optimistic");
        });
    mutators.add(
        "copy",
        String.class,
        (tx, to) -> {
          if (tx.reason() == dev.tandem.WriteTransaction.Reason.REBASE) replays.incrementAndGet();
          tx.put(to, tx.get("source"));
        });
    // Misuse: a mutator that calls mutate itself (the app's Tandem, here the engine).
    mutators.add(
        "nested",
        String.class,
        (tx, key) -> {
          try {
            engine.mutate("put", "inner", 0);
            fail("a mutate inside a mutator ran");
          } catch (IllegalStateException expected) {
            // Refused at once.
          }
          tx.put(key, "outer");
        });
    this.mutators = mutators;
    engine = Engine.open(driver, schema(), mutators);
    engine.store.setListener(commits::add);
  }

  private Mutators.Builder mutators;

  @After
  public void closeEngine() {
    engine.store.close();
  }

  private PullApplier.Outcome pull(Cookie base, int cookie, String lastMutationIDs, String ops)
      throws Exception {
    String json =
        "{\"cookie\":"
            + cookie
            + ",\"lastMutationIDChanges\":"
            + lastMutationIDs
            + ",\"patch\":["
            + ops
            + "]}";
    return engine.applier.apply(new Buffer().writeUtf8(json), base);
  }

  private String json(String key) throws Exception {
    return engine.read(tx -> tx.getJson(key), null);
  }

  @Test
  public void aMutationWritesAndQueuesInOneCommitAndTellsTheListener() throws Exception {
    assertEquals(1, engine.mutate("put", "a", 0));
    assertEquals(2, engine.mutate("put", "b", 0));

    assertEquals("\"optimistic\"", json("a"));
    assertEquals(2, engine.pendingCount());
    assertEquals(2, commits.size());
    assertTrue(commits.get(0).intersects(keys("a")));
  }

  @Test
  public void aMutatorThatThrowsLeavesNothingAndKeepsItsID() throws Exception {
    try {
      engine.mutate("failAfterWrite", "x", 0);
      fail();
    } catch (MutationException expected) {
      assertTrue(expected.getMessage().contains("'failAfterWrite'"));
    }
    assertNull(json("x"));
    assertEquals(0, engine.pendingCount());
    assertTrue(commits.isEmpty());
    assertEquals(1, engine.mutate("put", "y", 0));
  }

  /**
   * A mutate called inside a mutator (misuse) is refused at once, on every driver (Android's {@code
   * SQLiteDatabase} would nest the transactions); the mutation around it stays whole, and mutation
   * IDs and queue positions go on without a gap.
   */
  @Test
  public void aMutateInsideAMutatorIsRefusedAndTheOuterStaysWhole() throws Exception {
    assertEquals(1, engine.mutate("nested", "k", 0));
    assertEquals("\"outer\"", json("k"));
    assertNull(json("inner"));
    assertEquals(2, engine.mutate("put", "b", 0));
    List<String> queue = new ArrayList<>();
    for (dev.tandem.internal.store.Pending pending : engine.store.pending(0, 10)) {
      queue.add(pending.seq + ":" + pending.id + ":" + pending.name);
    }
    assertEquals(java.util.Arrays.asList("1:1:nested", "2:2:put"), queue);
  }

  @Test
  public void aPullRevertsPatchesDropsConfirmedAndReplaysTheRest() throws Exception {
    pull(Cookie.NULL, 1, "{}", "{\"op\":\"put\",\"key\":\"a\",\"value\":1}");
    engine.mutate("put", "a", 0);
    engine.mutate("put", "b", 0);

    PullApplier.Outcome outcome =
        pull(
            Cookie.of(1),
            2,
            "{\"" + engine.clientID + "\":1}",
            "{\"op\":\"put\",\"key\":\"a\",\"value\":10}");

    assertEquals(PullApplier.Outcome.Kind.APPLIED, outcome.kind);
    assertEquals("10", json("a"));
    assertEquals("\"optimistic\"", json("b"));
    assertEquals(1, engine.pendingCount());
    assertEquals(Cookie.of(2), engine.cookie());
  }

  /**
   * A store of version 2 (undo entries in {@code tandem_undo}, the queue with a unique index on
   * {@code (client_id, id)} and no {@code undo} column) is copied into the current shape at open on
   * this driver's SQLite, and its entries still revert.
   */
  @Test
  public void aStoreOfVersionTwoIsUpgradedInPlaceAndItsUndoEntriesStillRevert() throws Exception {
    openedAfterRewrite(db -> dev.tandem.internal.store.StoreVersionTwo.rewrite(db));
    bothRevertAndTheNextTakesTheNextPosition();
  }

  /**
   * A store of version 3 (the queue numbered by {@code AUTOINCREMENT}, its records holding undo
   * entries) is copied into version 4's shape at open on this driver's SQLite: the records keep
   * their positions and undo entries, which still revert, and nothing is left of the {@code
   * AUTOINCREMENT}.
   */
  @Test
  public void aStoreOfVersionThreeIsUpgradedInPlaceAndItsUndoEntriesStillRevert() throws Exception {
    SqlConnection db =
        openedAfterRewrite(old -> dev.tandem.internal.store.StoreVersionThree.rewrite(old, 9));
    assertEquals(1, engine.store.pending(0, 10).get(0).seq);
    try (SqlCursor cursor =
        db.query("SELECT sql FROM sqlite_master WHERE name = 'tandem_pending'")) {
      assertTrue(cursor.next());
      assertFalse(cursor.getString(0), cursor.getString(0).contains("AUTOINCREMENT"));
    }
    try (SqlCursor cursor =
        db.query("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_sequence'")) {
      cursor.next();
      if (cursor.getLong(0) > 0) {
        try (SqlCursor marks =
            db.query("SELECT COUNT(*) FROM sqlite_sequence WHERE name = 'tandem_pending'")) {
          marks.next();
          assertEquals("no high-water mark left", 0, marks.getLong(0));
        }
      }
    }
    bothRevertAndTheNextTakesTheNextPosition(); // From the entries in their records.
  }

  /**
   * Two pending mutations over a snapshot where {@code a} is 1; the store closed, rewritten by
   * {@code rewrite} into an older version's shape, and opened again.
   *
   * @return the upgraded store's writer connection.
   */
  private SqlConnection openedAfterRewrite(java.util.function.Consumer<SqlConnection> rewrite)
      throws Exception {
    pull(Cookie.NULL, 1, "{}", "{\"op\":\"put\",\"key\":\"a\",\"value\":1}");
    engine.mutate("put", "a", 0);
    engine.mutate("addTask", "t1", 0);
    engine.store.close();
    File file = new File(folder.getRoot(), "engine.db");
    SqlDriver old = open(file);
    rewrite.accept(old.writer());
    old.close();

    SqlDriver upgraded = open(file);
    engine = Engine.open(upgraded, schema(), mutators);
    assertEquals(2, engine.pendingCount());
    return upgraded.writer();
  }

  /**
   * The server confirms both of {@link #openedAfterRewrite}'s mutations and changes neither: both
   * revert to the snapshot; the next mutation's position is not one of theirs.
   */
  private void bothRevertAndTheNextTakesTheNextPosition() throws Exception {
    pull(Cookie.of(1), 2, "{\"" + engine.clientID + "\":2}", "");
    assertEquals(0, engine.pendingCount());
    assertEquals("1", json("a"));
    assertNull(json("task/t1"));
    engine.mutate("put", "b", 0);
    assertEquals(3, engine.store.pending(0, 10).get(0).seq);
  }

  /**
   * A new mutation that puts a key absent locally records "absent" in its queue record in the same
   * statement as the put; when a replay recorded the key in {@code tandem_undo} before (here: a
   * pending delete replayed over the server's value), that entry still counts.
   */
  @Test
  public void aNewKeysAbsentEntryDoesNotHideAReplaysEarlierEntry() throws Exception {
    pull(Cookie.NULL, 1, "{}", "{\"op\":\"put\",\"key\":\"a\",\"value\":1}");
    engine.mutate("del", "a", 0);
    // The server changes a: the pending delete is replayed over 2 (tandem_undo: a was 2).
    pull(Cookie.of(1), 2, "{}", "{\"op\":\"put\",\"key\":\"a\",\"value\":2}");
    assertNull(json("a"));
    engine.mutate("put", "a", 0); // a is absent here: put and its entry in one statement.
    assertEquals("\"optimistic\"", json("a"));

    // Both confirmed without a change to a: a reverts to the snapshot's 2, not to absent.
    pull(Cookie.of(2), 3, "{\"" + engine.clientID + "\":2}", "");
    assertEquals(0, engine.pendingCount());
    assertEquals("2", json("a"));
  }

  /** The same for a schema table's row: an insert's "absent" entry does not hide a replay's. */
  @Test
  public void anInsertedRowsAbsentEntryDoesNotHideAReplaysEarlierEntry() throws Exception {
    String row = "{\"id\":\"t1\",\"title\":\"server\",\"rank\":1}";
    pull(Cookie.NULL, 1, "{}", "{\"op\":\"put\",\"key\":\"task/t1\",\"value\":" + row + "}");
    engine.mutate("del", "task/t1", 0);
    String changed = row.replace("server", "server2");
    pull(Cookie.of(1), 2, "{}", "{\"op\":\"put\",\"key\":\"task/t1\",\"value\":" + changed + "}");
    assertNull(json("task/t1"));
    engine.mutate("addTask", "t1", 0); // Read as absent by the insert: its entry without a read.
    assertTrue(json("task/t1").contains("\"mine\""));

    pull(Cookie.of(2), 3, "{\"" + engine.clientID + "\":2}", "");
    assertEquals(0, engine.pendingCount());
    assertTrue(json("task/t1"), json("task/t1").contains("\"server2\""));
  }

  /**
   * A value that does not fit its table is kept as a plain value and read back, even after a read
   * found none there (the store then knows {@code tandem_kv} holds none of the table's keys, until
   * such a value is written); a row that fits replaces it, in the table, and the plain value goes.
   */
  @Test
  public void aValueThatDoesNotFitItsTableIsReadBackAndThenReplacedByARowThatFits()
      throws Exception {
    assertNull(json("task/t1"));

    engine.mutate("put", "task/t1", 0); // A JSON string: not a task row.
    assertEquals("\"optimistic\"", json("task/t1"));
    assertEquals(1, engine.read(tx -> tx.scan(ScanOptions.prefix("task/")), null).size());

    engine.mutate("upsertTask", "t1", 0);
    assertTrue(json("task/t1").contains("\"fits\""));
    assertEquals(1, engine.read(tx -> tx.scan(ScanOptions.prefix("task/")), null).size());
    engine.mutate("del", "task/t1", 0);
    assertNull(json("task/t1"));
    assertTrue(engine.read(tx -> tx.scan(ScanOptions.prefix("task/")), null).isEmpty());
  }

  @Test
  public void aPullThatChangesNothingAPendingMutationReadOrWroteDoesNotReplayIt() throws Exception {
    engine.mutate("countedPut", "mine", 0);

    pull(Cookie.NULL, 1, "{}", "{\"op\":\"put\",\"key\":\"theirs\",\"value\":1}");

    assertEquals(0, replays.get());
    assertEquals("\"optimistic\"", json("mine"));
    assertEquals("1", json("theirs"));
    assertEquals(1, engine.pendingCount());
    // Its undo entry stays: a later pull that confirms it without the key still reverts it.
    pull(Cookie.of(1), 2, "{\"" + engine.clientID + "\":1}", "");
    assertNull(json("mine"));
    assertEquals(0, replays.get());
  }

  @Test
  public void aConfirmedMutationsChangeThePatchLacksIsRevertedWithoutReplayingTheRest()
      throws Exception {
    engine.mutate("put", "dropped", 0);
    engine.mutate("countedPut", "later", 0);

    pull(Cookie.NULL, 1, "{\"" + engine.clientID + "\":1}", "");

    assertNull(json("dropped"));
    assertEquals("\"optimistic\"", json("later"));
    assertEquals(0, replays.get());
    assertEquals(1, engine.pendingCount());
  }

  @Test
  public void aPendingMutationThatReadWhatThePatchChangedIsReplayed() throws Exception {
    pull(Cookie.NULL, 1, "{}", "{\"op\":\"put\",\"key\":\"source\",\"value\":\"one\"}");
    engine.mutate("copy", "target", 0);
    assertEquals("\"one\"", json("target"));

    pull(Cookie.of(1), 2, "{}", "{\"op\":\"put\",\"key\":\"source\",\"value\":\"two\"}");

    assertEquals(1, replays.get());
    assertEquals("\"two\"", json("target"));
  }

  @Test
  public void aPendingMutationThatTouchedWhatAConfirmedOneWroteIsReplayed() throws Exception {
    engine.mutate("put", "source", 0);
    engine.mutate("copy", "target", 0);
    assertEquals("\"optimistic\"", json("target"));

    // The server ran the first mutation differently: source is "server's".
    pull(
        Cookie.NULL,
        1,
        "{\"" + engine.clientID + "\":1}",
        "{\"op\":\"put\",\"key\":\"source\",\"value\":\"server's\"}");

    assertEquals(1, replays.get());
    assertEquals("\"server's\"", json("target"));
  }

  @Test
  public void aPendingMutationThatReadWhatAConfirmedOneWroteIsReplayedEvenIfThePatchLacksIt()
      throws Exception {
    engine.mutate("put", "source", 0);
    engine.mutate("copy", "target", 0);

    // The server ran the first mutation without effect (refused it, say): nothing in the patch.
    pull(Cookie.NULL, 1, "{\"" + engine.clientID + "\":1}", "");

    assertNull(json("source"));
    assertEquals(1, replays.get());
    assertEquals("null", json("target"));
  }

  @Test
  public void afterReopeningFootprintsAreUnknownAndAPullReplaysEverythingPending()
      throws Exception {
    engine.mutate("countedPut", "mine", 0);
    engine.store.close();
    driver = open(new File(folder.getRoot(), "engine.db"));
    engine = Engine.open(driver, schema(), mutators);

    pull(Cookie.NULL, 1, "{}", "{\"op\":\"put\",\"key\":\"theirs\",\"value\":1}");

    assertEquals(1, replays.get());
    assertEquals("\"optimistic\"", json("mine"));
    // The replay recorded its footprint: the next unrelated pull replays nothing.
    pull(Cookie.of(1), 2, "{}", "{\"op\":\"put\",\"key\":\"theirs\",\"value\":2}");
    assertEquals(1, replays.get());
  }

  @Test
  public void aReplayThatNowThrowsHasNoEffectAndStaysPending() throws Exception {
    engine.mutate("onlyIfAbsent", "k", 0);
    // The server says k exists (someone else made it): the replay throws in its savepoint.
    pull(Cookie.NULL, 1, "{}", "{\"op\":\"put\",\"key\":\"k\",\"value\":\"theirs\"}");

    assertEquals("\"theirs\"", json("k"));
    assertEquals(1, engine.pendingCount());
  }

  @Test
  public void aRejectedResponseRollsBackEverything() throws Exception {
    pull(Cookie.NULL, 5, "{}", "{\"op\":\"put\",\"key\":\"a\",\"value\":1}");
    engine.mutate("put", "mine", 0);

    PullApplier.Outcome outcome =
        pull(
            Cookie.of(5), 4, "{}", "{\"op\":\"clear\"},{\"op\":\"put\",\"key\":\"z\",\"value\":2}");

    assertEquals(PullApplier.Outcome.Kind.REJECTED, outcome.kind);
    assertEquals("1", json("a"));
    assertNull(json("z"));
    assertEquals("\"optimistic\"", json("mine"));
    assertEquals(Cookie.of(5), engine.cookie());
  }

  @Test
  public void typedRowsFromPullsAndMutationsAreQueried() throws Exception {
    pull(
        Cookie.NULL,
        1,
        "{}",
        "{\"op\":\"put\",\"key\":\"task/t1\",\"value\":{\"id\":\"t1\",\"title\":\"theirs\",\"rank\":2}}");
    engine.mutate("addTask", "t0", 0);

    List<Row> rows = engine.read(tx -> tx.query(Query.from("task").orderBy("rank")), null);
    assertEquals(2, rows.size());
    assertEquals("t0", rows.get(0).getString("id"));
    assertEquals("theirs", rows.get(1).getString("title"));
    assertEquals(2, (int) engine.read(tx -> tx.scan(ScanOptions.prefix("task/")).size(), null));
  }

  /**
   * A new mutation's insert writes its row only if the key is absent, in one statement: over a row,
   * or over a value of the key that did not fit its table (in {@code tandem_kv}), it writes nothing
   * and throws, and the mutator may go on.
   */
  @Test
  public void anInsertOverAStoredKeyWritesNothingAndTheMutatorMayGoOn() throws Exception {
    engine.mutate("addTask", "t1", 0);
    engine.mutate("addTaskTwiceThenPut", "t1", 0);
    assertTrue(json("task/t1").contains("\"mine\""));
    assertEquals("\"table 'task' already has task/t1\"", json("after"));

    engine.mutate("put", "task/t2", 0); // A JSON string: kept in tandem_kv.
    engine.mutate("addTaskTwiceThenPut", "t2", 0);
    assertEquals("\"optimistic\"", json("task/t2"));
    assertEquals("\"table 'task' already has task/t2\"", json("after"));
    assertEquals(4, engine.pendingCount());

    // All four confirmed without changes: every key reverts to absent.
    pull(Cookie.NULL, 1, "{\"" + engine.clientID + "\":4}", "");
    assertNull(json("task/t1"));
    assertNull(json("task/t2"));
    assertNull(json("after"));
  }

  /**
   * A row's numbers are stored as through JSON text: {@code -0.0} as {@code 0}, a long beyond 2^53
   * as written and its column as the nearest double.
   */
  @Test
  public void anInsertedRowsNumbersAreStoredAsTheirJsonReadsBack() throws Exception {
    engine.mutate("addTaskRanked", 0L, 0); // -0.0
    assertEquals("{\"id\":\"ranked\",\"title\":\"mine\",\"rank\":0}", json("task/ranked"));
    List<Row> rows = engine.read(tx -> tx.query(Query.from("task")), null);
    assertEquals(Double.valueOf(0.0), rows.get(0).get("rank"));

    engine.mutate("del", "task/ranked", 0);
    engine.mutate("addTaskRanked", 9007199254740993L, 0);
    assertTrue(json("task/ranked").endsWith("\"rank\":9007199254740993}"));
    rows =
        engine.read(
            tx -> tx.query(Query.from("task").where("rank", "=", 9007199254740992.0)), null);
    assertEquals(1, rows.size());
    assertEquals(Double.valueOf(9007199254740992.0), rows.get(0).get("rank"));
  }

  private static KeySet keys(String... keys) {
    KeySet set = new KeySet();
    for (String key : keys) set.addKey(key);
    return set;
  }
}
