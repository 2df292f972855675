package dev.tandem.server.internal.schema;

import dev.tandem.Column;
import dev.tandem.Table;
import dev.tandem.internal.app.RowKeys;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys of one table's rows as the client makes them, {@code <from>/<pk1>/<pk2>…}: made from a
 * row's fields or read at the cursor, and parsed back into primary key values.
 */
final class TableKeys {
  private final Table table;
  private final String prefix;
  private final List<Column> key;

  /** Where each primary key column is in the SELECT list, from 0. */
  private final int[] keyIndexes;

  TableKeys(Table table, String prefix, List<Column> key, int[] keyIndexes) {
    this.table = table;
    this.prefix = prefix;
    this.key = key;
    this.keyIndexes = keyIndexes;
  }

  /** The key of a row given by JSON field: {@code <from>/<pk1>/<pk2>…}, as the client makes it. */
  String keyOf(Map<String, ?> fields) {
    StringBuilder result = new StringBuilder(prefix);
    for (int i = 0; i < key.size(); i++) {
      Object value = fields.get(key.get(i).field());
      if (value == null) {
        throw new IllegalArgumentException(
            "row of '" + table.name() + "' has no primary key value '" + key.get(i).name() + "'");
      }
      if (i > 0) result.append('/');
      result.append(keyPart(value));
    }
    return result.toString();
  }

  private static String keyPart(Object value) {
    return RowKeys.part(value instanceof Number ? ((Number) value).doubleValue() : value);
  }

  /** A number's spelling in a key. */
  static String keyPart(double number) {
    return RowKeys.number(number);
  }

  /**
   * The primary key values {@code key} names, or null if it names no row of this table (another
   * prefix, a wrong number of parts, a value of the wrong type, or not the canonical spelling).
   */
  Object[] parseKey(String key) {
    if (!key.startsWith(prefix)) return null;
    String[] parts = key.substring(prefix.length()).split("/", -1);
    if (parts.length != this.key.size()) return null;
    Object[] values = new Object[parts.length];
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i < parts.length; i++) {
      Object value = parseKeyPart(this.key.get(i), parts[i]);
      if (value == null) return null;
      values[i] = value;
      fields.put(this.key.get(i).field(), value);
    }
    return keyOf(fields).equals(key) ? values : null;
  }

  private static Object parseKeyPart(Column column, String part) {
    switch (column.type()) {
      case NUMBER:
        try {
          return Double.parseDouble(part);
        } catch (NumberFormatException e) {
          return null;
        }
      case BOOL:
        return part.equals("true") ? Boolean.TRUE : part.equals("false") ? Boolean.FALSE : null;
      case ENUMERATION:
        return column.values().contains(part) ? part : null;
      default:
        return part;
    }
  }

  /**
   * A value's fields with primary key fields it leaves out taken from {@code key} (the Replicache
   * tutorial's {@code message/<id>} values carry no id), as the client does.
   */
  Map<String, Object> withKeyFields(String key, Map<String, Object> fields) {
    Object[] values = null;
    for (int i = 0; i < this.key.size(); i++) {
      String field = this.key.get(i).field();
      if (fields.get(field) != null) continue;
      if (values == null) values = parseKey(key);
      if (values == null) return fields;
      fields.put(field, values[i]);
    }
    return fields;
  }

  /** The primary key values of the row {@code values} (column values in order) holds. */
  Object[] keyValues(Object[] values) {
    Object[] keyValues = new Object[key.size()];
    for (int i = 0; i < key.size(); i++) keyValues[i] = values[table.columns().indexOf(key.get(i))];
    return keyValues;
  }

  /** The row's key, read from its primary key columns at the cursor: what {@link #keyOf} makes. */
  String keyAt(ResultSet rows, int first) throws SQLException {
    StringBuilder result = new StringBuilder(prefix);
    for (int i = 0; i < keyIndexes.length; i++) {
      if (i > 0) result.append('/');
      Column column = key.get(i);
      int index = first + keyIndexes[i];
      switch (column.type()) {
        case NUMBER:
          result.append(keyPart(rows.getDouble(index)));
          break;
        case BOOL:
          result.append(rows.getBoolean(index));
          break;
        default:
          result.append(rows.getString(index));
      }
    }
    return result.toString();
  }
}
