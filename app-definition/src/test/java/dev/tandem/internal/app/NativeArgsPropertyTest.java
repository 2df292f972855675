package dev.tandem.internal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import com.squareup.moshi.Moshi;
import dev.tandem.Mutators;
import dev.tandem.protocol.RawJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A new mutation's mutator may be handed the caller's args without decoding them ({@code
 * BoundMutators.runNew}) only when it then sees exactly what a replay (decoding the stored JSON)
 * shows it. Checked on random values of every such type, edge cases weighted in, over many seeds: a
 * failure prints its seed; {@code -Dtandem.seed=N} replays that seed alone.
 */
class NativeArgsPropertyTest {
  private static final int SEEDS = 300;
  private static final int VALUES_PER_SEED = 200;

  /** What each mutator was handed, in order. */
  private final List<Object> seen = new ArrayList<>();

  private BoundMutators bind(Moshi moshi) {
    return BoundMutators.bind(
        Mutators.builder()
            .add("string", String.class, (tx, a) -> seen.add(a))
            .add("boolean", Boolean.class, (tx, a) -> seen.add(a))
            .add("long", Long.class, (tx, a) -> seen.add(a))
            .add("integer", Integer.class, (tx, a) -> seen.add(a))
            .add("double", Double.class, (tx, a) -> seen.add(a))
            .build(),
        moshi);
  }

  @Test
  void aNewMutationsMutatorSeesWhatAReplaySees() throws Exception {
    BoundMutators mutators = bind(new Moshi.Builder().build());
    String only = System.getProperty("tandem.seed");
    long first = only == null ? 1 : Long.parseLong(only);
    long last = only == null ? SEEDS : first;
    int reused = 0;
    for (long seed = first; seed <= last; seed++) {
      Random random = new Random(seed);
      for (int i = 0; i < VALUES_PER_SEED; i++) {
        String name = NAMES[random.nextInt(NAMES.length)];
        Object args = value(name, random);
        String where = "seed " + seed + " (replay: -Dtandem.seed=" + seed + "), value " + i;
        RawJson json;
        try {
          json = mutators.encode(name, args);
        } catch (IllegalArgumentException e) {
          continue; // NaN or an infinity: refused before any mutator runs.
        }
        seen.clear();
        mutators.run(name, null, json); // A replay, as stored.
        mutators.run(name, null, RawJson.parse(json.toString())); // As read back from the queue.
        mutators.runNew(name, null, json, args);
        assertEquals(3, seen.size(), where);
        assertEquals(seen.get(0), seen.get(1), where);
        assertEquals(seen.get(0), seen.get(2), where + ": " + describe(args) + " as " + json);
        if (seen.get(2) == args) reused++;
      }
    }
    assertTrue(reused > 0, "no value took the path without decoding");
  }

  /** The one value Moshi does not write exactly: what {@code roundTrips} is there for. */
  @Test
  void aStringWithAnUnpairedSurrogateIsDecodedNotReused() throws Exception {
    BoundMutators mutators = bind(new Moshi.Builder().build());
    for (String s : new String[] {"a\uD800", "\uDC00b", "\uDBFF\uDBFF", "x\uDFFF\uD800y"}) {
      RawJson json = mutators.encode("string", s);
      seen.clear();
      mutators.run("string", null, json);
      mutators.runNew("string", null, json, s);
      assertNotEquals(s, seen.get(0), "Moshi now writes " + s + " exactly");
      assertEquals(seen.get(0), seen.get(1));
      assertFalse(BoundMutators.Bound.roundTrips(s));
    }
    String pair = "emoji \uD83D\uDE00";
    RawJson json = mutators.encode("string", pair);
    seen.clear();
    mutators.runNew("string", null, json, pair);
    assertSame(pair, seen.get(0));
  }

  /** An app's own adapter for a type is never bypassed: its mutator sees what it decodes. */
  @Test
  void anAppsOwnAdapterForTheTypeIsAlwaysDecoded() throws Exception {
    Moshi moshi =
        new Moshi.Builder()
            .add(
                String.class,
                new JsonAdapter<String>() {
                  @Override
                  public String fromJson(JsonReader reader) throws IOException {
                    return reader.nextString().trim();
                  }

                  @Override
                  public void toJson(JsonWriter writer, String value) throws IOException {
                    writer.value(value);
                  }
                })
            .build();
    BoundMutators mutators = bind(moshi);
    RawJson json = mutators.encode("string", "  padded  ");
    seen.clear();
    mutators.runNew("string", null, json, "  padded  ");
    assertEquals("padded", seen.get(0));
  }

  private static final String[] NAMES = {"string", "boolean", "long", "integer", "double"};

  private static Object value(String name, Random random) {
    switch (name) {
      case "string":
        return string(random);
      case "boolean":
        return random.nextBoolean();
      case "long":
        return pick(random, LONGS, random.nextLong());
      case "integer":
        return pick(random, INTS, random.nextInt());
      default:
        return pick(random, DOUBLES, randomDouble(random));
    }
  }

  private static final Long[] LONGS = {
    0L, -1L, 1L, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 53, (1L << 53) + 1, -(1L << 53) - 1
  };
  private static final Integer[] INTS = {0, -1, 1, Integer.MAX_VALUE, Integer.MIN_VALUE};
  private static final Double[] DOUBLES = {
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.1,
    1e21,
    1e-7,
    123456789012345678.0,
    Double.MIN_VALUE,
    -Double.MIN_VALUE,
    Double.MIN_NORMAL,
    Double.MAX_VALUE,
    -Double.MAX_VALUE,
    (double) (1L << 53),
    (double) Long.MAX_VALUE,
    Double.NaN,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY
  };

  private static <T> T pick(Random random, T[] edges, T plain) {
    return random.nextInt(3) == 0 ? edges[random.nextInt(edges.length)] : plain;
  }

  private static double randomDouble(Random random) {
    switch (random.nextInt(4)) {
      case 0:
        return Double.longBitsToDouble(random.nextLong()); // Any bit pattern, NaNs included.
      case 1:
        return random.nextInt(2_000_001) - 1_000_000; // Whole numbers.
      case 2:
        return (random.nextInt(2_000_001) - 1_000_000) / 100.0; // Decimal fractions.
      default:
        return random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
    }
  }

  /** Strings from ASCII, JSON's escapes, controls, U+2028/9, other BMP, pairs and lone halves. */
  private static String string(Random random) {
    int length = random.nextInt(4) == 0 ? 0 : random.nextInt(24);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(8)) {
        case 0:
          s.append((char) random.nextInt(0x20)); // Controls.
          break;
        case 1:
          String escapes = "\"\\/\u2028\u2029\u007f";
          s.append(escapes.charAt(random.nextInt(escapes.length())));
          break;
        case 2:
          s.appendCodePoint(0x10000 + random.nextInt(0x100000)); // A surrogate pair.
          break;
        case 3:
          if (random.nextInt(4) == 0) s.append((char) (0xD800 + random.nextInt(0x800))); // Lone.
          break;
        case 4:
          s.append((char) random.nextInt(0x10000)); // Any UTF-16 unit, surrogates included.
          break;
        default:
          s.append((char) (0x20 + random.nextInt(0x5f)));
      }
    }
    return s.toString();
  }

  private static String describe(Object args) {
    if (!(args instanceof String)) return args.getClass().getSimpleName() + " " + args;
    StringBuilder units = new StringBuilder("String [");
    for (char c : ((String) args).toCharArray()) units.append(String.format(" %04x", (int) c));
    return units.append(" ]").toString();
  }
}
