package dev.tandem.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.squareup.moshi.Moshi;
import dev.tandem.Column;
import dev.tandem.Schema;
import dev.tandem.Table;
import dev.tandem.internal.Seeds;
import dev.tandem.internal.app.JsonCodec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link TableRow} against the JSON path it stands for ({@link TypedTable#encode}, then {@link
 * TypedTable#bind} of that text): over random rows of every column type, with values of every kind
 * (strings with escapes, unicode and unpaired surrogates; longs beyond 2^53; doubles whole, huge,
 * tiny, {@code -0.0}, NaN, infinite; booleans; nulls and absent columns; enums in and out of their
 * set; maps, lists, {@code BigDecimal}s, {@code Float}s, bytes; values of the wrong type; unknown
 * columns), a row it makes has exactly the JSON text and insert arguments (compared with {@code
 * equals}: {@code -0.0} is not {@code 0.0}) of the JSON path, and it declines (null) only rows
 * whose values are not all of the kinds it knows, or that do not fit, or that the JSON path
 * refuses.
 *
 * <p>Each seed is one test ({@value #SEEDS} seeds of {@value #ROWS} rows). A failure names its
 * seed; run it alone with {@code mvn -pl sdk-core test -Dtest=TableRowPropertyTest
 * -Dtandem.seed=SEED}, or more seeds with {@code -Dtandem.seeds=N}.
 */
public class TableRowPropertyTest {
  static final int SEEDS = 200;
  static final int ROWS = 300;
  static final long SEED_SOURCE = 0x7ab1_e50e_4011L;

  enum Mood {
    HAPPY,
    SAD
  }

  public static final Schema SCHEMA =
      Schema.builder()
          .version(1)
          .table(
              Table.named("row")
                  .columns(
                      Column.string("id"),
                      Column.number("req"),
                      Column.number("n").optional(),
                      Column.string("s").optional(),
                      Column.bool("b").optional(),
                      Column.json("j").optional(),
                      Column.enumeration("mood", Mood.class).optional(),
                      Column.string("label").from("lbl").optional())
                  .primaryKey("id"))
          .table(
              Table.named("pair")
                  .columns(Column.string("a"), Column.number("k"), Column.bool("on").optional())
                  .primaryKey("a", "k"))
          .build();

  static final JsonCodec CODEC = new JsonCodec(new Moshi.Builder().build());

  @TestFactory
  Stream<DynamicTest> aRowItMakesIsTheJsonPathsRow() {
    return Seeds.tests(TableRowPropertyTest.class, SEEDS, SEED_SOURCE, (seed, steps) -> run(seed));
  }

  private static void run(long seed) {
    Random random = new Random(seed);
    TypedTable[] tables = {
      new TypedTable(SCHEMA.table("row"), CODEC), new TypedTable(SCHEMA.table("pair"), CODEC)
    };
    int direct = 0;
    for (int i = 0; i < ROWS; i++) {
      TypedTable table = tables[random.nextInt(tables.length)];
      Map<String, Object> values = row(random, table.table);
      String context = "row " + i + " of " + table.table.name() + ": " + describe(values);
      if (compare(table, values, context)) direct++;
    }
    // Most rows are of the kinds it knows: the comparison is not vacuous.
    assertTrue(direct > ROWS / 4, "only " + direct + " of " + ROWS + " rows went direct");
  }

  /** Compares both paths for one row; true if {@link TableRow} made it. */
  static boolean compare(TypedTable table, Map<String, Object> values, String context) {
    String key;
    try {
      key = table.keyOf(values);
    } catch (IllegalArgumentException e) {
      return false; // No primary key value: both paths fail here, before either runs.
    }
    TableRow row = table.prepare(key, values);
    String json;
    try {
      json = table.encode(values);
    } catch (IllegalArgumentException e) {
      assertNull(row, context + ": the JSON path refuses it (" + e.getMessage() + ")");
      return false;
    }
    Object[] args = table.newArgs();
    String problem = table.bind(key, json, args);
    if (problem != null) {
      assertNull(row, context + ": does not fit (" + problem + ")");
      return false;
    }
    if (plain(values)) assertNotNull(row, context + ": plain values that fit, declined");
    if (row == null) return false;
    assertEquals(key, row.key, context);
    assertEquals(json, row.json, context);
    assertEquals(Arrays.asList(args), Arrays.asList(row.args), context + " (insert arguments)");
    for (int i = 0; i < args.length; i++) {
      if (args[i] != null) assertEquals(args[i].getClass(), row.args[i].getClass(), context);
    }
    return true;
  }

  /** Only values of the kinds {@link TableRow} takes. */
  private static boolean plain(Map<String, Object> values) {
    for (Object value : values.values()) {
      if (value == null || value instanceof Boolean || value instanceof Long) continue;
      if (value instanceof Integer || value instanceof Enum) continue;
      if (value instanceof Double && !((Double) value).isNaN() && !((Double) value).isInfinite()) {
        continue;
      }
      if (value instanceof String && wellFormed((String) value)) continue;
      return false;
    }
    return true;
  }

  private static boolean wellFormed(String s) {
    return s.equals(
        new String(
            s.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * A random row of {@code table}: mostly values that fit, some that do not, some columns left out.
   */
  public static Map<String, Object> row(Random random, Table table) {
    Map<String, Object> values = new LinkedHashMap<>();
    List<Column> columns = new ArrayList<>(table.columns());
    java.util.Collections.shuffle(columns, random);
    for (Column column : columns) {
      int pick = random.nextInt(10);
      if (pick == 0 && !table.primaryKey().contains(column.name())) continue; // Absent.
      Object value = pick <= 1 ? anyValue(random) : valueFor(random, column);
      values.put(column.name(), value);
    }
    if (random.nextInt(20) == 0) values.put("unknown", "x");
    return values;
  }

  /** A value of {@code column}'s type, in the forms a mutator may pass it. */
  static Object valueFor(Random random, Column column) {
    switch (column.type()) {
      case STRING:
        return string(random);
      case NUMBER:
        return number(random);
      case BOOL:
        return random.nextBoolean();
      case ENUMERATION:
        int pick = random.nextInt(4);
        return pick == 0 ? "HAPPY" : pick == 1 ? Mood.SAD : pick == 2 ? "ANGRY" : Mood.HAPPY;
      case JSON:
      default:
        return anyValue(random);
    }
  }

  static Object anyValue(Random random) {
    switch (random.nextInt(14)) {
      case 0:
        return null;
      case 1:
      case 2:
        return string(random);
      case 3:
        return random.nextBoolean();
      case 4:
      case 5:
        return number(random);
      case 6:
        return new BigDecimal(random.nextInt(2000) - 1000).scaleByPowerOfTen(random.nextInt(7) - 3);
      case 7:
        return random.nextFloat() * 100;
      case 8:
        return (byte) random.nextInt(256);
      case 9:
        return (short) random.nextInt(65536);
      case 10:
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("x", number(random));
        map.put("y", string(random));
        return map;
      case 11:
        return Arrays.asList(string(random), number(random));
      case 12:
        return Mood.HAPPY;
      default:
        return new StringBuilder(string(random)); // An object Moshi writes by its class.
    }
  }

  static Object number(Random random) {
    switch (random.nextInt(16)) {
      case 0:
        return 0L;
      case 1:
        return random.nextInt() / 1000;
      case 2:
        return random.nextLong();
      case 3:
        return (1L << 53) + 1 + random.nextInt(1000);
      case 4:
        return random.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
      case 5:
        return -0.0;
      case 6:
        return 0.0;
      case 7:
        return (double) (random.nextInt(2_000_001) - 1_000_000);
      case 8:
        return random.nextDouble() * 1000 - 500;
      case 9:
        return random.nextBoolean() ? 1e15 : 1e15 - 1;
      case 10:
        return random.nextGaussian() * 1e20;
      case 11:
        return random.nextBoolean() ? Double.MIN_VALUE : -1e300;
      case 12:
        int pick = random.nextInt(3);
        return pick == 0
            ? Double.NaN
            : pick == 1 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
      case 13:
        return (double) ((1L << 53) + 2 * random.nextInt(1000));
      case 14:
        return random.nextInt(100);
      default:
        return 0.1 * random.nextInt(100);
    }
  }

  private static final String[] PIECES = {
    "a",
    "Z",
    "9",
    " ",
    "\"",
    "\\",
    "/",
    "<",
    ">",
    "&",
    "'",
    "\u007f",
    "é",
    "ß",
    "日本",
    "\u2028",
    "\u2029",
    "\ud83d\ude00",
    "\ufeff",
    "\u0000",
    "\t",
    "\n",
    "\r",
    "\b",
    "\f",
    "\u001b",
    "\u001f",
    "\ud800",
    "\udc00",
    "%",
    "item/1"
  };

  static String string(Random random) {
    int length = random.nextInt(8);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      if (random.nextInt(10) == 0) {
        s.append((char) random.nextInt(0x20)); // Any control character.
      } else {
        // Unpaired surrogates (the last pieces but three) now and then only.
        int bound = random.nextInt(8) == 0 ? PIECES.length : PIECES.length - 4;
        s.append(PIECES[random.nextInt(bound)]);
      }
    }
    return s.toString();
  }

  static String describe(Map<String, Object> values) {
    StringBuilder out = new StringBuilder("{");
    for (Map.Entry<String, Object> entry : values.entrySet()) {
      if (out.length() > 1) out.append(", ");
      Object value = entry.getValue();
      out.append(entry.getKey()).append('=');
      if (value instanceof String) {
        out.append('"');
        for (char c : ((String) value).toCharArray()) {
          out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        out.append('"');
      } else {
        out.append(value)
            .append(value == null ? "" : " (" + value.getClass().getSimpleName() + ")");
      }
    }
    return out.append('}').toString();
  }

  /** The edge cases by name, each through {@link #compare}. */
  @Test
  void edgeCasesGiveTheJsonPathsRow() {
    TypedTable table = new TypedTable(SCHEMA.table("row"), CODEC);
    Object[] numbers = {
      -0.0,
      0.0,
      9007199254740993L,
      -9007199254740993L,
      Long.MAX_VALUE,
      Long.MIN_VALUE,
      1e15,
      1e15 - 1,
      999999999999999.5,
      1.5,
      1e300,
      Double.MIN_VALUE,
      7,
      Integer.MIN_VALUE,
      3.0
    };
    for (Object number : numbers) {
      Map<String, Object> values = new LinkedHashMap<>();
      values.put("id", "x");
      values.put("req", number);
      values.put("j", number);
      assertTrue(compare(table, values, "number " + number), "number " + number + " went direct");
    }
    String[] strings = {"", "\"\\/", "\u2028\u2029", "\u0000\u001f\u007f", "日本\ud83d\ude00", "é"};
    for (String s : strings) {
      Map<String, Object> values = new LinkedHashMap<>();
      values.put("id", s);
      values.put("req", 1L);
      values.put("s", s);
      values.put("label", s);
      values.put("j", s);
      assertTrue(compare(table, values, "string " + describe(values)), "went direct");
    }
    Map<String, Object> nulls = new LinkedHashMap<>();
    nulls.put("id", "x");
    nulls.put("req", 2L);
    nulls.put("n", null);
    nulls.put("b", false);
    nulls.put("mood", Mood.SAD);
    assertTrue(compare(table, nulls, "nulls"), "went direct");
    assertEquals(
        "{\"id\":\"x\",\"req\":2,\"b\":false,\"mood\":\"SAD\"}",
        table.prepare("row/x", nulls).json);

    // Declined: an unpaired surrogate (UTF-8 makes it '?'), NaN, a map, a byte, a misfit.
    Object[] declined = {"a\ud800", Double.NaN, new LinkedHashMap<>(), (byte) -1, 1.5f};
    for (Object value : declined) {
      Map<String, Object> values = new LinkedHashMap<>();
      values.put("id", "x");
      values.put("req", 1L);
      values.put("j", value);
      assertNull(table.prepare("row/x", values), "declined " + value);
      compare(table, values, "declined " + value);
    }
    Map<String, Object> misfit = new LinkedHashMap<>();
    misfit.put("id", "x");
    misfit.put("req", "not a number");
    assertNull(table.prepare("row/x", misfit));
  }
}
