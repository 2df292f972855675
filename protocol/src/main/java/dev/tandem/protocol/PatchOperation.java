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

  public static PatchOperation read(JsonReader reader) throws IOException {
    String path = reader.getPath();
    String opName = null;
    String opPath = null;
    String key = null;
    RawJson value = null;
    JsonTokens.beginObject(reader);
    while (reader.hasNext()) {
      switch (reader.nextName()) {
        case "op":
          opPath = reader.getPath();
          opName = JsonTokens.string(reader);
          break;
        case "key":
          key = JsonTokens.string(reader);
          break;
        case "value":
          value = RawJson.read(reader);
          break;
        default:
          reader.skipValue();
      }
    }
    reader.endObject();
    JsonTokens.require(opName, "op", path);
    switch (opName) {
      case "put":
        JsonTokens.require(key, "key", path);
        JsonTokens.require(value, "value", path);
        return put(key, value);
      case "del":
        JsonTokens.require(key, "key", path);
        return del(key);
      case "clear":
        return CLEAR;
      default:
        throw new JsonDataException(
            "Unknown patch op '" + opName + "' (expected put, del or clear) at " + opPath);
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
