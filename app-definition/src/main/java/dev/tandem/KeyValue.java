package dev.tandem;

import dev.tandem.internal.app.JsonCodec;

/** One entry of a {@link ReadTransaction#scan}. Immutable. */
public final class KeyValue {
  private final String key;
  private final String json;
  private final JsonCodec codec;

  KeyValue(String key, String json, JsonCodec codec) {
    this.key = key;
    this.json = json;
    this.codec = codec;
  }

  /** The entry's key. */
  public String key() {
    return key;
  }

  /**
   * The value as a plain JSON value: {@code Map<String, Object>}, {@code List<Object>}, {@code
   * String}, {@code Double}, {@code Boolean}, or null. Parsed on each call.
   */
  public Object value() {
    return codec.fromJson(json, Object.class);
  }

  /**
   * The value mapped to {@code type} through Moshi.
   *
   * @throws IllegalArgumentException if the JSON does not map to {@code type}.
   */
  public <T> T value(Class<T> type) {
    return codec.fromJson(json, type);
  }

  /** The value as compact JSON text. */
  public String json() {
    return json;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyValue
        && ((KeyValue) o).key.equals(key)
        && ((KeyValue) o).json.equals(json);
  }

  @Override
  public int hashCode() {
    return key.hashCode() * 31 + json.hashCode();
  }

  @Override
  public String toString() {
    return key + "=" + json;
  }
}
