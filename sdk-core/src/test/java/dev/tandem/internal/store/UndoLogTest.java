package dev.tandem.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import java.util.Collections;
import java.util.LinkedHashMap;
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

  static Map<String, String> undo(SqlConnection db) {
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
                    null);
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
}
