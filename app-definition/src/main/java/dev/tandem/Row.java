package dev.tandem;

import com.squareup.moshi.Moshi;
import dev.tandem.internal.app.ApiAccess;
import dev.tandem.internal.app.BoundMutators;
import dev.tandem.internal.app.JsonCodec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A row a {@link Query} returned: its column values (strings, numbers as {@code Double}, booleans,
 * JSON as plain values) and the relationships it loaded. Equal rows have equal values and related
 * rows. Immutable.
 */
public final class Row {
  static {
    ApiAccess.install(
        new ApiAccess() {
          @Override
          public KeyValue keyValue(String key, String json, JsonCodec codec) {
            return new KeyValue(key, json, codec);
          }

          @Override
          public Row row(
              String key,
              Map<String, Object> values,
              Map<String, Object> related,
              JsonCodec codec) {
            return new Row(key, values, related, codec);
          }

          @Override
          public void setRelated(Row row, String name, Object rowOrRows) {
            row.setRelated(name, rowOrRows);
          }

          @Override
          public BoundMutators bind(Mutators mutators, Moshi moshi) {
            return Mutators.bind(mutators, moshi);
          }
        });
  }

  private final String key;
  private final Map<String, Object> values;
  private final Map<String, Object> related;

  /** The same map, writable while the query that made this row loads relationships. */
  private final Map<String, Object> loading;

  private final JsonCodec codec;

  Row(String key, Map<String, Object> values, Map<String, Object> related, JsonCodec codec) {
    this.key = key;
    this.values = Collections.unmodifiableMap(values);
    this.loading = related;
    this.related = Collections.unmodifiableMap(related);
    this.codec = codec;
  }

  /** Sets a loaded relationship; only while the query that made this row is running. */
  void setRelated(String name, Object rowOrRows) {
    loading.put(name, rowOrRows);
  }

  /**
   * The value of {@code column}, or null (also for a name that is not a column of the row's table).
   */
  public Object get(String column) {
    return values.get(column);
  }

  /**
   * The value of a string or enumeration column, or null.
   *
   * @throws ClassCastException if the column holds another type.
   */
  public String getString(String column) {
    return (String) values.get(column);
  }

  /**
   * The value of a number column, or null.
   *
   * @throws ClassCastException if the column holds another type.
   */
  public Double getNumber(String column) {
    return (Double) values.get(column);
  }

  /**
   * The value of a bool column, or null.
   *
   * @throws ClassCastException if the column holds another type.
   */
  public Boolean getBool(String column) {
    return (Boolean) values.get(column);
  }

  /**
   * The row of a {@code one} relationship, or null.
   *
   * @throws IllegalArgumentException if the query did not load {@code relationship}.
   */
  public Row one(String relationship) {
    requireLoaded(relationship);
    return (Row) related.get(relationship);
  }

  /**
   * The rows of a {@code many} relationship. Unmodifiable.
   *
   * @throws IllegalArgumentException if the query did not load {@code relationship}.
   */
  @SuppressWarnings("unchecked")
  public List<Row> many(String relationship) {
    requireLoaded(relationship);
    return (List<Row>) related.get(relationship);
  }

  private void requireLoaded(String relationship) {
    if (!related.containsKey(relationship)) {
      throw new IllegalArgumentException(
          "relationship '"
              + relationship
              + "' was not loaded: add related(\""
              + relationship
              + "\") to the query");
    }
  }

  /** The key this row syncs under. */
  public String key() {
    return key;
  }

  /** Values and loaded relationships as plain maps and lists. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>(values);
    for (Map.Entry<String, Object> entry : related.entrySet()) {
      Object value = entry.getValue();
      if (value instanceof Row) {
        value = ((Row) value).toMap();
      } else if (value instanceof List) {
        List<Object> maps = new java.util.ArrayList<>();
        for (Object row : (List<?>) value) maps.add(((Row) row).toMap());
        value = maps;
      }
      map.put(entry.getKey(), value);
    }
    return map;
  }

  /**
   * This row, its relationships included, mapped to {@code type} through Moshi.
   *
   * @throws IllegalArgumentException if it does not map to {@code type}.
   */
  public <T> T as(Class<T> type) {
    return codec.fromJsonValue(toMap(), type);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Row
        && ((Row) o).key.equals(key)
        && ((Row) o).values.equals(values)
        && ((Row) o).related.equals(related);
  }

  @Override
  public int hashCode() {
    return key.hashCode() * 31 + values.hashCode();
  }

  @Override
  public String toString() {
    return toMap().toString();
  }
}
