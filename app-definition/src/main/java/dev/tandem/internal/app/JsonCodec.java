package dev.tandem.internal.app;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.Moshi;
import java.io.IOException;

/** JSON through the app's Moshi. Adapters are cached by Moshi. Thread-safe. */
public final class JsonCodec {
  private final Moshi moshi;

  /**
   * {@link #toJson}'s adapter per value class, looked up once: Moshi's own cache is keyed by type
   * and annotations, built and locked on every lookup. (No {@code ClassValue}: Android has it from
   * API 34 only.)
   */
  private final java.util.concurrent.ConcurrentHashMap<Class<?>, JsonAdapter<Object>> writers =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** See {@link #standardAdapters}; null until first asked. */
  private volatile Boolean standard;

  public JsonCodec(Moshi moshi) {
    this.moshi = moshi;
  }

  /**
   * True if this Moshi reads and writes maps, lists, strings, booleans and {@code Long}, {@code
   * Integer} and {@code Double} numbers with Moshi's built-in adapters (no adapter of the app's
   * replaces them): their JSON text and its parse are then known without running Moshi (see {@code
   * TableRow} in sdk-core). The same test {@code BoundMutators} makes for native args.
   */
  public boolean standardAdapters() {
    Boolean known = standard;
    if (known == null) {
      Moshi plain = new Moshi.Builder().build();
      boolean same = true;
      for (Class<?> type :
          new Class<?>[] {
            Object.class,
            java.util.Map.class,
            java.util.List.class,
            String.class,
            Boolean.class,
            Long.class,
            Integer.class,
            Double.class
          }) {
        same &= moshi.adapter(type).toString().equals(plain.adapter(type).toString());
      }
      standard = known = same;
    }
    return known;
  }

  /**
   * False if {@code s} has an unpaired surrogate: Moshi writes it as {@code ?} in UTF-8, so it does
   * not read back as it was.
   */
  public static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!Character.isSurrogate(c)) continue;
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
        continue;
      }
      return false;
    }
    return true;
  }

  public <T> T fromJson(String json, Class<T> type) {
    try {
      return moshi.adapter(type).fromJson(json);
    } catch (IOException | JsonDataException e) {
      throw new IllegalArgumentException(
          "cannot read "
              + type.getSimpleName()
              + " from "
              + abbreviate(json)
              + ": "
              + e.getMessage(),
          e);
    }
  }

  public String toJson(Object value) {
    if (value == null) return "null";
    Class<?> type = value.getClass();
    JsonAdapter<Object> adapter = writers.get(type);
    if (adapter == null) {
      @SuppressWarnings("unchecked")
      JsonAdapter<Object> found = (JsonAdapter<Object>) moshi.adapter(valueType(type));
      adapter = found;
      writers.put(type, adapter);
    }
    return adapter.toJson(value);
  }

  /** Maps, lists and boxed primitives go through Moshi's Object adapter; anything else by class. */
  private static Class<?> valueType(Class<?> type) {
    if (java.util.Map.class.isAssignableFrom(type)
        || java.util.List.class.isAssignableFrom(type)
        || type == String.class
        || Number.class.isAssignableFrom(type)
        || type == Boolean.class) {
      return Object.class;
    }
    return type;
  }

  public <T> T fromJsonValue(Object value, Class<T> type) {
    try {
      return moshi.adapter(type).fromJsonValue(value);
    } catch (JsonDataException e) {
      throw new IllegalArgumentException(
          "cannot map a row to " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /** A value as plain JSON values (maps, lists, strings, doubles, booleans). */
  @SuppressWarnings("unchecked")
  public Object toJsonValue(Object value) {
    if (value == null) return null;
    JsonAdapter<Object> adapter = (JsonAdapter<Object>) moshi.adapter(valueType(value.getClass()));
    return adapter.toJsonValue(value);
  }

  public static String abbreviate(String json) {
    return json.length() <= 80 ? json : json.substring(0, 77) + "...";
  }
}
