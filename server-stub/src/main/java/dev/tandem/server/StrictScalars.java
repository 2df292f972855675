package dev.tandem.server;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import com.squareup.moshi.Moshi;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Set;

/**
 * Moshi's own adapters for strings and numbers coerce: {@code "1"} reads as the number 1, {@code 5}
 * as the string "5". Args of {@link Mutator#typed} mutators are decoded strictly instead: a JSON
 * string only into a {@code String} or {@code char}, a JSON number only into a number; anything
 * else fails the mutation (which the push then skips for good, PROTOCOL.md server rule 3).
 */
final class StrictScalars implements JsonAdapter.Factory {
  /** A Moshi that decodes scalars strictly. Thread-safe. */
  static final Moshi MOSHI = new Moshi.Builder().add(new StrictScalars()).build();

  private StrictScalars() {}

  @Override
  public JsonAdapter<?> create(Type type, Set<? extends Annotation> annotations, Moshi moshi) {
    JsonReader.Token token = expected(type);
    if (token == null) return null;
    String expected = token == JsonReader.Token.STRING ? "a string" : "a number";
    JsonAdapter<Object> next = moshi.nextAdapter(this, type, annotations);
    return new JsonAdapter<Object>() {
      @Override
      public Object fromJson(JsonReader reader) throws IOException {
        JsonReader.Token actual = reader.peek();
        if (actual != token && actual != JsonReader.Token.NULL) {
          throw new JsonDataException(
              "Expected " + expected + " but was " + actual + " at path " + reader.getPath());
        }
        return next.fromJson(reader); // Moshi's adapter decides about null.
      }

      @Override
      public void toJson(JsonWriter writer, Object value) throws IOException {
        next.toJson(writer, value);
      }
    };
  }

  /** What a JSON value for {@code type} must be, or null for types Moshi already reads strictly. */
  private static JsonReader.Token expected(Type type) {
    if (type == String.class || type == char.class || type == Character.class) {
      return JsonReader.Token.STRING;
    }
    if (type == long.class
        || type == Long.class
        || type == int.class
        || type == Integer.class
        || type == short.class
        || type == Short.class
        || type == byte.class
        || type == Byte.class
        || type == double.class
        || type == Double.class
        || type == float.class
        || type == Float.class) {
      return JsonReader.Token.NUMBER;
    }
    return null;
  }
}
