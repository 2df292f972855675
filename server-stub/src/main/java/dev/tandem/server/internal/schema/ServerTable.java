package dev.tandem.server.internal.schema;

import com.squareup.moshi.JsonWriter;
import dev.tandem.Column;
import dev.tandem.Table;
import dev.tandem.internal.app.JsonCodec;
import dev.tandem.server.Dialect;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One schema table in the server's database: the real table {@code from()} names, one typed column
 * per schema column named by its {@code field()}, the primary key, and the bookkeeping columns
 * {@code _tandem_version} and {@code _tandem_deleted}. Rows are keyed as the client keys them,
 * {@code <from>/<pk1>/<pk2>…}, and served as the JSON objects the client stores. Immutable.
 *
 * <p>This class holds the table's names and statements; its keys are {@link TableKeys}', its values
 * between JSON fields and JDBC {@link RowValues}', its rows as the client's JSON {@link RowJson}'s,
 * and its DDL {@link TableDdl}'s.
 */
public final class ServerTable {
  static final String VERSION = "_tandem_version";
  static final String DELETED = "_tandem_deleted";

  final Table table;
  final Dialect dialect;
  final String prefix;
  final String sqlName;
  final List<Column> key = new ArrayList<>();

  private final TableKeys keys;
  private final RowValues values;
  private final RowJson json;

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
    int[] keyIndexes = new int[key.size()];
    for (int i = 0; i < key.size(); i++) keyIndexes[i] = table.columns().indexOf(key.get(i));
    int[] keyPosition = new int[table.columns().size()];
    java.util.Arrays.fill(keyPosition, -1);
    for (int i = 0; i < keyIndexes.length; i++) keyPosition[keyIndexes[i]] = i;
    this.keys = new TableKeys(table, prefix, key, keyIndexes);
    this.values = new RowValues(table, key, postgres());
    this.json = new RowJson(table, prefix, keyPosition, key.size());
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

  /** The primary key columns' quoted names, in key order. */
  String keyList() {
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

  /** The DDL creating the table and its version index, in order: {@link TableDdl#create}. */
  List<String> create() {
    return TableDdl.create(this);
  }

  /** The DDL of an index declared with {@code Table.index(columns)}. */
  String indexDdl(List<String> columns) {
    return TableDdl.index(this, columns);
  }

  /** See {@link TableKeys#keyOf}. */
  String keyOf(Map<String, ?> fields) {
    return keys.keyOf(fields);
  }

  /** See {@link TableKeys#parseKey}. */
  Object[] parseKey(String key) {
    return keys.parseKey(key);
  }

  /** See {@link TableKeys#withKeyFields}. */
  Map<String, Object> withKeyFields(String key, Map<String, Object> fields) {
    return keys.withKeyFields(key, fields);
  }

  /** The primary key values of the row {@code values} (from {@link #bind}) holds. */
  Object[] keyValues(Object[] values) {
    return keys.keyValues(values);
  }

  /** See {@link TableKeys#keyAt}. */
  String keyAt(ResultSet rows, int first) throws SQLException {
    return keys.keyAt(rows, first);
  }

  /** See {@link RowValues#bind}. */
  Object[] bind(Map<String, Object> fields, JsonCodec codec) {
    return values.bind(fields, codec);
  }

  /** See {@link RowValues#setValues}. */
  int setValues(PreparedStatement statement, int first, Object[] values) throws SQLException {
    return this.values.setValues(statement, first, values);
  }

  /** See {@link RowValues#setKey}. */
  int setKey(PreparedStatement statement, int first, Object[] keyValues) throws SQLException {
    return values.setKey(statement, first, keyValues);
  }

  /** See {@link RowValues#readFields}. */
  Map<String, Object> readFields(ResultSet rows, int first, JsonCodec codec) throws SQLException {
    return values.readFields(rows, first, codec);
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

  /** See {@link RowJson#writeJson}. */
  String writeJson(ResultSet rows, int first, JsonWriter writer) throws SQLException, IOException {
    return json.writeJson(rows, first, writer);
  }

  /** The row at the cursor as JSON text. */
  String json(ResultSet rows, int first) throws SQLException {
    return json.json(rows, first);
  }
}
