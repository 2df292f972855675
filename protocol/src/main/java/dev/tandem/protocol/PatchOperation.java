package dev.tandem.protocol;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import java.io.IOException;

/**
 * One operation of a pull response's patch: {@code put} a key's value, {@code del} a key, or {@code
 * clear} the whole client view. Ops apply in array order. Immutable.
 */
public final class PatchOperation {
  /** The kind of operation. */
  public enum Op {
    PUT("put"),
    DEL("del"),
    CLEAR("clear");

    final String wireName;

    Op(String wireName) {
      this.wireName = wireName;
    }
  }

  private static final PatchOperation CLEAR = new PatchOperation(Op.CLEAR, null, null);

  private final Op op;
  private final String key;
  private final RawJson value;

  private PatchOperation(Op op, String key, RawJson value) {
    this.op = op;
    this.key = key;
    this.value = value;
  }

  public static PatchOperation put(String key, RawJson value) {
    if (key == null || value == null) throw new NullPointerException();
    return new PatchOperation(Op.PUT, key, value);
  }

  public static PatchOperation del(String key) {
    if (key == null) throw new NullPointerException();
    return new PatchOperation(Op.DEL, key, null);
  }

  public static PatchOperation clear() {
    return CLEAR;
  }

  public Op op() {
    return op;
  }

  /** The key of a put or del; null for clear. */
  public String key() {
    return key;
  }

  /** The value of a put; null for del and clear. A put of JSON null is {@link RawJson#NULL}. */
  public RawJson value() {
    return value;
  }

  /** The member names of an operation, matched without making a string of each. */
  private static final JsonReader.Options NAMES = JsonReader.Options.of("op", "key", "value");

  /** The ops, in {@link Op} order. */
  private static final JsonReader.Options OPS = JsonReader.Options.of("put", "del", "clear");

  private static final Op[] OP_VALUES = Op.values();

  public static PatchOperation read(JsonReader reader) throws IOException {
    // Paths are worked out only for errors: getPath() per operation is a measurable cost in a
    // first pull of a million. Names and ops are matched against their bytes (selectName and
    // selectString) rather than read as strings: three or four strings less per operation.
    Op op = null;
    String opName = null;
    String key = null;
    RawJson value = null;
    String lastName = null;
    JsonTokens.beginObject(reader);
    while (reader.hasNext()) {
      switch (reader.selectName(NAMES)) {
        case 0:
          lastName = "op";
          JsonReader.Token token = reader.peek();
          if (token != JsonReader.Token.STRING)
            throw JsonTokens.expected("a string", token, reader);
          int known = reader.selectString(OPS);
          if (known >= 0) {
            op = OP_VALUES[known];
            opName = op.wireName;
          } else {
            op = null;
            opName = reader.nextString(); // Not an op: reported below.
          }
          break;
        case 1:
          lastName = "key";
          key = JsonTokens.string(reader);
          break;
        case 2:
          lastName = "value";
          value = RawJson.read(reader);
          break;
        default:
          lastName = reader.nextName();
          reader.skipValue();
      }
    }
    PatchOperation result = of(op, key, value);
    if (result == null) throw invalid(reader, lastName, opName, key);
    reader.endObject();
    return result;
  }

  /** The operation, or null if a field it needs is missing or the op is unknown. */
  static PatchOperation of(Op op, String key, RawJson value) {
    if (op == null) return null;
    switch (op) {
      case PUT:
        return key == null || value == null ? null : new PatchOperation(Op.PUT, key, value);
      case DEL:
        return key == null ? null : new PatchOperation(Op.DEL, key, null);
      default:
        return CLEAR;
    }
  }

  /** The error for an operation {@link #of} refused, read while still inside its object. */
  private static JsonDataException invalid(
      JsonReader reader, String lastName, String opName, String key) {
    // Inside the object the path ends with the last name read ("$.patch[1].key", or "$.patch[1]."
    // for an empty object): strip it to get the object's own path.
    String inner = reader.getPath();
    String path =
        inner.substring(0, inner.length() - 1 - (lastName == null ? 0 : lastName.length()));
    if (opName == null) return JsonTokens.missing("op", path);
    switch (opName) {
      case "put":
        return JsonTokens.missing(key == null ? "key" : "value", path);
      case "del":
        return JsonTokens.missing("key", path);
      default:
        return new JsonDataException(
            "Unknown patch op '" + opName + "' (expected put, del or clear) at " + path + ".op");
    }
  }

  public void write(JsonWriter writer) throws IOException {
    writer.beginObject();
    writer.name("op").value(op.wireName);
    if (key != null) writer.name("key").value(key);
    if (value != null) {
      writer.name("value");
      value.write(writer);
    }
    writer.endObject();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PatchOperation)) return false;
    PatchOperation other = (PatchOperation) o;
    return op == other.op && equal(key, other.key) && equal(value, other.value);
  }

  private static boolean equal(Object a, Object b) {
    return a == null ? b == null : a.equals(b);
  }

  @Override
  public int hashCode() {
    return op.hashCode() * 31 + (key == null ? 0 : key.hashCode());
  }

  @Override
  public String toString() {
    return op.wireName + (key == null ? "" : " " + key) + (value == null ? "" : " " + value);
  }
}
