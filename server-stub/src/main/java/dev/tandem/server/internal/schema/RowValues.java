package dev.tandem.server.internal.schema;

import dev.tandem.Column;
import dev.tandem.Table;
import dev.tandem.internal.app.JsonCodec;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One table's column values between a row's JSON fields and JDBC: checked against the schema and
 * bound to a statement on the way in, read from a cursor on the way out.
 */
final class RowValues {
  private final Table table;
  private final List<Column> key;
  private final boolean postgres;
  private final Map<String, Column> byField = new HashMap<>();

  RowValues(Table table, List<Column> key, boolean postgres) {
    this.table = table;
    this.key = key;
    this.postgres = postgres;
    for (Column column : table.columns()) byField.put(column.field(), column);
  }

  /**
   * Checks a row given by JSON field against the schema and returns its column values in column
   * order, as they are bound.
   *
   * @throws IllegalArgumentException naming what does not fit: a field the table has no column for,
   *     a required column missing, a value of the wrong type, an enumeration value outside its set,
   *     a primary key value holding {@code /}.
   */
  Object[] bind(Map<String, Object> fields, JsonCodec codec) {
    for (String field : fields.keySet()) {
      if (columnOfField(field) == null) {
        throw new IllegalArgumentException(
            "table '" + table.name() + "' has no column for field '" + field + "'");
      }
    }
    Object[] values = new Object[table.columns().size()];
    int i = 0;
    for (Column column : table.columns()) {
      Object value = fields.get(column.field());
      if (value instanceof Enum) value = ((Enum<?>) value).name();
      if (value == null) {
        if (!column.isOptional()) {
          throw new IllegalArgumentException(
              "table '" + table.name() + "': required column '" + column.name() + "' is missing");
        }
      } else {
        value = storable(column, value, codec);
      }
      values[i++] = value;
    }
    for (Column column : key) {
      Object value = fields.get(column.field());
      if (value instanceof String && ((String) value).indexOf('/') >= 0) {
        throw new IllegalArgumentException(
            "table '"
                + table.name()
                + "': primary key value '"
                + value
                + "' of column '"
                + column.name()
                + "' holds '/', which the server cannot tell apart in a key");
      }
    }
    return values;
  }

  private Column columnOfField(String field) {
    return byField.get(field);
  }

  private Object storable(Column column, Object value, JsonCodec codec) {
    switch (column.type()) {
      case STRING:
        if (value instanceof String) return value;
        break;
      case NUMBER:
        if (value instanceof Number) return ((Number) value).doubleValue();
        break;
      case BOOL:
        if (value instanceof Boolean) return value;
        break;
      case ENUMERATION:
        if (value instanceof String && column.values().contains(value)) return value;
        throw new IllegalArgumentException(
            "table '"
                + table.name()
                + "': column '"
                + column.name()
                + "' should be one of "
                + column.values()
                + " but is "
                + JsonCodec.abbreviate(codec.toJson(value)));
      case JSON:
      default:
        return codec.toJson(value);
    }
    throw new IllegalArgumentException(
        "table '"
            + table.name()
            + "': column '"
            + column.name()
            + "' should be "
            + column.type().name().toLowerCase()
            + " but is "
            + JsonCodec.abbreviate(codec.toJson(value)));
  }

  /** Binds column values from {@link #bind}, starting at parameter {@code first}. */
  int setValues(PreparedStatement statement, int first, Object[] values) throws SQLException {
    int index = first;
    for (int i = 0; i < values.length; i++) {
      Column column = table.columns().get(i);
      Object value = values[i];
      if (value == null) {
        statement.setNull(index++, sqlType(column));
      } else if (column.type() == Column.Type.NUMBER) {
        statement.setDouble(index++, (Double) value);
      } else if (column.type() == Column.Type.BOOL) {
        statement.setBoolean(index++, (Boolean) value);
      } else {
        statement.setString(index++, (String) value);
      }
    }
    return index;
  }

  /**
   * Binds the primary key values (as {@link TableKeys#parseKey} returns them) from parameter {@code
   * first}.
   */
  int setKey(PreparedStatement statement, int first, Object[] keyValues) throws SQLException {
    int index = first;
    for (int i = 0; i < key.size(); i++) {
      Object value = keyValues[i];
      if (value instanceof Double) statement.setDouble(index++, (Double) value);
      else if (value instanceof Boolean) statement.setBoolean(index++, (Boolean) value);
      else statement.setString(index++, (String) value);
    }
    return index;
  }

  private int sqlType(Column column) {
    switch (column.type()) {
      case NUMBER:
        return Types.DOUBLE;
      case BOOL:
        return Types.BOOLEAN;
      case JSON:
        return postgres ? Types.OTHER : Types.VARCHAR;
      default:
        return Types.VARCHAR;
    }
  }

  /** A row's fields read from {@code rows} at column {@code first} on, by JSON field name. */
  Map<String, Object> readFields(ResultSet rows, int first, JsonCodec codec) throws SQLException {
    Map<String, Object> fields = new LinkedHashMap<>();
    int index = first;
    for (Column column : table.columns()) {
      Object value = read(rows, index++, column);
      if (value != null && column.type() == Column.Type.JSON) {
        value = codec.fromJson((String) value, Object.class);
      }
      fields.put(column.field(), value);
    }
    return fields;
  }

  private static Object read(ResultSet rows, int index, Column column) throws SQLException {
    Object value;
    switch (column.type()) {
      case NUMBER:
        value = rows.getDouble(index);
        break;
      case BOOL:
        value = rows.getBoolean(index);
        break;
      default:
        value = rows.getString(index);
    }
    return rows.wasNull() ? null : value;
  }
}
