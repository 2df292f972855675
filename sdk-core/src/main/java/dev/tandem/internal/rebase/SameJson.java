package dev.tandem.internal.rebase;

import com.squareup.moshi.JsonReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okio.Buffer;

/**
 * Whether two JSON texts are the same value: objects compared as unordered members, arrays in
 * order, strings by their decoded characters, numbers by their literal text ({@code 1} and {@code
 * 1.0} differ, so no two distinct numbers are ever taken as one). Conservative: malformed text or
 * an object with a repeated member name is never the same as anything. A pull's patch echoing a
 * pending mutation's write usually differs from the local text only in member order (the server
 * writes its own JSON), which is what this looks through.
 */
final class SameJson {
  private SameJson() {}

  /** The marker for a JSON null in a parsed tree (a map cannot hold null values to compare). */
  private static final Object NULL = new Object();

  static boolean same(String a, String b) {
    if (a == null || b == null) return a == null && b == null;
    if (a.equals(b)) return true;
    // Members reordered keep the length; anything else (escapes, spacing) is written again.
    if (a.length() != b.length()) return false;
    try {
      Object left = parse(a);
      Object right = parse(b);
      return left != null && right != null && left.equals(right);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The tree of {@code json}, or null if it has a repeated member name or trailing text. */
  private static Object parse(String json) throws IOException {
    JsonReader reader = JsonReader.of(new Buffer().writeUtf8(json));
    Object value = read(reader);
    if (value == null || reader.peek() != JsonReader.Token.END_DOCUMENT) return null;
    return value;
  }

  private static Object read(JsonReader reader) throws IOException {
    switch (reader.peek()) {
      case BEGIN_OBJECT:
        Map<String, Object> members = new HashMap<>();
        reader.beginObject();
        while (reader.hasNext()) {
          String name = reader.nextName();
          Object value = read(reader);
          if (value == null || members.put(name, value) != null) return null;
        }
        reader.endObject();
        return members;
      case BEGIN_ARRAY:
        List<Object> items = new ArrayList<>();
        reader.beginArray();
        while (reader.hasNext()) {
          Object value = read(reader);
          if (value == null) return null;
          items.add(value);
        }
        reader.endArray();
        return items;
      case STRING:
        return "s" + reader.nextString();
      case NUMBER:
        return "n" + reader.nextString(); // Its literal text.
      case BOOLEAN:
        return reader.nextBoolean();
      case NULL:
        reader.nextNull();
        return NULL;
      default:
        return null;
    }
  }
}
