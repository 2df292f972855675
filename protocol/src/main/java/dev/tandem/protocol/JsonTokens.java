package dev.tandem.protocol;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonReader;
import java.io.IOException;

/**
 * Strict readers for single JSON tokens. Moshi's own {@code nextString} and {@code nextLong} coerce
 * between strings and numbers; the protocol does not, so every read checks the token first and
 * names the JSON path when it is wrong.
 */
final class JsonTokens {
  private JsonTokens() {}

  static String string(JsonReader reader) throws IOException {
    expect(JsonReader.Token.STRING, "a string", reader);
    return reader.nextString();
  }

  /** A JSON number that is an integer (no fraction) and fits a {@code long}. */
  static long integer(JsonReader reader) throws IOException {
    expect(JsonReader.Token.NUMBER, "an integer", reader);
    return reader.nextLong(); // Throws JsonDataException with the path for 1.5 or 1e30.
  }

  /** A JSON number that is an integer and fits an {@code int}. */
  static int int32(JsonReader reader) throws IOException {
    expect(JsonReader.Token.NUMBER, "an integer", reader);
    return reader.nextInt();
  }

  static double number(JsonReader reader) throws IOException {
    expect(JsonReader.Token.NUMBER, "a number", reader);
    return reader.nextDouble();
  }

  static void beginObject(JsonReader reader) throws IOException {
    expect(JsonReader.Token.BEGIN_OBJECT, "an object", reader);
    reader.beginObject();
  }

  static void beginArray(JsonReader reader) throws IOException {
    expect(JsonReader.Token.BEGIN_ARRAY, "an array", reader);
    reader.beginArray();
  }

  /** Checks that the next token is {@code token}, described as {@code what} if it is not. */
  private static void expect(JsonReader.Token token, String what, JsonReader reader)
      throws IOException {
    JsonReader.Token actual = reader.peek();
    if (actual != token) throw expected(what, actual, reader);
  }

  static JsonDataException expected(String what, JsonReader.Token actual, JsonReader reader) {
    return new JsonDataException(
        "Expected " + what + " but was " + actual + " at path " + reader.getPath());
  }

  static JsonDataException missing(String name, String objectPath) {
    return new JsonDataException("Required value '" + name + "' missing at " + objectPath);
  }

  static void require(Object value, String name, String objectPath) {
    if (value == null) throw missing(name, objectPath);
  }
}
