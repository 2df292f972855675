package dev.tandem.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonEncodingException;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import java.io.IOException;
import java.util.Random;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/**
 * {@link RawJson#read} keeps canonical text as it is and compacts everything else; both paths must
 * give the text Moshi's writer gives for the same value.
 */
class RawJsonReadTest {
  private static String read(String json) throws IOException {
    JsonReader reader = JsonReader.of(new Buffer().writeUtf8("[" + json + "]"));
    reader.beginArray();
    String text = RawJson.read(reader).toString();
    reader.endArray();
    return text;
  }

  @Test
  void canonicalTextIsKeptAsItIs() throws IOException {
    for (String json :
        new String[] {
          "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}",
          "\"\\u001f\\t\\b\\n\\r\\f\\\"\\\\\\u2028\\u2029\"",
          "\"é€😀\u007f\"",
          "-0",
          "1.5e-3",
          "1E+5",
          "12345678901234567890123",
          "[]",
          "{}",
          "[[],{},\"\"]",
        }) {
      assertTrue(CanonicalJson.is(json), "takes the fast path: " + json);
      assertEquals(json, read(json), json);
    }
  }

  @Test
  void otherSpellingsOfTheSameValueAreCompacted() throws IOException {
    for (String json : new String[] {"{ \"a\" : 1 }", "\"\\u0041\"", "\"\\/\"", "\"\\u001F\""}) {
      assertFalse(CanonicalJson.is(json), "takes the slow path: " + json);
    }
    assertEquals("{\"a\":1}", read("{ \"a\" : 1 }"));
    assertEquals("[1,2]", read("[1,\n 2]"));
    assertEquals("\"A/\"", read("\"\\u0041\\/\""));
    assertEquals("\"\\u001f\"", read("\"\\u001F\""));
    assertEquals("\"\\n\"", read("\"\\u000a\""));
    assertEquals("\"\\u2028\"", read("\"\u2028\""));
  }

  /**
   * The fast path's check reads the value's UTF-8 bytes: it must answer as for the text they decode
   * to, malformed bytes included (each decodes to U+FFFD, and never takes in an ASCII byte).
   */
  @Test
  void theBytesAreCheckedAsTheTextTheyDecodeTo() throws IOException {
    byte q = '"';
    byte[][] values = {
      {q, (byte) 0xc3, 0x0a, q}, // A broken pair, then a newline: still a control character.
      {q, (byte) 0xe2, (byte) 0x80, (byte) 0xa8, q}, // U+2028 unescaped.
      {q, (byte) 0xe2, (byte) 0xe2, (byte) 0x80, (byte) 0xa9, q}, // A stray byte, then U+2029.
      {q, (byte) 0xe2, (byte) 0x80, q}, // A truncated character before the closing quote.
      {q, (byte) 0xff, 'a', q}, // Not UTF-8 at all.
      {q, (byte) 0xe2, (byte) 0x80, (byte) 0xaa, q}, // U+202A: kept as it is.
      {q, (byte) 0xc3, (byte) 0xa9, q}, // é.
    };
    for (byte[] value : values) {
      String decoded = new String(value, java.nio.charset.StandardCharsets.UTF_8);
      String expected = RawJson.string(decoded.substring(1, decoded.length() - 1)).toString();
      assertEquals(expected.equals(decoded), CanonicalJson.is(value), decoded);
      JsonReader reader = JsonReader.of(new Buffer().writeByte('[').write(value).writeByte(']'));
      reader.beginArray();
      assertEquals(expected, RawJson.read(reader).toString(), decoded);
    }
  }

  @Test
  void malformedValuesAreEncodingErrorsWithTheirPath() {
    for (String json : new String[] {"{\"a\":1 \"b\":2}", "[1,]", "[01]", "{\"a\"}", "\"\\x\""}) {
      JsonEncodingException e =
          assertThrows(
              JsonEncodingException.class,
              () -> {
                JsonReader reader =
                    JsonReader.of(new Buffer().writeUtf8("{\"value\":" + json + "}"));
                reader.beginObject();
                reader.nextName();
                RawJson.read(reader);
              },
              json);
      assertTrue(e.getMessage().contains("$.value"), e.getMessage());
    }
  }

  @Test
  void nestingBeyondMoshisLimitIsRefused() {
    StringBuilder deep = new StringBuilder();
    for (int i = 0; i < 300; i++) deep.append('[');
    for (int i = 0; i < 300; i++) deep.append(']');
    JsonDataException e = assertThrows(JsonDataException.class, () -> read(deep.toString()));
    assertTrue(e.getMessage().contains("Nesting too deep"), e.getMessage());
    assertTrue(e.getMessage().endsWith("(in the value at $[0])"), e.getMessage());
  }

  /**
   * Random values, written by Moshi (canonical, the fast path) and again with random whitespace and
   * needless escapes (the slow path): both read back as Moshi's text.
   */
  @Test
  void randomValuesReadBackAsMoshiWritesThem() throws IOException {
    Random random = new Random(42);
    for (int i = 0; i < 2_000; i++) {
      long seed = random.nextLong();
      Buffer canonical = new Buffer();
      JsonWriter writer = JsonWriter.of(canonical);
      writer.setSerializeNulls(true);
      new Generator(new Random(seed), null).value(writer, 0);
      writer.close();
      String expected = canonical.readUtf8();
      assertTrue(CanonicalJson.is(expected), "Moshi's own text takes the fast path: " + expected);
      assertEquals(expected, read(expected), "canonical, seed " + seed);

      StringBuilder noisy = new StringBuilder();
      Generator generator = new Generator(new Random(seed), noisy);
      generator.value(null, 0);
      assertEquals(expected, read(noisy.toString()), "noisy " + noisy + ", seed " + seed);
    }
  }

  /** Writes one random value, canonically to a JsonWriter or noisily to text, from one seed. */
  private static final class Generator {
    private static final String CHARS = "aZ09 \"\\/\t\n\u0001\u001f\u007f\u00e9\u2028\u2029\u20ac";
    private final Random random;
    private final StringBuilder noisy;
    private final Random noise = new Random(7);

    Generator(Random random, StringBuilder noisy) {
      this.random = random;
      this.noisy = noisy;
    }

    void value(JsonWriter writer, int depth) throws IOException {
      int kind = random.nextInt(depth > 3 ? 4 : 6);
      switch (kind) {
        case 0:
          string(writer, randomString(), false);
          break;
        case 1:
          String number = randomNumber();
          if (writer != null) writer.jsonValue(new RawJson.NumberLiteral(number));
          else text(number);
          break;
        case 2:
          boolean b = random.nextBoolean();
          if (writer != null) writer.value(b);
          else text(Boolean.toString(b));
          break;
        case 3:
          if (writer != null) writer.nullValue();
          else text("null");
          break;
        case 4:
          int n = random.nextInt(4);
          if (writer != null) writer.beginArray();
          else text("[");
          for (int i = 0; i < n; i++) {
            if (i > 0 && writer == null) text(",");
            value(writer, depth + 1);
          }
          if (writer != null) writer.endArray();
          else text("]");
          break;
        default:
          int m = random.nextInt(4);
          if (writer != null) writer.beginObject();
          else text("{");
          for (int i = 0; i < m; i++) {
            if (i > 0 && writer == null) text(",");
            string(writer, "k" + i + randomString(), true);
            if (writer == null) text(":");
            value(writer, depth + 1);
          }
          if (writer != null) writer.endObject();
          else text("}");
      }
    }

    private void string(JsonWriter writer, String value, boolean name) throws IOException {
      if (writer != null) {
        if (name) writer.name(value);
        else writer.value(value);
        return;
      }
      StringBuilder s = new StringBuilder("\"");
      for (char c : value.toCharArray()) {
        if (c == '"' || c == '\\' || c < 0x20 || noise.nextInt(4) == 0) {
          s.append(String.format(noise.nextBoolean() ? "\\u%04x" : "\\u%04X", (int) c));
        } else if (c == '/' && noise.nextBoolean()) {
          s.append("\\/");
        } else {
          s.append(c);
        }
      }
      text(s.append('"').toString());
    }

    private void text(String token) {
      noisy.append(token);
      if (noise.nextInt(3) == 0) noisy.append(" \n\t\r".charAt(noise.nextInt(4)));
    }

    private String randomString() {
      StringBuilder s = new StringBuilder();
      int n = random.nextInt(6);
      for (int i = 0; i < n; i++) s.append(CHARS.charAt(random.nextInt(CHARS.length())));
      return s.toString();
    }

    private String randomNumber() {
      switch (random.nextInt(5)) {
        case 0:
          return Long.toString(random.nextLong());
        case 1:
          return "-0";
        case 2:
          return random.nextInt(1000) + "." + random.nextInt(1000);
        case 3:
          return (random.nextBoolean() ? "-" : "") + "1e" + (random.nextBoolean() ? "-" : "+") + 7;
        default:
          return Integer.toString(random.nextInt(10));
      }
    }
  }
}
