package dev.tandem.server.internal.schema;

import com.squareup.moshi.JsonWriter;
import dev.tandem.Column;
import dev.tandem.Table;
import dev.tandem.internal.app.JsonCodec;
import dev.tandem.internal.app.RowKeys;
import dev.tandem.protocol.RawJson;
import dev.tandem.server.Dialect;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One schema table in the server's database: the real table {@code from()} names, one typed column
 * per schema column named by its {@code field()}, the primary key, and the bookkeeping columns
 * {@code _tandem_version} and {@code _tandem_deleted}. Rows are keyed as the client keys them,
 * {@code <from>/<pk1>/<pk2>…}, and served as the JSON objects the client stores. Immutable.
 */
public final class ServerTable {
  static final String VERSION = "_tandem_version";
  static final String DELETED = "_tandem_deleted";

  final Table table;
  final Dialect dialect;
  final String prefix;
  final String sqlName;
  final List<Column> key = new ArrayList<>();

  /** Where each primary key column is in the SELECT list, from 0. */
  private final int[] keyIndexes;

  /** Per column, its position in the primary key, or -1. */
  private final int[] keyPosition;

  private final Map<String, Column> byField = new java.util.HashMap<>();

  private final String selectList;
  final String upsert;

  /** An upsert that writes over a deleted row only: it changes no row if a live one exists. */
  final String insert;

  private final String insertHead;
  private final String marks;
  private final String upsertTail;
  private final String insertTail;

  final String selectByKey;
  final String softDelete;
  final String anyLive;

  ServerTable(Table table, Dialect dialect) {
    this.table = table;
    this.dialect = dialect;
    this.prefix = table.serverName() + "/";
    this.sqlName = tableName(table.serverName(), dialect);
    for (String name : table.primaryKey()) key.add(table.column(name));
    this.keyIndexes = new int[key.size()];
    for (int i = 0; i < key.size(); i++) keyIndexes[i] = table.columns().indexOf(key.get(i));
    this.keyPosition = new int[table.columns().size()];
    java.util.Arrays.fill(keyPosition, -1);
    for (int i = 0; i < keyIndexes.length; i++) keyPosition[keyIndexes[i]] = i;
    for (Column column : table.columns()) byField.put(column.field(), column);
    StringBuilder columns = new StringBuilder();
    StringBuilder marks = new StringBuilder();
    StringBuilder updates = new StringBuilder();
    for (Column column : table.columns()) {
      columns.append(quote(column.field())).append(", ");
      marks.append(column.type() == Column.Type.JSON && postgres() ? "CAST(? AS JSONB), " : "?, ");
      updates
          .append(quote(column.field()))
          .append(" = excluded.")
          .append(quote(column.field()))
          .append(", ");
    }
    this.selectList = columns + DELETED;
    this.insertHead = "INSERT INTO " + sqlName + " (" + columns + VERSION + ", " + DELETED + ") ";
    this.marks = marks + "?, ?";
    this.upsertTail =
        " ON CONFLICT ("
            + keyList()
            + ") DO UPDATE SET "
            + updates
            + VERSION
            + " = excluded."
            + VERSION
            + ", "
            + DELETED
            + " = excluded."
            + DELETED;
    this.insertTail = upsertTail + " WHERE " + sqlName + "." + DELETED;
    this.upsert = insertHead + "VALUES (" + this.marks + ")" + upsertTail;
    this.insert = insertHead + "VALUES (" + this.marks + ")" + insertTail;
    this.selectByKey = "SELECT " + selectList + " FROM " + sqlName + " WHERE " + keyMatch("");
    this.softDelete =
        "UPDATE "
            + sqlName
            + " SET "
            + DELETED
            + " = ?, "
            + VERSION
            + " = ? WHERE "
            + keyMatch("")
            + " AND "
            + DELETED
            + " = ?";
    this.anyLive = "SELECT 1 FROM " + sqlName + " WHERE " + DELETED + " = ? LIMIT 1";
  }

  /**
   * {@link #upsert} ({@code insert} false) or {@link #insert} writing its row only where {@code
   * condition} (an SQL condition over bound values, its {@code ?}s after the row's) holds: {@code
   * INSERT … SELECT … WHERE condition ON CONFLICT …}, which writes no row when it does not.
   */
  String guardedWrite(boolean insert, String condition) {
    return insertHead
        + "SELECT "
        + marks
        + " WHERE ("
        + condition
        + ")"
        + (insert ? insertTail : upsertTail);
  }

  /** {@link #softDelete} of a row only where {@code condition} holds (its {@code ?}s last). */
  String guardedDelete(String condition) {
    return softDelete + " AND (" + condition + ")";
  }

  boolean postgres() {
    return dialect == Dialect.POSTGRES;
  }

  /**
   * The SQL name of a {@code from()} name: on Postgres a schema-qualified name is quoted part by
   * part ({@code "app"."todo"}); SQLite has no schemas, so there it is one identifier ({@code
   * "app.todo"}).
   */
  static String tableName(String serverName, Dialect dialect) {
    int dot = serverName.indexOf('.');
    if (dot < 0 || dialect == Dialect.SQLITE) return quote(serverName);
    return quote(serverName.substring(0, dot)) + "." + quote(serverName.substring(dot + 1));
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private String keyList() {
    StringBuilder list = new StringBuilder();
    for (Column column : key) {
      if (list.length() > 0) list.append(", ");
      list.append(quote(column.field()));
    }
    return list.toString();
  }

  String keyMatch(String alias) {
    StringBuilder match = new StringBuilder();
    for (Column column : key) {
      if (match.length() > 0) match.append(" AND ");
      match.append(alias).append(quote(column.field())).append(" = ?");
    }
    return match.toString();
  }

  /** The SELECT list of a row: its columns by field, then {@code _tandem_deleted}. */
  String selectList(String alias) {
    if (alias.isEmpty()) return selectList;
    StringBuilder list = new StringBuilder();
    for (Column column : table.columns())
      list.append(alias).append(quote(column.field())).append(", ");
    return list.append(alias).append(DELETED).toString();
  }

  /** The DDL creating the table and its version index, in order. */
  List<String> create() {
    List<String> ddl = new ArrayList<>();
    int dot = table.serverName().indexOf('.');
    if (dot > 0 && postgres()) {
      ddl.add("CREATE SCHEMA IF NOT EXISTS " + quote(table.serverName().substring(0, dot)));
    }
    StringBuilder sql =
        new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(sqlName).append(" (");
    for (Column column : table.columns()) {
      sql.append(quote(column.field())).append(' ').append(SqlTypes.declared(column, dialect));
      // Enumeration values are checked by the server on every write, not by a CHECK: a later
      // schema version may add values without rebuilding the table.
      if (!column.isOptional()) sql.append(" NOT NULL");
      sql.append(", ");
    }
    sql.append(VERSION).append(" BIGINT NOT NULL, ").append(DELETED).append(" BOOLEAN NOT NULL, ");
    sql.append("PRIMARY KEY (").append(keyList()).append("))");
    ddl.add(sql.toString());
    String index = quote(table.serverName().replace('.', '_') + "_tandem_version");
    ddl.add("CREATE INDEX IF NOT EXISTS " + index + " ON " + sqlName + " (" + VERSION + ")");
    for (List<String> declared : table.indexes()) ddl.add(indexDdl(declared));
    return ddl;
  }

  /** The DDL of an index declared with {@code Table.index(columns)}. */
  String indexDdl(List<String> columns) {
    StringBuilder name = new StringBuilder(table.serverName().replace('.', '_'));
    StringBuilder list = new StringBuilder();
    for (String column : columns) {
      String field = table.column(column).field();
      name.append('_').append(field);
      if (list.length() > 0) list.append(", ");
      list.append(quote(field));
    }
    return "CREATE INDEX IF NOT EXISTS "
        + quote(name.append("_idx").toString())
        + " ON "
        + sqlName
        + " ("
        + list
        + ")";
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
   * Binds the primary key values (as {@link #parseKey} returns them) from parameter {@code first}.
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
        return postgres() ? Types.OTHER : Types.VARCHAR;
      default:
        return Types.VARCHAR;
    }
  }

  /** The primary key values of the row {@code values} (from {@link #bind}) holds. */
  Object[] keyValues(Object[] values) {
    Object[] keyValues = new Object[key.size()];
    for (int i = 0; i < key.size(); i++) keyValues[i] = values[table.columns().indexOf(key.get(i))];
    return keyValues;
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

  /** The same row by column name (what a {@code Row} holds). */
  Map<String, Object> byColumn(Map<String, Object> fields) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Column column : table.columns()) values.put(column.name(), fields.get(column.field()));
    return values;
  }

  /** A row given by column name as fields; a name the table lacks fails. */
  Map<String, Object> byField(Map<String, ?> row) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (Map.Entry<String, ?> entry : row.entrySet()) {
      Column column = table.column(entry.getKey());
      if (column == null) {
        throw new IllegalArgumentException(
            "table '" + table.name() + "' has no column '" + entry.getKey() + "'");
      }
      fields.put(column.field(), entry.getValue());
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

  /**
   * Writes the row at the cursor ({@link #selectList} from column {@code first}) as the JSON object
   * the client stores: fields by {@code field()} name, nulls left out, whole numbers without {@code
   * .0}. Each column is read once; returns the row's key, made on the way.
   */
  String writeJson(ResultSet rows, int first, JsonWriter writer) throws SQLException, IOException {
    String[] parts = new String[keyIndexes.length];
    writer.beginObject();
    int index = first;
    List<Column> columns = table.columns();
    for (int c = 0; c < columns.size(); c++) {
      Column column = columns.get(c);
      int at = index++;
      String part;
      switch (column.type()) {
        case NUMBER:
          double number = rows.getDouble(at);
          // Required columns are NOT NULL (checked at build): no wasNull(), a native call on
          // SQLite.
          if (column.isOptional() && rows.wasNull()) continue;
          writer.name(column.field());
          if (number == Math.rint(number) && Math.abs(number) < 1e15) writer.value((long) number);
          else writer.value(number);
          part = null;
          if (keyPosition[c] >= 0) part = keyPart(number);
          break;
        case BOOL:
          boolean bool = rows.getBoolean(at);
          if (column.isOptional() && rows.wasNull()) continue;
          writer.name(column.field()).value(bool);
          part = Boolean.toString(bool);
          break;
        default:
          String text = rows.getString(at);
          if (text == null) continue;
          writer.name(column.field());
          if (column.type() == Column.Type.JSON) RawJson.parse(text).write(writer);
          else writer.value(text);
          part = text;
      }
      if (keyPosition[c] >= 0) parts[keyPosition[c]] = part;
    }
    writer.endObject();
    StringBuilder key = new StringBuilder(prefix);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) key.append('/');
      key.append(parts[i]);
    }
    return key.toString();
  }

  private static String keyPart(double number) {
    return RowKeys.number(number);
  }

  /** The row at the cursor as JSON text. */
  String json(ResultSet rows, int first) throws SQLException {
    return RawJson.build(writer -> writeJsonUnchecked(rows, first, writer)).toString();
  }

  private void writeJsonUnchecked(ResultSet rows, int first, JsonWriter writer) throws IOException {
    try {
      writeJson(rows, first, writer);
    } catch (SQLException e) {
      throw new IOException(e);
    }
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
