package dev.tandem.protocol;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonEncodingException;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import okio.Buffer;

/**
 * A JSON value kept as compact text: mutation {@code args}, patch values, cookies. Tandem passes
 * these through (server to SQLite, SQLite to server) far more often than it looks inside them, so
 * it keeps the text and never round-trips it through {@code Map}s and {@code Double}s.
 *
 * <p>Instances are validated on creation: the text is always one well-formed JSON value with no
 * insignificant whitespace. Number literals are kept exactly as written ({@code 4} stays {@code 4},
 * it does not become {@code 4.0}). Object keys keep their order, so equality is textual: {@code
 * {"a":1,"b":2}} and {@code {"b":2,"a":1}} are different {@code RawJson}s.
 *
 * <p>Immutable and thread-safe.
 */
public final class RawJson {
  /** The JSON literal {@code null}. */
  public static final RawJson NULL = new RawJson("null");

  private final String json;

  private RawJson(String json) {
    this.json = json;
  }

  /**
   * Parses and compacts {@code json}.
   *
   * @throws IllegalArgumentException if {@code json} is not exactly one well-formed JSON value.
   */
  public static RawJson parse(String json) {
    if ("null".equals(json)) return NULL;
    JsonReader reader = JsonReader.of(new Buffer().writeUtf8(json));
    try {
      RawJson result = read(reader);
      if (reader.peek() != JsonReader.Token.END_DOCUMENT) {
        throw new JsonDataException("Trailing content after the JSON value at " + reader.getPath());
      }
      return result;
    } catch (IOException | JsonDataException e) {
      throw new IllegalArgumentException("Not a JSON value: " + e.getMessage(), e);
    }
  }

  /**
   * {@code json}, already known to be canonical ({@link CanonicalJson}): kept as it is, unchecked.
   */
  static RawJson canonical(String json) {
    return new RawJson(json);
  }

  /** A JSON string holding {@code value}. */
  public static RawJson string(String value) {
    Buffer buffer = new Buffer();
    try (JsonWriter writer = JsonWriter.of(buffer)) {
      writer.value(value);
    } catch (IOException e) {
      throw new AssertionError(e); // A Buffer does not throw.
    }
    return new RawJson(buffer.readUtf8());
  }

  /** Writes one JSON value to a {@link JsonWriter}. */
  public interface Writing {
    void write(JsonWriter writer) throws IOException;
  }

  /**
   * The value {@code writing} writes, for building values without parsing text: {@code
   * RawJson.build(w -> w.beginObject().name("n").value(1).endObject())}. Like Moshi (and
   * JavaScript's {@code JSON.stringify} with unset fields), an object member whose value is null is
   * left out; an adapter made with {@code serializeNulls()} writes it.
   *
   * @throws IllegalStateException if it writes no value or an incomplete one.
   */
  public static RawJson build(Writing writing) {
    Buffer buffer = new Buffer();
    JsonWriter writer = JsonWriter.of(buffer);
    try {
      writing.write(writer);
      writer.close(); // Throws if a document is incomplete.
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    if (buffer.size() == 0) throw new IllegalStateException("no JSON value was written");
    return new RawJson(buffer.readUtf8());
  }

  /** A JSON number holding {@code value}. */
  public static RawJson number(long value) {
    return new RawJson(Long.toString(value));
  }

  /**
   * Reads the next value from {@code reader}. The value's text is taken as it is when it is already
   * compact and canonically escaped (what servers send, and what Moshi writes); otherwise it is
   * parsed token by token and compacted. Either way the result is the same.
   *
   * @throws com.squareup.moshi.JsonEncodingException if the input is not well-formed JSON.
   */
  public static RawJson read(JsonReader reader) throws IOException {
    JsonReader.Token token = reader.peek();
    if (token == JsonReader.Token.NULL) {
      reader.nextNull();
      return NULL;
    }
    if (token == JsonReader.Token.NAME
        || token == JsonReader.Token.END_ARRAY
        || token == JsonReader.Token.END_OBJECT
        || token == JsonReader.Token.END_DOCUMENT) {
      throw new JsonDataException(
          "Expected a JSON value but was " + token + " at path " + reader.getPath());
    }
    byte[] utf8;
    try (okio.BufferedSource source = reader.nextSource()) {
      utf8 = source.readByteArray();
    }
    String text = new String(utf8, StandardCharsets.UTF_8);
    if (CanonicalJson.is(utf8)) return new RawJson(text);
    return compact(text, reader);
  }

  /** The slow path of {@link #read}: {@code text} copied token by token. */
  private static RawJson compact(String text, JsonReader outer) throws IOException {
    JsonReader reader = JsonReader.of(new Buffer().writeUtf8(text));
    reader.setLenient(outer.isLenient());
    Buffer buffer = new Buffer();
    JsonWriter writer = JsonWriter.of(buffer);
    writer.setSerializeNulls(true);
    try {
      copyValue(reader, writer);
      if (reader.peek() != JsonReader.Token.END_DOCUMENT) {
        throw new JsonEncodingException("Trailing content in the value");
      }
    } catch (JsonEncodingException e) {
      throw new JsonEncodingException(
          e.getMessage() + " (in the value at " + valuePath(outer) + ")");
    } catch (JsonDataException e) {
      throw new JsonDataException(e.getMessage() + " (in the value at " + valuePath(outer) + ")");
    }
    writer.close();
    return new RawJson(buffer.readUtf8());
  }

  /**
   * The path of the value just consumed: in an object it ends with the value's name; in an array
   * the reader has already moved its index past the value, so step it back.
   */
  private static String valuePath(JsonReader reader) {
    String path = reader.getPath();
    if (!path.endsWith("]")) return path;
    int open = path.lastIndexOf('[');
    try {
      int index = Integer.parseInt(path.substring(open + 1, path.length() - 1));
      return path.substring(0, open + 1) + Math.max(0, index - 1) + "]";
    } catch (NumberFormatException e) {
      return path;
    }
  }

  /** Writes this value to {@code writer} as it is. */
  public void write(JsonWriter writer) throws IOException {
    if (this == NULL) {
      boolean serializeNulls = writer.getSerializeNulls();
      writer.setSerializeNulls(true);
      writer.nullValue();
      writer.setSerializeNulls(serializeNulls);
      return;
    }
    try (okio.BufferedSink sink = writer.valueSink()) {
      sink.writeUtf8(json);
    }
  }

  /** A reader positioned at the start of this value. */
  public JsonReader reader() {
    return JsonReader.of(new Buffer().writeUtf8(json));
  }

  /** True for the JSON literal {@code null}. */
  public boolean isNull() {
    return this == NULL;
  }

  /** The compact JSON text. */
  @Override
  public String toString() {
    return json;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RawJson && ((RawJson) other).json.equals(json);
  }

  @Override
  public int hashCode() {
    return json.hashCode();
  }

  /** Copies exactly one value (scalar, array or object) from {@code reader} to {@code writer}. */
  static void copyValue(JsonReader reader, JsonWriter writer) throws IOException {
    int depth = 0;
    do {
      JsonReader.Token token = reader.peek();
      switch (token) {
        case BEGIN_ARRAY:
          reader.beginArray();
          writer.beginArray();
          depth++;
          break;
        case END_ARRAY:
          reader.endArray();
          writer.endArray();
          depth--;
          break;
        case BEGIN_OBJECT:
          reader.beginObject();
          writer.beginObject();
          depth++;
          break;
        case END_OBJECT:
          reader.endObject();
          writer.endObject();
          depth--;
          break;
        case NAME:
          writer.name(reader.nextName());
          break;
        case STRING:
          writer.value(reader.nextString());
          break;
        case NUMBER:
          writer.value(new NumberLiteral(reader.nextString()));
          break;
        case BOOLEAN:
          writer.value(reader.nextBoolean());
          break;
        case NULL:
          reader.nextNull();
          writer.nullValue();
          break;
        default:
          throw new JsonDataException(
              "Expected a JSON value but was " + token + " at path " + reader.getPath());
      }
    } while (depth > 0);
  }

  /**
   * A number kept as its JSON literal, so that copying it writes the same characters. Moshi's
   * writer emits {@code Number.toString()} verbatim.
   */
  static final class NumberLiteral extends Number {
    private static final long serialVersionUID = 1L;
    private final String literal;

    NumberLiteral(String literal) {
      this.literal = literal;
    }

    @Override
    public int intValue() {
      return (int) doubleValue();
    }

    @Override
    public long longValue() {
      return (long) doubleValue();
    }

    @Override
    public float floatValue() {
      return (float) doubleValue();
    }

    @Override
    public double doubleValue() {
      return Double.parseDouble(literal);
    }

    @Override
    public String toString() {
      return literal;
    }
  }
}
