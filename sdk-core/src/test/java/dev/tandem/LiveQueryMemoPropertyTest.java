package dev.tandem;

import static dev.tandem.Column.number;
import static dev.tandem.Column.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.internal.query.LiveQueries;
import io.reactivex.rxjava3.schedulers.Schedulers;
import io.reactivex.rxjava3.subscribers.TestSubscriber;
import java.io.File;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live queries re-run from their memo (what their last run read, patched with the commits since)
 * must emit what the same query reads from SQLite: random watches (scans with starts, exclusive
 * starts and limits, gets, {@code has}, {@code isEmpty}, and reads chosen by a value read) over
 * plain keys in UTF-8 order (non-ASCII and surrogate pairs among them) and a schema table's keys,
 * against random mutations (puts, deletes, several keys at once, rolled back ones) and watches
 * coming and going. Seeded: a failure names its seed; {@code -Dtandem.seed=N} replays one.
 */
class LiveQueryMemoPropertyTest {
  @TempDir Path directory;

  static final String[] KEYS = {
    "a/0",
    "a/1",
    "a/10",
    "a/2",
    "a/z",
    "a/\u00e9",
    "a/\uD83D\uDE00",
    "a/\uFFFD",
    "b/x",
    "b/y",
    "c",
    "t/1",
    "t/2",
    "t/3"
  };
  static final String[] PREFIXES = {"a/", "a/1", "b/", "t/", "", "c"};

  static final class Put {
    String key;
    Object value;

    Put(String key, Object value) {
      this.key = key;
      this.value = value;
    }
  }

  static final class Puts {
    List<Put> puts;
    boolean fail;

    Puts(List<Put> puts, boolean fail) {
      this.puts = puts;
      this.fail = fail;
    }
  }

  /** One read of a watch, appending what it found to the result. */
  interface Op {
    void read(ReadTransaction tx, List<String> out);
  }

  @Test
  void reRunsFromMemoEmitWhatSqliteReads() throws Exception {
    long memoRuns = forSeeds(120, this::run);
    assertTrue(memoRuns > 1000, "re-runs from memo: " + memoRuns);
  }

  /** One seed's run; returns a count to add up. */
  interface SeedRun {
    long run(long seed) throws Exception;
  }

  /**
   * Runs seeds 1 to {@code count}, or the one {@code -Dtandem.seed} names; a failure names its
   * seed. Returns the runs' counts added up.
   */
  static long forSeeds(int count, SeedRun run) throws Exception {
    Long only = Long.getLong("tandem.seed");
    long sum = 0;
    for (long seed = only != null ? only : 1; seed <= (only != null ? only : count); seed++) {
      try {
        sum += run.run(seed);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("seed " + seed + " (replay: -Dtandem.seed=" + seed + ")", e);
      }
    }
    return sum;
  }

  /** Registers "puts": each put (a null value deletes) in order, then throws if asked to fail. */
  static Tandem.Builder withPuts(Tandem.Builder builder) {
    return builder.mutator(
        "puts",
        Puts.class,
        (tx, p) -> {
          for (Put put : p.puts) {
            if (put.value == null) {
              tx.del(put.key);
            } else {
              tx.put(put.key, put.value);
            }
          }
          if (p.fail) throw new IllegalStateException("rolled back");
        });
  }

  /** Each watch's last emission is what its query reads from SQLite now. */
  static void assertEmittedWhatSqliteReads(
      Tandem tandem,
      List<ReadQuery<List<String>>> queries,
      List<TestSubscriber<List<String>>> watches,
      String when)
      throws Exception {
    for (int i = 0; i < watches.size(); i++) {
      List<List<String>> values = watches.get(i).values();
      watches.get(i).assertNoErrors();
      assertEquals(
          tandem.query(queries.get(i)), values.get(values.size() - 1), "watch " + i + when);
    }
  }

  private long run(long seed) throws Exception {
    Random random = new Random(seed);
    Schema schema =
        Schema.builder()
            .version(1)
            .table(Table.named("t").columns(string("id"), number("n")).primaryKey("id"))
            .build();
    Tandem tandem =
        withPuts(Tandem.builder())
            .databaseFile(new File(directory.toFile(), "memo-" + seed + ".db"))
            .schema(schema)
            .queryScheduler(Schedulers.trampoline())
            .build();
    try {
      List<ReadQuery<List<String>>> queries = new ArrayList<>();
      List<TestSubscriber<List<String>>> watches = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        ReadQuery<List<String>> query = query(random, 0);
        queries.add(query);
        watches.add(tandem.watch(query).test());
      }
      for (int step = 0; step < 60; step++) {
        int what = random.nextInt(20);
        if (what == 0 && !watches.isEmpty()) {
          int gone = random.nextInt(watches.size());
          watches.remove(gone).cancel();
          queries.remove(gone);
        } else if (what == 1) {
          ReadQuery<List<String>> query = query(random, 0);
          queries.add(query);
          watches.add(tandem.watch(query).test());
        } else {
          List<Put> puts = new ArrayList<>();
          int n = 1 + (random.nextInt(4) == 0 ? random.nextInt(3) : 0);
          for (int i = 0; i < n; i++) puts.add(change(random));
          boolean fail = random.nextInt(12) == 0;
          try {
            tandem.mutate("puts", new Puts(puts, fail));
          } catch (RuntimeException e) {
            assertTrue(fail, "only the failing mutation throws: " + e);
          }
        }
        assertEmittedWhatSqliteReads(tandem, queries, watches, " after step " + step);
      }
      return live(tandem).memoRuns();
    } finally {
      tandem.close();
    }
  }

  private static LiveQueries live(Tandem tandem) throws Exception {
    Field field = Tandem.class.getDeclaredField("live");
    field.setAccessible(true);
    return (LiveQueries) field.get(tandem);
  }

  static Put change(Random random) {
    String key = KEYS[random.nextInt(KEYS.length)];
    if (random.nextInt(4) == 0) return new Put(key, null);
    if (key.startsWith("t/") && random.nextInt(4) != 0) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("n", random.nextInt(100)); // Read back in the table's column order: id first.
      row.put("id", key.substring(2));
      return new Put(key, row); // A row that fits its table.
    }
    switch (random.nextInt(3)) {
      case 0:
        return new Put(key, random.nextInt(1000));
      case 1:
        return new Put(key, "s" + random.nextInt(10));
      default:
        return new Put(key, Arrays.asList(random.nextInt(5), "x"));
    }
  }

  /** A watch of 1 to 3 reads; the first level may choose its next read by a value it read. */
  static ReadQuery<List<String>> query(Random random, int depth) {
    final List<Op> ops = new ArrayList<>();
    int n = 1 + random.nextInt(3);
    for (int i = 0; i < n; i++) ops.add(op(random, depth));
    return tx -> {
      List<String> out = new ArrayList<>();
      for (Op op : ops) op.read(tx, out);
      return out;
    };
  }

  private static Op op(Random random, int depth) {
    final String key = KEYS[random.nextInt(KEYS.length)];
    switch (random.nextInt(depth == 0 ? 6 : 5)) {
      case 0:
        return (tx, out) -> out.add("get " + key + "=" + tx.get(key));
      case 1:
        return (tx, out) -> out.add("has " + key + "=" + tx.has(key));
      case 2:
        return (tx, out) -> out.add("empty=" + tx.isEmpty());
      case 5:
        final ReadQuery<List<String>> then = query(random, depth + 1);
        // Often nothing otherwise: a run that skips reads its last run made.
        final ReadQuery<List<String>> otherwise =
            random.nextBoolean() ? tx -> new ArrayList<String>() : query(random, depth + 1);
        return (tx, out) -> {
          try {
            out.addAll(tx.has(key) ? then.query(tx) : otherwise.query(tx));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        };
      default:
        String prefix = PREFIXES[random.nextInt(PREFIXES.length)];
        ScanOptions options = ScanOptions.prefix(prefix);
        String shape = "scan " + prefix;
        if (random.nextBoolean()) {
          String start = KEYS[random.nextInt(KEYS.length)];
          boolean after = random.nextBoolean();
          options = after ? options.startAfter(start) : options.start(start);
          shape += (after ? " after " : " from ") + start;
        }
        if (random.nextInt(3) != 0) {
          int limit = random.nextInt(4);
          options = options.limit(limit);
          shape += " limit " + limit;
        }
        final ScanOptions scan = options;
        final String described = shape;
        return (tx, out) -> {
          StringBuilder found = new StringBuilder(described + ":");
          for (KeyValue entry : tx.scan(scan)) {
            found.append(' ').append(entry.key()).append('=').append(entry.value());
          }
          out.add(found.toString());
        };
    }
  }
}
