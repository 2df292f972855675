package dev.tandem.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.squareup.moshi.Moshi;
import dev.tandem.internal.Seeds;
import dev.tandem.internal.app.JsonCodec;
import dev.tandem.internal.db.JdbcSqlDriver;
import dev.tandem.internal.db.SqlConnection;
import dev.tandem.protocol.RawJson;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The undo log, kept in queue records and in {@code tandem_undo}, against a model, on a real SQLite
 * file: any sequence of new mutations, restarts (which forget which keys are recorded, so records
 * hold duplicates), and pulls that confirm a prefix of the queue and patch some keys (reverting
 * only the confirmed mutations' keys when no remaining mutation meets them, else reverting
 * everything and replaying the rest, as {@code PullApplier} does) leaves every key at the snapshot
 * plus the pending writes in order, and the log holding exactly the pending mutations' keys, each
 * with its snapshot value.
 *
 * <p>Each seed is one test ({@value #SEEDS} fixed seeds, 20 to 80 steps each). A failure names its
 * seed; run it alone with {@code mvn -pl sdk-core test -Dtest=UndoLogPropertyTest
 * -Dtandem.seed=SEED}, or more seeds with {@code -Dtandem.seeds=N}.
 */
class UndoLogPropertyTest {
  static final int SEEDS = 150;
  static final long SEED_SOURCE = 0x0dd1_0e55_5eedL;

  /** Plain keys, rows of a schema table, and a key of that table whose values may not fit it. */
  static final String[] KEYS = {"plain/a", "plain/b", "message/m1", "message/m2", "message/m3"};

  @TempDir Path directory;

  @TestFactory
  Stream<DynamicTest> theLogAlwaysHoldsEachPendingKeysSnapshotValue() {
    return Seeds.tests(UndoLogPropertyTest.class, SEEDS, SEED_SOURCE, this::run);
  }

  /** A pending mutation's one write: {@code json} null deletes. */
  static final class Write {
    final String key;
    final String json;

    Write(String key, String json) {
      this.key = key;
      this.json = json;
    }
  }

  JdbcSqlDriver driver;
  LocalStore store;

  void open(File file) {
    driver = new JdbcSqlDriver(file, false);
    store =
        LocalStore.open(
            driver,
            UndoLogTest.SCHEMA,
            "1",
            new JsonCodec(new Moshi.Builder().build()),
            (t, k, j, p) -> {});
  }

  static String value(Random random, String key, int step) {
    if (random.nextInt(5) == 0) return null;
    if (!key.startsWith("message/")) return String.valueOf(step);
    String id = key.substring("message/".length());
    if (key.equals("message/m3") && random.nextBoolean()) {
      return "{\"id\":\"" + id + "\"}"; // Misses content: kept as a plain value.
    }
    return "{\"id\":\"" + id + "\",\"content\":\"v" + step + "\"}";
  }

  void run(long seed, List<String> steps) {
    Random random = new Random(seed);
    File file = new File(directory.toFile(), "undo-" + seed + ".db");
    open(file);
    Map<String, String> snapshot = new TreeMap<>();
    List<Write> pending = new ArrayList<>();
    try {
      int size = 20 + random.nextInt(61);
      for (int step = 0; step < size; step++) {
        int kind = random.nextInt(10);
        if (kind < 5) {
          String key = KEYS[random.nextInt(KEYS.length)];
          String json = value(random, key, step);
          steps.add("mutate " + key + "=" + json);
          mutate(key, json);
          pending.add(new Write(key, json));
        } else if (kind < 6) {
          steps.add("restart");
          store.close();
          open(file);
        } else {
          int confirmed = pending.isEmpty() ? 0 : random.nextInt(pending.size() + 1);
          Map<String, String> patch = new TreeMap<>();
          for (String key : KEYS) {
            if (random.nextInt(3) == 0) patch.put(key, value(random, key, step));
          }
          steps.add("pull confirming " + confirmed + ", patch " + patch);
          pull(confirmed, patch, pending);
          for (Map.Entry<String, String> entry : patch.entrySet()) {
            if (entry.getValue() == null) {
              snapshot.remove(entry.getKey());
            } else {
              snapshot.put(entry.getKey(), entry.getValue());
            }
          }
          pending.subList(0, confirmed).clear();
        }
        check(snapshot, pending);
      }
    } finally {
      store.close();
    }
  }

  void mutate(String key, String json) {
    store.writeUnchecked(
        write -> {
          write.startMutation();
          write.recordUndo(key);
          apply(write, key, json);
          write.enqueue("set", RawJson.parse("0"), 0);
          return null;
        });
  }

  static void apply(LocalStore.Write write, String key, String json) {
    if (json == null) {
      write.view().del(write.db, key);
    } else {
      write.view().put(write.db, key, json);
    }
  }

  /**
   * A pull that confirms the first {@code confirmed} pending mutations and writes {@code patch}, as
   * {@code PullApplier} does it: the patch on top of the optimistic state, then, if no remaining
   * mutation's key meets the patch or a confirmed mutation's key, only the confirmed ones' keys
   * reverted; otherwise everything reverted and the rest replayed.
   */
  void pull(int confirmed, Map<String, String> patch, List<Write> pending) {
    Set<String> gone = new HashSet<>();
    KeySet remaining = new KeySet();
    Set<String> remainingKeys = new HashSet<>();
    for (int i = 0; i < pending.size(); i++) {
      if (i < confirmed) {
        gone.add(pending.get(i).key);
      } else {
        remaining.addKey(pending.get(i).key);
        remainingKeys.add(pending.get(i).key);
      }
    }
    boolean plan = true;
    for (String key : remainingKeys) {
      if (gone.contains(key) || patch.containsKey(key)) plan = false;
    }
    final boolean keep = plan;
    store.writeUnchecked(
        write -> {
          SqlConnection db = write.db;
          List<Pending> queue = PendingQueue.after(db, 0, Integer.MAX_VALUE);
          long upTo = confirmed == 0 ? 0 : queue.get(confirmed - 1).seq;
          Set<String> optimistic = write.view().optimisticKeys(db);
          for (Map.Entry<String, String> entry : patch.entrySet()) {
            apply(write, entry.getKey(), entry.getValue());
          }
          write
              .view()
              .revertAfterPatch(
                  db,
                  optimistic,
                  patch.keySet(),
                  false,
                  keep && !remaining.isEmpty() ? remaining : null,
                  upTo);
          if (confirmed > 0) {
            long lastID = queue.get(confirmed - 1).id;
            write.dropped(PendingQueue.dropConfirmed(db, write.clientID(), lastID, upTo));
          }
          if (!keep) {
            for (Write replayed : pending.subList(confirmed, pending.size())) {
              write.recordUndo(replayed.key); // Not a new mutation's write: tandem_undo.
              apply(write, replayed.key, replayed.json);
            }
          }
          return null;
        });
  }

  void check(Map<String, String> snapshot, List<Write> pending) {
    Map<String, String> expected = new TreeMap<>(snapshot);
    Map<String, String> undo = new TreeMap<>();
    for (Write write : pending) {
      if (!undo.containsKey(write.key)) undo.put(write.key, snapshot.get(write.key));
      if (write.json == null) {
        expected.remove(write.key);
      } else {
        expected.put(write.key, write.json);
      }
    }
    SqlConnection db = driver.writer();
    Map<String, String> actual = new TreeMap<>();
    for (String key : KEYS) {
      String json = store.view().get(db, key);
      if (json != null) actual.put(key, json);
    }
    assertEquals(expected, actual, "the client view");
    assertEquals(undo, new TreeMap<>(UndoLog.entries(db, Long.MAX_VALUE)), "the undo log");
    assertEquals(pending.size(), store.pendingCount(), "the pending count");
    assertEquals(
        Collections.nCopies(pending.size(), "set"),
        names(PendingQueue.after(db, 0, Integer.MAX_VALUE)),
        "the queue");
  }

  static List<String> names(List<Pending> queue) {
    List<String> names = new ArrayList<>();
    for (Pending pending : queue) names.add(pending.name);
    return names;
  }
}
