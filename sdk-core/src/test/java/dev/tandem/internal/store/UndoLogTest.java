package dev.tandem.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.squareup.moshi.Moshi;
import dev.tandem.Column;
import dev.tandem.Schema;
import dev.tandem.Table;
import dev.tandem.internal.app.JsonCodec;
import dev.tandem.internal.db.JdbcSqlDriver;
import dev.tandem.internal.db.SqlConnection;
import dev.tandem.internal.db.SqlCursor;
import dev.tandem.protocol.RawJson;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The undo entry an optimistic write records, on a real SQLite file: the key's value before the
 * first optimistic write since the last snapshot, whichever table holds it (a schema table's row, a
 * value that did not fit its table, a plain key, or none).
 */
class UndoLogTest {
  @TempDir Path directory;

  static final Schema SCHEMA =
      Schema.builder()
          .table(
              Table.named("message")
                  .columns(Column.string("id"), Column.string("content"))
                  .primaryKey("id"))
          .build();

  LocalStore open(JdbcSqlDriver driver) {
    return LocalStore.open(
        driver, SCHEMA, "1", new JsonCodec(new Moshi.Builder().build()), (t, k, j, p) -> {});
  }

  /** The whole undo log: each key's entry, wherever it is kept. */
  static Map<String, String> undo(SqlConnection db) {
    return UndoLog.entries(db, Long.MAX_VALUE);
  }

  /** The rows of {@code tandem_undo} alone. */
  static Map<String, String> undoTable(SqlConnection db) {
    Map<String, String> undo = new LinkedHashMap<>();
    try (SqlCursor cursor = db.query("SELECT key, prior FROM tandem_undo ORDER BY key")) {
      while (cursor.next()) undo.put(cursor.getString(0), cursor.getString(1));
    }
    return undo;
  }

  /** A synced value (what a pull's patch writes: no undo entry). */
  static void synced(LocalStore store, String key, String json) {
    store.writeUnchecked(
        write -> {
          write.view().put(write.db, key, json);
          return null;
        });
  }

  static void optimistic(LocalStore store, String key, String json) {
    store.writeUnchecked(
        write -> {
          write.view().recordUndo(write.db, key);
          write.view().put(write.db, key, json);
          return null;
        });
  }

  @Test
  void theFirstOptimisticWriteOfAKeyRecordsItsSnapshotValueAndLaterOnesKeepIt() {
    File file = new File(directory.toFile(), "undo.db");
    JdbcSqlDriver driver = new JdbcSqlDriver(file, false);
    LocalStore store = open(driver);
    try {
      synced(store, "plain/a", "1");
      synced(store, "message/m1", "{\"id\":\"m1\",\"content\":\"synced\"}");
      synced(store, "message/m2", "{\"id\":\"m2\"}"); // Misses content: kept as a plain value.
      assertEquals(new LinkedHashMap<String, String>(), undo(driver.writer()));

      for (int round = 0; round < 2; round++) {
        optimistic(store, "plain/a", "2" + round);
        optimistic(store, "plain/new", "3" + round);
        optimistic(store, "message/m1", "{\"id\":\"m1\",\"content\":\"mine " + round + "\"}");
        optimistic(store, "message/m2", "{\"id\":\"m2\",\"content\":\"fixed " + round + "\"}");
        optimistic(store, "message/m3", "{\"id\":\"m3\",\"content\":\"new " + round + "\"}");
      }

      Map<String, String> expected = new LinkedHashMap<>();
      expected.put("message/m1", "{\"id\":\"m1\",\"content\":\"synced\"}");
      expected.put("message/m2", "{\"id\":\"m2\"}");
      expected.put("message/m3", null);
      expected.put("plain/a", "1");
      expected.put("plain/new", null);
      assertEquals(expected, undo(driver.writer()));
      assertEquals("21", store.view().get(driver.writer(), "plain/a"));
      assertEquals("31", store.view().get(driver.writer(), "plain/new"));
      assertEquals(
          "{\"id\":\"m2\",\"content\":\"fixed 1\"}",
          store.view().get(driver.writer(), "message/m2"));
    } finally {
      store.close();
    }
  }

  /** A new mutation's write: {@code key} set to {@code json} as a mutator's put does it. */
  static void mutation(LocalStore store, String key, String json, boolean fail) {
    store.writeUnchecked(
        write -> {
          write.startMutation();
          write.recordUndo(key);
          write.view().put(write.db, key, json);
          if (fail) throw new IllegalStateException("the mutator failed");
          write.enqueue("set", RawJson.parse(json), 0);
          return null;
        });
  }

  @Test
  void aKeyKnownToBeRecordedIsRecordedAgainAfterAnotherWriteRemovedItsEntry() {
    JdbcSqlDriver driver = new JdbcSqlDriver(new File(directory.toFile(), "known.db"), false);
    LocalStore store = open(driver);
    try {
      synced(store, "plain/a", "1");
      mutation(store, "plain/a", "2", false);
      mutation(store, "plain/a", "3", false); // Known: no statement.
      assertEquals(Collections.singletonMap("plain/a", "1"), undo(driver.writer()));

      // A pull: the patch sets a new snapshot value and the revert drops the entry.
      store.writeUnchecked(
          write -> {
            write.view().put(write.db, "plain/a", "5");
            write
                .view()
                .revertAfterPatch(
                    write.db,
                    write.view().optimisticKeys(write.db),
                    Collections.singleton("plain/a"),
                    false,
                    null,
                    0);
            return null;
          });
      assertEquals(Collections.emptyMap(), undo(driver.writer()));

      mutation(store, "plain/a", "6", false);
      assertEquals(Collections.singletonMap("plain/a", "5"), undo(driver.writer()));
    } finally {
      store.close();
    }
  }

  @Test
  void aKeyRecordedByAWriteThatRolledBackIsNotKnown() {
    JdbcSqlDriver driver = new JdbcSqlDriver(new File(directory.toFile(), "rollback.db"), false);
    LocalStore store = open(driver);
    try {
      synced(store, "plain/b", "1");
      assertThrows(IllegalStateException.class, () -> mutation(store, "plain/b", "2", true));
      assertEquals(Collections.emptyMap(), undo(driver.writer()));

      mutation(store, "plain/b", "3", false);
      assertEquals(Collections.singletonMap("plain/b", "1"), undo(driver.writer()));
    } finally {
      store.close();
    }
  }

  static String queuedUndo(SqlConnection db, long seq) {
    try (SqlCursor cursor = db.query("SELECT undo FROM tandem_pending WHERE seq = ?", seq)) {
      cursor.next();
      return cursor.isNull(0) ? null : cursor.getString(0);
    }
  }

  @Test
  void aNewMutationKeepsItsUndoEntriesInItsQueueRecordNotInTheUndoTable() {
    JdbcSqlDriver driver = new JdbcSqlDriver(new File(directory.toFile(), "queued.db"), false);
    LocalStore store = open(driver);
    try {
      synced(store, "message/m1", "{\"id\":\"m1\",\"content\":\"synced\"}");
      store.writeUnchecked(
          write -> {
            write.startMutation();
            write.recordUndo("message/m1");
            write.view().put(write.db, "message/m1", "{\"id\":\"m1\",\"content\":\"mine\"}");
            write.recordUndo("message/m1"); // Its second write: not its prior value.
            write.view().put(write.db, "message/m1", "{\"id\":\"m1\",\"content\":\"again\"}");
            write.recordUndo("plain/new");
            write.view().put(write.db, "plain/new", "null"); // A JSON null is not absent.
            write.enqueue("set", RawJson.parse("1"), 0);
            return null;
          });
      SqlConnection db = driver.writer();
      assertEquals(Collections.emptyMap(), undoTable(db));
      List<Entry> entries = new ArrayList<>();
      UndoLog.decode(queuedUndo(db, 1), entries);
      assertEquals(2, entries.size());
      assertEquals("message/m1", entries.get(0).key);
      assertEquals("{\"id\":\"m1\",\"content\":\"synced\"}", entries.get(0).json);
      assertEquals("plain/new", entries.get(1).key);
      assertNull(entries.get(1).json);

      mutation(store, "plain/new", "7", false); // Known recorded: its record has no entries.
      assertNull(queuedUndo(db, 2));
      Map<String, String> expected = new LinkedHashMap<>();
      expected.put("message/m1", "{\"id\":\"m1\",\"content\":\"synced\"}");
      expected.put("plain/new", null);
      assertEquals(expected, undo(db));
    } finally {
      store.close();
    }
  }

  @Test
  void afterARestartAKeysFirstEntryInQueueOrderCountsNotTheDuplicate() {
    File file = new File(directory.toFile(), "restart.db");
    JdbcSqlDriver driver = new JdbcSqlDriver(file, false);
    LocalStore store = open(driver);
    synced(store, "plain/a", "1");
    mutation(store, "plain/a", "2", false);
    store.close();
    driver.close();

    driver = new JdbcSqlDriver(file, false);
    store = open(driver); // Forgot which keys are recorded: records plain/a again, as "2".
    try {
      mutation(store, "plain/a", "3", false);
      SqlConnection db = driver.writer();
      assertEquals("7:plain/a1:2", queuedUndo(db, 2));
      assertEquals(Collections.singletonMap("plain/a", "1"), undo(db));
      List<String> reverted =
          store.writeUnchecked(
              write ->
                  write
                      .view()
                      .revertAfterPatch(
                          write.db,
                          write.view().optimisticKeys(write.db),
                          Collections.<String>emptySet(),
                          false,
                          null,
                          0));
      assertEquals(Collections.singletonList("plain/a"), reverted);
      assertEquals("1", store.view().get(db, "plain/a"));
      assertNull(queuedUndo(db, 1));
      assertNull(queuedUndo(db, 2));
    } finally {
      store.close();
    }
  }

  @Test
  void aDamagedQueueRecordIsAClearError() {
    List<Entry> entries = new ArrayList<>();
    UndoLog.decode(
        UndoLog.encode(Collections.singletonList(new Entry("k:1", "\"a:b-\""))), entries);
    assertEquals("k:1", entries.get(0).key);
    assertEquals("\"a:b-\"", entries.get(0).json);
    IllegalStateException damaged =
        assertThrows(IllegalStateException.class, () -> UndoLog.decode("9:plain/a1:2", entries));
    assertTrue(damaged.getMessage().contains("undo entries are damaged"), damaged.getMessage());
  }

  @Test
  void aStoreOfVersionTwoKeepsItsQueueItsPositionsAndItsUndoEntries() {
    File file = new File(directory.toFile(), "v2.db");
    JdbcSqlDriver old = new JdbcSqlDriver(file, false);
    SqlConnection db = old.writer();
    db.execute(
        "CREATE TABLE tandem_kv (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID");
    db.execute(StoreVersionTwo.pendingDdl("tandem_pending"));
    db.execute(
        "CREATE TABLE tandem_undo (key TEXT PRIMARY KEY NOT NULL, prior TEXT) WITHOUT ROWID");
    for (int id = 1; id <= 3; id++) {
      db.execute(
          "INSERT INTO tandem_pending (client_id, id, name, args, timestamp, schema_version)"
              + " VALUES ('c1', ?, 'set', '1', 0, '1')",
          (long) id);
    }
    db.execute("DELETE FROM tandem_pending WHERE id = 3"); // Its position is free again.
    db.execute("INSERT INTO tandem_kv (key, value) VALUES ('plain/a', '2')");
    db.execute("INSERT INTO tandem_undo (key, prior) VALUES ('plain/a', '1')");
    db.execute("PRAGMA user_version = 2");
    old.close();

    JdbcSqlDriver driver = new JdbcSqlDriver(file, false);
    LocalStore store = open(driver);
    try {
      db = driver.writer();
      try (SqlCursor cursor = db.query("PRAGMA user_version")) {
        cursor.next();
        assertEquals(StoreTables.VERSION, cursor.getLong(0));
      }
      try (SqlCursor cursor =
          db.query(
              "SELECT COUNT(*) FROM sqlite_master WHERE tbl_name = 'tandem_pending'"
                  + " AND type = 'index'")) {
        cursor.next();
        assertEquals(0, cursor.getLong(0), "no index on the queue");
      }
      assertEquals(2, store.pendingCount());
      assertEquals(1, store.oldestPendingSeq());
      mutation(store, "plain/a", "3", false); // tandem_undo has the key: no queue entry.
      Pending made = PendingQueue.find(db, store.clientID(), store.lastMutationID());
      assertEquals(3, made.seq, "numbered on from the newest record");
      assertNull(queuedUndo(db, 3));
      assertEquals(Collections.singletonMap("plain/a", "1"), undo(db));
    } finally {
      store.close();
    }
  }

  /**
   * A queue record's entries come back from SQLite as they went in, for any key and value text:
   * separators and digits inside them, characters outside the BMP, and lone surrogates (which
   * SQLite's UTF-8 may replace, as it does in {@code tandem_kv}'s keys: then the entry holds what
   * the key's row holds). Seeded: {@code -Dtandem.seed} replays one.
   */
  @Test
  void encodedEntriesSurviveSqliteTextForAnyKeyAndValue() {
    JdbcSqlDriver driver = new JdbcSqlDriver(new File(directory.toFile(), "text.db"), false);
    try {
      SqlConnection db = driver.writer();
      db.execute("CREATE TABLE t (k TEXT, undo TEXT)");
      String one = System.getProperty("tandem.seed");
      long[] seeds =
          one != null && !one.isEmpty()
              ? new long[] {Long.parseLong(one.trim())}
              : new java.util.SplittableRandom(0x5eed_7e47L).longs(300).toArray();
      String pool = "ab:-09\"{}\u00e9\u4e2d";
      for (long seed : seeds) {
        java.util.Random random = new java.util.Random(seed);
        List<Entry> entries = new ArrayList<>();
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
          String key = text(random, pool);
          entries.add(new Entry(key, random.nextInt(4) == 0 ? null : text(random, pool)));
        }
        db.execute("DELETE FROM t");
        db.execute(
            "INSERT INTO t (k, undo) VALUES (?, ?)", entries.get(0).key, UndoLog.encode(entries));
        String storedKey;
        String stored;
        try (SqlCursor cursor = db.query("SELECT k, undo FROM t")) {
          cursor.next();
          storedKey = cursor.getString(0);
          stored = cursor.getString(1);
        }
        List<Entry> back = new ArrayList<>();
        UndoLog.decode(stored, back);
        assertEquals(entries.size(), back.size(), "seed " + seed);
        assertEquals(storedKey, back.get(0).key, "seed " + seed + ": as tandem_kv would hold it");
        for (int i = 0; i < entries.size(); i++) {
          assertEquals(
              entries.get(i).json == null,
              back.get(i).json == null,
              "seed " + seed + " entry " + i);
        }
      }
    } finally {
      driver.close();
    }
  }

  private static String text(java.util.Random random, String pool) {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(12);
    for (int i = 0; i < length; i++) {
      int pick = random.nextInt(pool.length() + 2);
      if (pick < pool.length()) {
        text.append(pool.charAt(pick));
      } else if (pick == pool.length()) {
        text.appendCodePoint(0x1F600 + random.nextInt(40)); // Outside the BMP: a surrogate pair.
      } else {
        text.append((char) (0xD800 + random.nextInt(0x800))); // A lone surrogate.
      }
    }
    return text.toString();
  }
}
