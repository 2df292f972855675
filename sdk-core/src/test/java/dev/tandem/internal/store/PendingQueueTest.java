package dev.tandem.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.internal.db.JdbcSqlDriver;
import dev.tandem.internal.db.SqlConnection;
import dev.tandem.protocol.RawJson;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tandem_pending} without an index on IDs, on a real SQLite file. */
class PendingQueueTest {
  @TempDir Path directory;
  JdbcSqlDriver driver;

  @AfterEach
  void close() {
    if (driver != null) driver.close();
  }

  static List<String> queue(SqlConnection db) {
    List<String> refs = new ArrayList<>();
    for (Pending pending : PendingQueue.refs(db)) refs.add(pending.clientID + ":" + pending.id);
    return refs;
  }

  SqlConnection queueOf(String... refs) {
    driver = new JdbcSqlDriver(new File(directory.toFile(), "queue.db"), false);
    StoreTables.create(driver, "1");
    SqlConnection db = driver.writer();
    long seq = 0;
    for (String ref : refs) {
      String[] parts = ref.split(":");
      PendingQueue.add(
          db,
          new Pending(++seq, parts[0], Long.parseLong(parts[1]), "m", RawJson.parse("1"), 0, "1"),
          null);
    }
    return db;
  }

  @Test
  void confirmationsDropEachClientsConfirmedRecordsAndNoOthers() {
    SqlConnection db = queueOf("a:1", "b:7", "a:2", "b:8", "a:3");
    assertEquals(2, PendingQueue.dropConfirmed(db, "a", 2, 3)); // a:2 is at position 3.
    assertEquals(Arrays.asList("b:7", "b:8", "a:3"), queue(db));
    assertEquals(1, PendingQueue.dropConfirmed(db, "b", 7, 2));
    assertEquals(Arrays.asList("b:8", "a:3"), queue(db));
  }

  @Test
  void aConfirmedRecordPastThePositionGivenIsDroppedToo() {
    SqlConnection db = queueOf("a:1", "a:2", "a:3", "a:4");
    // The caller's snapshot ended at position 1; the server confirmed up to 3.
    assertEquals(3, PendingQueue.dropConfirmed(db, "a", 3, 1));
    assertEquals(Arrays.asList("a:4"), queue(db));
    assertEquals(0, PendingQueue.dropConfirmed(db, "a", 3, 0));
  }

  @Test
  void theLastIDOfAClientIsItsNewestRecordsOrTheConfirmedOne() {
    SqlConnection db = queueOf("a:5", "b:1", "a:6", "b:2");
    assertEquals(6, PendingQueue.lastMutationID(db, "a"));
    assertEquals(2, PendingQueue.lastMutationID(db, "b"));
    Meta.setConfirmed(db, "c", 9);
    assertEquals(9, PendingQueue.lastMutationID(db, "c"));
    assertEquals(0, PendingQueue.lastMutationID(db, "d"));
  }
}
