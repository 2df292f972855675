package dev.tandem.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.squareup.moshi.Moshi;
import dev.tandem.Column;
import dev.tandem.Schema;
import dev.tandem.Table;
import dev.tandem.internal.app.JsonCodec;
import dev.tandem.internal.db.JdbcSqlDriver;
import dev.tandem.internal.db.SqlConnection;
import dev.tandem.internal.db.SqlCursor;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The undo entry an optimistic write records, on a real SQLite file: the key's value before the
 * first optimistic write since the last snapshot, whichever table holds it, in one statement for a
 * plain key (through the writer connection's temporary view).
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
          write.view().putOptimistic(write.db, key, json);
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

  @Test
  void aReopenedStoreRecordsThroughItsOwnConnectionAndTheFileHoldsNoViewOfIt() throws Exception {
    File file = new File(directory.toFile(), "reopen.db");
    JdbcSqlDriver first = new JdbcSqlDriver(file, false);
    LocalStore store = open(first);
    synced(store, "plain/a", "1");
    optimistic(store, "plain/a", "2");
    store.close();

    JdbcSqlDriver second = new JdbcSqlDriver(file, false);
    store = open(second);
    try {
      optimistic(store, "plain/a", "3");
      optimistic(store, "plain/b", "4");
      Map<String, String> expected = new LinkedHashMap<>();
      expected.put("plain/a", "1");
      expected.put("plain/b", null);
      assertEquals(expected, undo(second.writer()));
      // The view and its trigger are the connection's, not the file's: a reader sees neither.
      List<String> objects = new ArrayList<>();
      List<String> all =
          store.readUnchecked(
              db -> {
                try (SqlCursor cursor = db.query("SELECT name FROM sqlite_master")) {
                  while (cursor.next()) objects.add(cursor.getString(0));
                }
                return objects;
              });
      assertFalse(all.contains(UndoLog.PUT_PLAIN_VIEW), all.toString());
      assertFalse(all.contains("tandem_kv_put_undo"), all.toString());
      assertEquals(
          Arrays.asList("tandem_kv_put", "tandem_kv_put_undo"), tempObjects(second.writer()));
    } finally {
      store.close();
    }
  }

  static List<String> tempObjects(SqlConnection db) {
    List<String> names = new ArrayList<>();
    try (SqlCursor cursor = db.query("SELECT name FROM sqlite_temp_master ORDER BY name")) {
      while (cursor.next()) names.add(cursor.getString(0));
    }
    return names;
  }
}
