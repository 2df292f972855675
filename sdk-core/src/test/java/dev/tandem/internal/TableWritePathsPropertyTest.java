package dev.tandem.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import com.squareup.moshi.Moshi;
import dev.tandem.Mutators;
import dev.tandem.Table;
import dev.tandem.TableWriter;
import dev.tandem.WriteTransaction;
import dev.tandem.internal.app.JsonCodec;
import dev.tandem.internal.db.JdbcSqlDriver;
import dev.tandem.internal.db.SqlConnection;
import dev.tandem.internal.db.SqlCursor;
import dev.tandem.internal.store.KeySet;
import dev.tandem.internal.store.TableRowPropertyTest;
import dev.tandem.protocol.Cookie;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import okio.Buffer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new mutation's table writes ({@code insert}, {@code upsert}, {@code update}, {@code delete}
 * through {@code tx.table}) made directly ({@code TableRow}) against the same writes through JSON
 * text: two engines run the same random mutations (rows of every column type and value kind, as
 * {@link TableRowPropertyTest} makes them, a few keys so that rows collide; inserts of rows that
 * exist, some caught by the mutator; plain values that do not fit their table; pulls that patch
 * rows and confirm a prefix, replaying the rest), one with Moshi's own adapters (the direct path),
 * one whose Moshi has an adapter of its own for {@code Long} that writes and reads as Moshi's does
 * (so every row goes through JSON text, as before). After each step both hold the same rows, {@code
 * tandem_kv}, {@code tandem_undo} and queue records (but the clientID), told the commit listener
 * the same change set (keys and values) and threw the same errors.
 *
 * <p>Each seed is one test ({@value #SEEDS} seeds, 20 to 60 steps). A failure names its seed; run
 * it alone with {@code mvn -pl sdk-core test -Dtest=TableWritePathsPropertyTest
 * -Dtandem.seed=SEED}, or more seeds with {@code -Dtandem.seeds=N}.
 */
class TableWritePathsPropertyTest {
  static final int SEEDS = 60;
  static final long SEED_SOURCE = 0x7ab1_e9a7_4500L;

  @TempDir Path directory;

  @TestFactory
  Stream<DynamicTest> bothPathsLeaveTheSameState() {
    return Seeds.tests(TableWritePathsPropertyTest.class, SEEDS, SEED_SOURCE, this::run);
  }

  /** One engine and what its commits told the listener. */
  static final class Side {
    final JdbcSqlDriver driver;
    final Engine engine;
    final List<KeySet> commits = new ArrayList<>();
    int cookie;

    Side(File file, Moshi moshi) {
      driver = new JdbcSqlDriver(file, false);
      engine =
          Engine.open(
              driver, TableRowPropertyTest.SCHEMA, "1", mutators(), (t, k, j, p) -> {}, moshi);
      engine.store.setListener(commits::add);
    }

    String mutate(long args) {
      try {
        return "id " + engine.mutate("ops", args, 0);
      } catch (RuntimeException e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
      }
    }
  }

  void run(long seed, List<String> steps) throws Exception {
    Random random = new Random(seed);
    Moshi direct = new Moshi.Builder().build();
    Moshi viaJson = new Moshi.Builder().add(SAME_LONGS).build();
    assertTrue(new JsonCodec(direct).standardAdapters());
    assertFalse(new JsonCodec(viaJson).standardAdapters());
    Side a = new Side(new File(directory.toFile(), "direct-" + seed + ".db"), direct);
    Side b = new Side(new File(directory.toFile(), "json-" + seed + ".db"), viaJson);
    try {
      int size = 20 + random.nextInt(41);
      for (int step = 0; step < size; step++) {
        if (random.nextInt(8) == 0) {
          String patch = patch(random);
          int confirm = random.nextInt(3);
          steps.add("pull " + patch + " confirming " + confirm);
          pull(a, patch, confirm);
          pull(b, patch, confirm);
        } else {
          long args = random.nextLong();
          steps.add("ops " + args);
          assertEquals(b.mutate(args), a.mutate(args), "outcome");
        }
        compare(a, b);
      }
    } finally {
      a.engine.store.close();
      b.engine.store.close();
    }
  }

  /**
   * A pull patching one key with a row (or a value that does not fit); confirms up to {@code n}.
   */
  static String patch(Random random) {
    String key = random.nextBoolean() ? "row/" + ID[random.nextInt(ID.length)] : "pair/x/1";
    String value =
        random.nextInt(4) == 0
            ? "\"not a row\""
            : key.startsWith("row/")
                ? "{\"id\":\"" + key.substring(4) + "\",\"req\":" + random.nextInt(9) + "}"
                : "{\"a\":\"x\",\"k\":1}";
    return random.nextInt(4) == 0
        ? "{\"op\":\"del\",\"key\":\"" + key + "\"}"
        : "{\"op\":\"put\",\"key\":\"" + key + "\",\"value\":" + value + "}";
  }

  static void pull(Side side, String patch, int confirm) throws Exception {
    long confirmed =
        Math.min(
            side.engine.store.confirmedMutationID() + confirm, side.engine.store.lastMutationID());
    int next = side.cookie + 1;
    String json =
        "{\"cookie\":"
            + next
            + ",\"lastMutationIDChanges\":{\""
            + side.engine.clientID
            + "\":"
            + confirmed
            + "},\"patch\":["
            + patch
            + "]}";
    side.engine.applier.apply(
        new Buffer().writeUtf8(json), side.cookie == 0 ? Cookie.NULL : Cookie.of(side.cookie));
    side.cookie = next;
  }

  static final String[] ID = {"a", "b", "c"};

  /** The mutator both engines run: one to three table writes made from {@code args}. */
  static Mutators.Builder mutators() {
    Mutators.Builder mutators = Mutators.builder();
    mutators.add(
        "ops",
        Long.class,
        (tx, args) -> {
          Random random = new Random(args);
          int count = 1 + random.nextInt(3);
          for (int i = 0; i < count; i++) op(tx, random);
        });
    return mutators;
  }

  static void op(WriteTransaction tx, Random random) throws Exception {
    boolean rows = random.nextInt(3) != 0;
    String name = rows ? "row" : "pair";
    Table table = TableRowPropertyTest.SCHEMA.table(name);
    TableWriter writer = tx.table(name);
    Map<String, Object> row = TableRowPropertyTest.row(random, table);
    if (rows) {
      row.put("id", ID[random.nextInt(ID.length)]);
    } else {
      row.put("a", random.nextBoolean() ? "x" : "y");
      Object[] k = {1L, 1.0, 2, -0.0, 0L};
      row.put("k", k[random.nextInt(k.length)]);
    }
    boolean caught = random.nextBoolean();
    try {
      switch (random.nextInt(7)) {
        case 0:
        case 1:
          writer.insert(row);
          break;
        case 2:
          writer.upsert(row);
          break;
        case 3:
          Map<String, Object> partial = new java.util.LinkedHashMap<>();
          for (String column : table.primaryKey()) partial.put(column, row.get(column));
          for (Map.Entry<String, Object> entry : row.entrySet()) {
            if (random.nextBoolean()) partial.put(entry.getKey(), entry.getValue());
          }
          writer.update(partial);
          break;
        case 4:
          writer.delete(row);
          break;
        case 5:
          tx.put(rows ? "row/" + row.get("id") : "pair/x/1", "does not fit");
          break;
        default:
          tx.getJson(rows ? "row/" + row.get("id") : "pair/x/1");
      }
    } catch (IllegalStateException | IllegalArgumentException e) {
      if (!caught) throw e;
    }
  }

  /** Both sides' state and last change set are the same. */
  static void compare(Side a, Side b) throws Exception {
    SqlConnection x = a.driver.writer();
    SqlConnection y = b.driver.writer();
    for (String table : new String[] {"\"t_row\"", "\"t_pair\"", "tandem_kv", "tandem_undo"}) {
      assertEquals(dump(y, table, "*"), dump(x, table, "*"), table);
    }
    String queue = "seq, id, name, args, timestamp, schema_version, undo";
    assertEquals(dump(y, "tandem_pending", queue), dump(x, "tandem_pending", queue), "queue");
    assertEquals(a.commits.size(), b.commits.size(), "commits");
    if (!a.commits.isEmpty()) {
      KeySet left = a.commits.get(a.commits.size() - 1);
      KeySet right = b.commits.get(b.commits.size() - 1);
      assertEquals(describe(right), describe(left), "change set");
    }
  }

  /** Every row of {@code table}: each column's type and SQL literal. */
  static List<String> dump(SqlConnection db, String table, String columns) {
    List<String> names = new ArrayList<>();
    if (columns.equals("*")) {
      try (SqlCursor cursor = db.query("PRAGMA table_info(" + table + ")")) {
        while (cursor.next()) names.add("\"" + cursor.getString(1) + "\"");
      }
    } else {
      for (String name : columns.split(", ")) names.add(name);
    }
    StringBuilder select = new StringBuilder("SELECT ");
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) select.append(" || ' | ' || ");
      select
          .append("typeof(")
          .append(names.get(i))
          .append(") || ':' || quote(")
          .append(names.get(i))
          .append(")");
    }
    select.append(" FROM ").append(table).append(" ORDER BY 1");
    List<String> rows = new ArrayList<>();
    try (SqlCursor cursor = db.query(select.toString())) {
      while (cursor.next()) rows.add(cursor.getString(0));
    }
    return rows;
  }

  /** A change set's keys with their new values, as live queries see them. */
  static String describe(KeySet changes) throws Exception {
    Field values = KeySet.class.getDeclaredField("values");
    values.setAccessible(true);
    Map<?, ?> known = new TreeMap<>((Map<?, ?>) values.get(changes));
    java.util.Collection<String> keys = changes.keysOnly();
    return (keys == null ? "not keys only" : new java.util.TreeSet<>(keys).toString())
        + " "
        + known;
  }

  /** Moshi's own {@code Long} adapter under another name: the same JSON, not known as Moshi's. */
  static final JsonAdapter.Factory SAME_LONGS =
      new JsonAdapter.Factory() {
        @Override
        public JsonAdapter<?> create(
            java.lang.reflect.Type type,
            java.util.Set<? extends java.lang.annotation.Annotation> annotations,
            Moshi moshi) {
          if (type != Long.class || !annotations.isEmpty()) return null;
          final JsonAdapter<Long> standard = moshi.nextAdapter(this, type, annotations);
          return new JsonAdapter<Long>() {
            @Override
            public Long fromJson(JsonReader reader) throws IOException {
              return standard.fromJson(reader);
            }

            @Override
            public void toJson(JsonWriter writer, Long value) throws IOException {
              standard.toJson(writer, value);
            }

            @Override
            public String toString() {
              return "SameLongs";
            }
          };
        }
      };
}
