package dev.tandem.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonEncodingException;
import com.squareup.moshi.JsonReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import okio.Buffer;
import okio.BufferedSource;
import okio.Okio;
import org.junit.jupiter.api.Test;

/**
 * {@link PullResult#readBody} reads the patch with {@link PatchScanner} as far as it can; it must
 * give exactly what {@link PullResult#read(JsonReader, PullResult.PatchHandler)} (Moshi's reader
 * alone) gives: the same operations handed in the same order, the same response, and for malformed
 * input an error of the same kind naming the same place, after the same operations.
 */
class PatchScannerTest {
  /** What a parse did: the operations handed, then a result or an error. */
  private static final class Outcome {
    final List<PatchOperation> handed = new ArrayList<>();
    PullResult result;
    Throwable error;

    @Override
    public String toString() {
      return handed.size() + " handed, " + (error != null ? "error " + error : "result " + result);
    }
  }

  /** Moshi's reader alone, as before the scanner; with the trailing check of readBody. */
  private static Outcome before(byte[] body) {
    Outcome outcome = new Outcome();
    try {
      JsonReader reader = JsonReader.of(new Buffer().write(body));
      outcome.result = PullResult.read(reader, outcome.handed::add);
      if (reader.peek() != JsonReader.Token.END_DOCUMENT) {
        throw new JsonDataException("trailing content after the pull response");
      }
    } catch (IOException | RuntimeException e) {
      outcome.result = null;
      outcome.error = e;
    }
    return outcome;
  }

  /** {@link PullResult#readBody}, from {@code source}. */
  private static Outcome after(BufferedSource source) {
    Outcome outcome = new Outcome();
    try {
      outcome.result = PullResult.readBody(source, outcome.handed::add);
    } catch (IOException | RuntimeException e) {
      outcome.result = null;
      outcome.error = e;
    }
    return outcome;
  }

  /** A source that hands out at most a few bytes per read, so the scanner refills often. */
  private static BufferedSource trickling(byte[] body, Random random) {
    ByteArrayInputStream bytes = new ByteArrayInputStream(body);
    InputStream slow =
        new InputStream() {
          @Override
          public int read() {
            return bytes.read();
          }

          @Override
          public int read(byte[] b, int off, int len) {
            return bytes.read(b, off, Math.min(len, 1 + random.nextInt(300)));
          }
        };
    return Okio.buffer(Okio.source(slow));
  }

  private static void assertSame(String context, Outcome expected, Outcome actual) {
    assertEquals(expected.handed, actual.handed, context + ": operations handed");
    if (expected.error == null) {
      assertEquals(null, actual.error, context + ": accepted before");
      assertEquals(expected.result, actual.result, context + ": result");
      return;
    }
    assertNotNull(actual.error, context + ": refused before with " + expected.error);
    assertEquals(
        kind(expected.error),
        kind(actual.error),
        context + ": " + expected.error + " / " + actual.error);
    String path = patchPath(expected.error.getMessage());
    if (path != null) {
      assertTrue(
          String.valueOf(actual.error.getMessage()).contains(path),
          context + ": '" + actual.error.getMessage() + "' should name " + path);
    }
  }

  /** Data (wrong shape), encoding (not JSON) or input ended: what the caller can tell apart. */
  private static String kind(Throwable error) {
    if (error instanceof JsonDataException) return "data";
    if (error instanceof JsonEncodingException) return "encoding";
    if (error instanceof IOException) return "io";
    return error.getClass().getName();
  }

  private static String patchPath(String message) {
    if (message == null) return null;
    java.util.regex.Matcher path =
        java.util.regex.Pattern.compile("\\$\\.patch\\[\\d+\\]").matcher(message);
    return path.find() ? path.group() : null;
  }

  private static void check(String json) {
    checkBytes(json.getBytes(StandardCharsets.UTF_8));
  }

  private static void checkBytes(byte[] body) {
    String json = new Buffer().write(body).readUtf8();
    Outcome expected = before(body);
    assertSame(json, expected, after(new Buffer().write(body)));
    assertSame(json + " (trickled)", expected, after(trickling(body, new Random(json.hashCode()))));
  }

  private static String body(String patch) {
    return "{\"cookie\":7,\"lastMutationIDChanges\":{\"c\":3},\"patch\":" + patch + "}";
  }

  @Test
  void theShapeServersSendIsReadInOnePass() throws IOException {
    String json =
        body(
            "[{\"op\":\"clear\"},{\"op\":\"put\",\"key\":\"a/1\",\"value\":{\"n\":1,\"s\":\"é\"}},"
                + "{\"op\":\"put\",\"key\":\"a/2\",\"value\":null},{\"op\":\"del\",\"key\":\"a/3\"}]");
    List<PatchOperation> handed = new ArrayList<>();
    PullResult result = PullResult.readBody(new Buffer().writeUtf8(json), handed::add);
    assertEquals(Cookie.of(7), result.response().cookie());
    assertEquals(
        List.of(
            PatchOperation.clear(),
            PatchOperation.put("a/1", RawJson.parse("{\"n\":1,\"s\":\"é\"}")),
            PatchOperation.put("a/2", RawJson.NULL),
            PatchOperation.del("a/3")),
        handed);
    assertTrue(handed.get(2).value().isNull());
    check(json);
  }

  @Test
  void otherSpellingsAreLeftToTheReaderWithTheSameResult() {
    for (String patch :
        new String[] {
          "[]",
          " [ ] ",
          "[ {\"op\" : \"put\" ,\n \"key\":\"k\", \"value\" : [1, 2] } , {\"op\":\"del\",\"key\":\"k\"} ]",
          "[{\"key\":\"k\",\"value\":1,\"op\":\"put\"}]",
          "[{\"op\":\"put\",\"key\":\"k\",\"value\":1,\"extra\":{\"a\":[true]}}]",
          "[{\"op\":\"put\",\"key\":\"k\",\"value\":1},{\"op\":\"put\",\"key\":\"k\\u00e9\",\"value\":1}]",
          "[{\"op\":\"put\",\"key\":\"k\",\"value\":1},{\"op\":\"put\",\"key\":\"k\",\"value\":\"\\/\"}]",
          "[{\"op\":\"put\",\"key\":\"k\",\"value\":1},{\"op\":\"p\\u0075t\",\"key\":\"k\",\"value\":2}]",
          "[{\"op\":\"put\",\"key\":\"k\",\"value\":1},{\"op\":\"put\",\"k\\u0065y\":\"k\",\"value\":2}]",
          "[{\"op\":\"put\",\"key\":\"k\",\"value\":1,\"value\":2},{\"op\":\"del\",\"key\":\"x\"}]",
          "[{\"op\":\"put\",\"key\":\"k\",\"value\":1.50},{\"op\":\"put\",\"key\":\"k\",\"value\":-0}]",
          "[{\"op\":\"del\",\"key\":\"k\",\"value\":1},{\"op\":\"clear\",\"key\":\"k\"}]",
          "[{\"op\":\"put\",\"key\":\"\u2028\\u0001\",\"value\":\"\\u2028\"}]",
          "[{\"op\":\"put\",\"key\":\"k\",\"value\":\"\u2028\"},{\"op\":\"clear\"}]",
        }) {
      check(body(patch));
    }
    check(
        "{\"patch\":[{\"op\":\"clear\"}],\"refusedMutations\":[{\"clientID\":\"c\",\"id\":1,"
            + "\"error\":\"no\"}],\"cookie\":null,\"lastMutationIDChanges\":{}}");
    check("{\"patch\":[{\"op\":\"clear\"}],\"error\":\"VersionNotSupported\"}");
  }

  @Test
  void malformedInputIsRefusedAsBeforeNamingTheSamePlace() {
    for (String patch :
        new String[] {
          "[{\"op\":\"put\",\"key\":\"k\",\"value\":1},]",
          "[{\"op\":\"put\",\"key\":\"k\",\"value\":1}{\"op\":\"clear\"}]",
          "[{\"op\":\"put\",\"key\":\"k\",\"value\":1} {\"op\":\"clear\"}]",
          "[{\"op\":\"put\",\"key\":\"k\",\"value\":1},{\"op\":\"put\",\"key\":\"k\"}]",
          "[{\"op\":\"clear\"},{\"op\":\"upsert\",\"key\":\"k\"}]",
          "[{\"op\":\"clear\"},{\"op\":\"clear\"},{\"key\":\"k\"}]",
          "[{\"op\":\"clear\"},{\"op\":\"put\",\"key\":\"k\",\"value\":01}]",
          "[{\"op\":\"clear\"},{\"op\":\"put\",\"key\":\"k\",\"value\":tru}]",
          "[{\"op\":\"clear\"},{\"op\":\"put\",\"key\":\"k\",\"value\":{\"a\":1,}}]",
          "[{\"op\":\"clear\"},{\"op\":\"put\",\"key\":7,\"value\":1}]",
          "[{\"op\":\"clear\"},{\"op\":1}]",
          "[{\"op\":\"clear\"},5]",
          "[{\"op\":\"clear\"},{\"op\":\"put\",\"key\":\"k\",\"value\":1}",
          "[{\"op\":\"clear\"},{\"op\":\"put\",\"key\":\"k\",\"value\":\"abc",
          "[{\"op\":\"clear\"},{\"op\":\"put\",\"key\":\"k\",\"value\":1]",
          "[{\"op\":\"clear\"},{\"op\":\"put\",\"key\":\"k\",\"value\":1}]]",
          "[{\"op\":\"clear\"}/* a comment */]",
        }) {
      check(body(patch));
      Outcome outcome = after(new Buffer().writeUtf8(body(patch)));
      assertNotNull(outcome.error, patch);
    }
    check(body("[{\"op\":\"clear\"}]") + "x");
    check(body("[{\"op\":\"clear\"}]").substring(0, 40));
  }

  @Test
  void errorsAfterScannedOperationsCountFromThePatchStart() {
    String patch =
        "[{\"op\":\"clear\"},{\"op\":\"del\",\"key\":\"a\"},{\"op\":\"put\",\"key\":\"b\",\"value\":1},"
            + "{\"op\":\"del\"}]";
    JsonDataException e =
        assertThrows(
            JsonDataException.class,
            () -> PullResult.readBody(new Buffer().writeUtf8(body(patch)), op -> {}));
    assertEquals("Required value 'key' missing at $.patch[3]", e.getMessage());
    JsonEncodingException comma =
        assertThrows(
            JsonEncodingException.class,
            () ->
                PullResult.readBody(
                    new Buffer().writeUtf8(body("[{\"op\":\"clear\"},{\"op\":\"clear\"},]")),
                    op -> {}));
    assertTrue(comma.getMessage().contains("$.patch[2]"), comma.getMessage());
  }

  /**
   * Bytes that are not UTF-8 (in a key, in a value), encoded surrogates, whitespace JSON does not
   * allow (a BOM, a form feed, a no-break space) and numbers at the edges: the same operations,
   * text and errors as the reader alone.
   */
  @Test
  void oddBytesWhitespaceAndNumbersGiveWhatTheReaderGives() throws IOException {
    byte[][] pieces = {
      {(byte) 0xff},
      {(byte) 0xc3},
      {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
      {(byte) 0xf0, (byte) 0x9f}
    };
    for (byte[] piece : pieces) {
      for (String at : new String[] {"key", "value"}) {
        Buffer patch = new Buffer().writeUtf8("[{\"op\":\"put\",\"key\":\"k");
        if (at.equals("key")) patch.write(piece);
        patch.writeUtf8("\",\"value\":\"v");
        if (at.equals("value")) patch.write(piece);
        patch.writeUtf8("\"}]");
        Buffer body =
            new Buffer().writeUtf8("{\"cookie\":7,\"lastMutationIDChanges\":{},\"patch\":");
        body.writeAll(patch);
        checkBytes(body.writeUtf8("}").readByteArray());
      }
    }
    for (String gap : new String[] {"\ufeff", "\f", "\u000b", "\u00a0"}) {
      check(body("[{\"op\":\"clear\"}," + gap + "{\"op\":\"clear\"}]"));
      check(body("[{\"op\":" + gap + "\"clear\"}]"));
    }
    for (String number :
        new String[] {
          "1e400", "-0", "-0.0e-0", "1E+0", "0e0", "9223372036854775808", "-9223372036854775809",
          "123456789012345678901234567890", "1.", ".5", "+1", "00", "-", "NaN"
        }) {
      check(body("[{\"op\":\"put\",\"key\":\"k\",\"value\":" + number + "}]"));
      check(body("[{\"op\":\"put\",\"key\":\"k\",\"value\":[" + number + "]}]"));
    }
  }

  /**
   * Nesting near the reader's limit (256 scopes, the document, the body, the patch and the
   * operation among them): a value, and another member's value, which the reader skips with its own
   * stack, are taken or refused as the reader alone takes or refuses them.
   */
  @Test
  void deepValuesAreTakenOrRefusedAsTheReaderDoes() {
    for (int depth = 245; depth <= 258; depth++) {
      StringBuilder open = new StringBuilder();
      StringBuilder close = new StringBuilder();
      for (int i = 0; i < depth; i++) {
        open.append(i % 2 == 0 ? "[" : "{\"a\":");
        close.insert(0, i % 2 == 0 ? "]" : "}");
      }
      String deep = open + "1" + close;
      check(body("[{\"op\":\"put\",\"key\":\"k\",\"value\":" + deep + "}]"));
      check(body("[{\"op\":\"put\",\"key\":\"k\",\"value\":1,\"extra\":" + deep + "}]"));
      check(body("[{\"op\":\"clear\"},{\"extra\":" + deep + ",\"op\":\"clear\"}]"));
    }
  }

  @Test
  void operationsLargerThanTheWindowAndManyWindows() {
    StringBuilder big = new StringBuilder("\"");
    for (int i = 0; i < 200_000; i++) big.append((char) ('a' + i % 26));
    big.append('"');
    StringBuilder patch = new StringBuilder("[");
    for (int i = 0; i < 5_000; i++) {
      if (i > 0) patch.append(',');
      patch
          .append("{\"op\":\"put\",\"key\":\"k/")
          .append(i)
          .append("\",\"value\":")
          .append(i == 2_500 ? big : "{\"n\":" + i + ",\"t\":\"é😀 " + i + "\"}")
          .append('}');
    }
    patch.append(']');
    check(body(patch.toString()));
  }

  // ---- Randomized: many seeds, each a body of random operations, often broken somewhere. ----

  @Test
  void randomBodiesGiveWhatTheReaderGives() {
    int seeds = 1500;
    for (int seed = 0; seed < seeds; seed++) {
      Random random = new Random(seed);
      String json = randomBody(random);
      byte[] body = json.getBytes(StandardCharsets.UTF_8);
      if (random.nextInt(3) == 0) body = breakIt(body, random);
      try {
        Outcome expected = before(body);
        assertSame("seed " + seed, expected, after(new Buffer().write(body)));
        assertSame("seed " + seed + " (trickled)", expected, after(trickling(body, random)));
      } catch (AssertionError e) {
        fail(
            "seed "
                + seed
                + " (body "
                + new String(body, StandardCharsets.UTF_8)
                + "): "
                + e.getMessage(),
            e);
      }
    }
  }

  private static byte[] breakIt(byte[] body, Random random) {
    int at = random.nextInt(body.length);
    switch (random.nextInt(4)) {
      case 0: // Truncated.
        return java.util.Arrays.copyOf(body, at);
      case 1: // A byte gone.
        {
          byte[] out = new byte[body.length - 1];
          System.arraycopy(body, 0, out, 0, at);
          System.arraycopy(body, at + 1, out, at, body.length - at - 1);
          return out;
        }
      case 2: // A byte more.
        {
          byte[] junk = {',', ']', '}', '{', '"', '\\', ' ', 'x', '1', ':', (byte) 0xe2, 0x01};
          byte[] out = new byte[body.length + 1];
          System.arraycopy(body, 0, out, 0, at);
          out[at] = junk[random.nextInt(junk.length)];
          System.arraycopy(body, at, out, at + 1, body.length - at);
          return out;
        }
      default: // A byte changed.
        {
          byte[] out = body.clone();
          out[at] = (byte) random.nextInt(128);
          return out;
        }
    }
  }

  private static String randomBody(Random random) {
    StringBuilder json = new StringBuilder("{");
    List<String> fields = new ArrayList<>();
    fields.add("\"cookie\":" + (random.nextBoolean() ? "null" : random.nextInt(100)));
    fields.add("\"lastMutationIDChanges\":{\"c\":" + random.nextInt(9) + "}");
    StringBuilder patch = new StringBuilder("[");
    int ops = random.nextInt(10) == 0 ? 500 + random.nextInt(3000) : random.nextInt(12);
    boolean spaced = random.nextInt(8) == 0;
    for (int i = 0; i < ops; i++) {
      if (i > 0) patch.append(spaced ? " ,\n" : ",");
      patch.append(randomOperation(random));
    }
    patch.append(']');
    fields.add("\"patch\":" + patch);
    if (random.nextInt(4) == 0) {
      fields.add("\"refusedMutations\":[{\"clientID\":\"c\",\"id\":2,\"error\":\"e\"}]");
    }
    java.util.Collections.shuffle(fields, random);
    json.append(String.join(",", fields)).append('}');
    return json.toString();
  }

  private static String randomOperation(Random random) {
    List<String> members = new ArrayList<>();
    int kind = random.nextInt(20);
    String op = kind == 0 ? "clear" : kind < 4 ? "del" : "put";
    if (random.nextInt(60) == 0) op = "p\\u0075t";
    if (random.nextInt(80) == 0) op = "upsert";
    members.add(member(random, "op") + quoted(op));
    if (!op.equals("clear") || random.nextInt(4) == 0) {
      if (random.nextInt(60) != 0) members.add(member(random, "key") + randomString(random));
    }
    if (op.startsWith("p") || random.nextInt(6) == 0) {
      if (random.nextInt(60) != 0) members.add(member(random, "value") + randomValue(random, 0));
    }
    if (random.nextInt(15) == 0) members.add(member(random, "extra") + randomValue(random, 0));
    if (random.nextInt(40) == 0) members.add(member(random, "value") + randomValue(random, 0));
    if (random.nextInt(3) == 0) java.util.Collections.shuffle(members, random);
    String gap = random.nextInt(20) == 0 ? " " : "";
    return "{" + gap + String.join("," + gap, members) + gap + "}";
  }

  private static String member(Random random, String name) {
    if (random.nextInt(50) == 0)
      name = name.charAt(0) + "\\u00" + Integer.toHexString(name.charAt(1)) + name.substring(2);
    return random.nextInt(30) == 0 ? "\"" + name + "\" : " : "\"" + name + "\":";
  }

  private static String quoted(String text) {
    return "\"" + text + "\"";
  }

  private static final String[] PIECES = {
    "a",
    "message/",
    "m0001",
    "é",
    "😀",
    "\u2028",
    "\\u2028",
    "\\n",
    "\\t",
    "\\\"",
    "\\\\",
    "\\/",
    "\\u0041",
    "\\u001f",
    "\\u001F",
    "\u0001",
    "€",
    " ",
    "\\u00e9",
    "\\ud83d\\ude00",
    "\\b",
    "\\f",
    "\\r",
    "x y",
    "{",
    "]",
  };

  private static String randomString(Random random) {
    StringBuilder text = new StringBuilder("\"");
    int pieces = random.nextInt(6);
    for (int i = 0; i < pieces; i++) {
      // Mostly plain text; escapes and odd characters now and then.
      text.append(
          random.nextInt(4) == 0
              ? PIECES[random.nextInt(PIECES.length)]
              : PIECES[random.nextInt(3)]);
    }
    return text.append('"').toString();
  }

  private static final String[] NUMBERS = {
    "0",
    "-0",
    "1",
    "42",
    "-17",
    "1.5",
    "1.50",
    "1e5",
    "1E+5",
    "2.5e-3",
    "12345678901234567890123",
    "0.0",
    "-1.0e0"
  };

  private static String randomValue(Random random, int depth) {
    int kind = random.nextInt(depth > 3 ? 5 : 8);
    String gap = random.nextInt(25) == 0 ? " " : "";
    switch (kind) {
      case 0:
        return randomString(random);
      case 1:
        return NUMBERS[random.nextInt(NUMBERS.length)];
      case 2:
        return random.nextBoolean() ? "true" : "false";
      case 3:
        return "null";
      case 4:
        return randomString(random);
      case 5:
      case 6:
        {
          StringBuilder object = new StringBuilder("{" + gap);
          int n = random.nextInt(4);
          for (int i = 0; i < n; i++) {
            if (i > 0) object.append(",").append(gap);
            object.append(randomString(random)).append(':').append(gap);
            object.append(randomValue(random, depth + 1));
          }
          return object.append(gap).append('}').toString();
        }
      default:
        {
          StringBuilder array = new StringBuilder("[");
          int n = random.nextInt(4);
          for (int i = 0; i < n; i++) {
            if (i > 0) array.append(",").append(gap);
            array.append(randomValue(random, depth + 1));
          }
          return array.append(']').toString();
        }
    }
  }
}
