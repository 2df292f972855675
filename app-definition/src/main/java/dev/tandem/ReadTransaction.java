package dev.tandem;

import java.util.List;

/**
 * A consistent read of the local client view: every read in one transaction sees the same state.
 * Values are JSON; {@link #get(String)} returns them as plain Java values ({@code Map<String,
 * Object>}, {@code List<Object>}, {@code String}, {@code Double}, {@code Boolean}, or null), and
 * {@link #get(String, Class)} maps them to a class through Moshi.
 *
 * <p>A transaction is valid only inside the callback it was passed to, on that thread.
 */
public interface ReadTransaction {
  /** The value of {@code key} as a plain JSON value, or null if absent. */
  Object get(String key);

  /** The value of {@code key} mapped to {@code type} through Moshi, or null if absent. */
  <T> T get(String key, Class<T> type);

  /** The value of {@code key} as compact JSON text, or null if absent. */
  String getJson(String key);

  /**
   * True if {@code key} has a value, a JSON {@code null} included (for which {@link #get(String)}
   * returns null too).
   */
  boolean has(String key);

  /** True if the client view has no keys at all, rows of schema tables included. */
  boolean isEmpty();

  /**
   * Entries in UTF-8 byte order of their keys, as {@code options} selects them. Rows of schema
   * tables are entries too, under their keys.
   */
  List<KeyValue> scan(ScanOptions options);

  /**
   * Runs {@code query} over the schema tables.
   *
   * @throws IllegalArgumentException if it names a table, column or relationship the schema lacks;
   *     {@link IllegalStateException} if there is no schema.
   */
  List<Row> query(Query query);

  /**
   * Runs {@code query} and maps each row, relationships included, to {@code type}.
   *
   * @throws IllegalArgumentException as {@link #query(Query)} does, or if a row does not map to
   *     {@code type}; {@link IllegalStateException} if there is no schema.
   */
  <T> List<T> query(Query query, Class<T> type);

  /** The ID of the client this instance is. */
  String clientID();
}
