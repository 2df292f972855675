package dev.tandem.internal.store;

import dev.tandem.Column;
import dev.tandem.Relationship;
import dev.tandem.Schema;
import dev.tandem.Table;
import dev.tandem.internal.app.JsonCodec;
import dev.tandem.internal.app.RowKeys;
import dev.tandem.internal.db.SqlConnection;
import dev.tandem.internal.db.SqlCursor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One schema table in SQLite: {@code "t_<name>"} with the row's key ({@code _key}), its full JSON
 * value ({@code _json}, so a later schema version can fill new columns without a resync), and one
 * typed column {@code "c_<column>"} per schema column, indexed on the primary key and on the fields
 * relationships join on. All identifiers come from a validated {@link Schema} and are quoted; all
 * values are bound parameters.
 */
public final class TypedTable {
  public final Table table;
  public final String prefix;
  public final String sqlName;
  private final JsonCodec codec;
  private final String insert;
  private final String insertIfAbsent;
  private final String selectJson;
  private final String delete;

  /** Records a key's undo entry, reading its prior value: see {@code UndoLog.addTypedSql}. */
  final String recordUndo;

  /** Reads a key's undo entry for a new mutation: see {@code UndoLog.priorTypedSql}. */
  final String priorForUndo;

  /** {@code "field":} per column name, as {@link TableRow} writes it. */
  private final Map<String, String> fieldNames = new java.util.HashMap<>();

  /** Whether {@link TableRow} may write rows (see there); null until first asked. */
  private Boolean directRows;

  public TypedTable(Table table, JsonCodec codec) {
    this.table = table;
    this.prefix = table.serverName() + "/";
    this.sqlName = quote("t_" + table.name());
    this.codec = codec;
    StringBuilder columns = new StringBuilder("\"_key\", \"_json\"");
    StringBuilder marks = new StringBuilder("?, ?");
    for (Column column : table.columns()) {
      columns.append(", ").append(column(column.name()));
      marks.append(", ?");
    }
    this.insert = "INSERT OR REPLACE INTO " + sqlName + " (" + columns + ") VALUES (" + marks + ")";
    // A new row: written if its key is neither a row here nor a plain value (one that did not fit).
    this.insertIfAbsent =
        "INSERT OR IGNORE INTO "
            + sqlName
            + " ("
            + columns
            + ") SELECT "
            + marks
            + " WHERE NOT EXISTS (SELECT 1 FROM tandem_kv WHERE key = ?)";
    for (Column column : table.columns()) {
      fieldNames.put(column.name(), TableRow.quote(column.field()) + ":");
    }
    this.selectJson = "SELECT \"_json\" FROM " + sqlName + " WHERE \"_key\" = ?";
    this.delete = "DELETE FROM " + sqlName + " WHERE \"_key\" = ?";
    this.recordUndo = UndoLog.addTypedSql(sqlName);
    this.priorForUndo = UndoLog.priorTypedSql(sqlName);
  }

  public static String quote(String identifier) {
    return "\"" + identifier + "\"";
  }

  public static String column(String name) {
    return quote("c_" + name);
  }

  /** Creates the table and its indexes, adding columns a newer schema introduced. */
  public List<String> create(SqlConnection db, Schema schema) {
    StringBuilder ddl =
        new StringBuilder("CREATE TABLE IF NOT EXISTS ")
            .append(sqlName)
            .append(" (\"_key\" TEXT PRIMARY KEY NOT NULL, \"_json\" TEXT NOT NULL");
    for (Column column : table.columns()) {
      ddl.append(", ").append(column(column.name())).append(' ').append(affinity(column));
    }
    db.execute(ddl.append(") WITHOUT ROWID").toString());

    Set<String> existing = new HashSet<>();
    try (SqlCursor cursor = db.query("PRAGMA table_info(" + sqlName + ")")) {
      while (cursor.next()) existing.add(cursor.getString(1));
    }
    List<String> added = new ArrayList<>();
    for (Column column : table.columns()) {
      if (!existing.contains("c_" + column.name())) {
        db.execute(
            "ALTER TABLE "
                + sqlName
                + " ADD COLUMN "
                + column(column.name())
                + " "
                + affinity(column));
        added.add(column.name());
      }
    }
    index(db, "pk", table.primaryKey());
    for (List<String> declared : table.indexes()) index(db, "x_" + join(declared), declared);
    for (Relationship relationship : table.relationships()) {
      Relationship.Hop first = relationship.hops().get(0);
      index(db, "r_" + relationship.name(), first.sourceFields());
    }
    for (Table other : schema.tables()) {
      for (Relationship relationship : other.relationships()) {
        int hop = 0;
        for (Relationship.Hop step : relationship.hops()) {
          if (step.destTable().equals(table.name())) {
            index(
                db, "d_" + other.name() + "_" + relationship.name() + "_" + hop, step.destFields());
            if (hop == 0 && relationship.hops().size() == 2) {
              index(
                  db,
                  "j_" + other.name() + "_" + relationship.name(),
                  relationship.hops().get(1).sourceFields());
            }
          }
          hop++;
        }
      }
    }
    return added;
  }

  private static String join(List<String> columns) {
    StringBuilder joined = new StringBuilder();
    for (String column : columns) {
      if (joined.length() > 0) joined.append('_');
      joined.append(column);
    }
    return joined.toString();
  }

  private void index(SqlConnection db, String suffix, List<String> columns) {
    StringBuilder sql =
        new StringBuilder("CREATE INDEX IF NOT EXISTS ")
            .append(quote("i_" + table.name() + "_" + suffix))
            .append(" ON ")
            .append(sqlName)
            .append(" (");
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) sql.append(", ");
      sql.append(column(columns.get(i)));
    }
    db.execute(sql.append(')').toString());
  }

  private static String affinity(Column column) {
    switch (column.type()) {
      case NUMBER:
        return "REAL";
      case BOOL:
        return "INTEGER";
      default:
        return "TEXT";
    }
  }

  public String getJson(SqlConnection db, String key) {
    try (SqlCursor cursor = db.query(selectJson, key)) {
      return cursor.next() ? cursor.getString(0) : null;
    }
  }

  /** Stores the row, or returns why the value does not fit the schema (and stores nothing). */
  public String put(SqlConnection db, String key, String json) {
    Object[] args = new Object[table.columns().size() + 2];
    String problem = bind(key, json, args);
    if (problem == null) db.execute(insert, args);
    return problem;
  }

  /**
   * The row of {@code values} (by column name) with key {@code key}, ready to store without its
   * JSON parsed again; null if its values are not all of the kinds {@link TableRow} knows, or it
   * does not fit: then {@link #encode} and {@link #put} store it.
   */
  public TableRow prepare(String key, Map<String, ?> values) {
    return TableRow.of(this, key, values);
  }

  /** Stores {@code row}, replacing any row of its key. */
  void put(SqlConnection db, TableRow row) {
    db.execute(insert, row.args);
  }

  /**
   * Stores {@code row} only if its key is neither a row of this table nor in {@code tandem_kv}:
   * true if it was absent (and is now stored), false if nothing was written. One statement.
   */
  boolean insertIfAbsent(SqlConnection db, TableRow row) {
    Object[] args = java.util.Arrays.copyOf(row.args, row.args.length + 1);
    args[row.args.length] = row.key;
    return db.execute(insertIfAbsent, args) == 1;
  }

  /**
   * Whether {@link TableRow} may make this table's rows: the codec's adapters for plain values are
   * Moshi's own, and no two columns read one JSON field.
   */
  boolean directRows() {
    Boolean direct = directRows;
    if (direct == null) {
      Set<String> fields = new HashSet<>();
      boolean distinct = true;
      for (Column column : table.columns()) distinct &= fields.add(column.field());
      directRows = direct = distinct && codec.standardAdapters();
    }
    return direct;
  }

  /** {@code "field":} for {@code column}, escaped as Moshi writes it. */
  String fieldName(Column column) {
    return fieldNames.get(column.name());
  }

  /** Stores rows given as insert arguments made by {@link #bind}. */
  public void putAll(SqlConnection db, List<Object[]> rows) {
    db.executeBatch(insert, rows);
  }

  /** The insert arguments of a row, or why it does not fit the schema. */
  public String bind(String key, String json, Object[] args) {
    Object value;
    try {
      value = codec.fromJson(json, Object.class);
    } catch (IllegalArgumentException e) {
      return "not JSON";
    }
    if (!(value instanceof Map)) return "the value is not a JSON object";
    return bindFields(key, json, (Map<?, ?>) value, args);
  }

  /** {@link #bind} of {@code json}, whose parse is {@code parsed}. */
  String bindFields(String key, String json, Map<?, ?> parsed, Object[] args) {
    Map<?, ?> fields = withKeyFields(key, parsed);
    args[0] = key;
    args[1] = json;
    int i = 2;
    for (Column column : table.columns()) {
      Object field = fields.get(column.field());
      if (field == null) {
        if (!column.isOptional()) return "required column '" + column.name() + "' is missing";
        args[i++] = null;
        continue;
      }
      Object stored = storable(column, field);
      if (stored == null) {
        return "column '"
            + column.name()
            + "' should be "
            + column.type().name().toLowerCase()
            + " but is "
            + JsonCodec.abbreviate(codec.toJson(field));
      }
      args[i++] = stored;
    }
    return null;
  }

  /**
   * The value's fields, with primary key columns the value leaves out taken from the key (the
   * Replicache tutorial's {@code message/<id>} values carry no id): {@code <from>/<pk1>/<pk2>…}.
   */
  private Map<?, ?> withKeyFields(String key, Map<?, ?> fields) {
    List<String> primaryKey = table.primaryKey();
    boolean missing = false;
    for (String name : primaryKey) {
      if (fields.get(table.column(name).field()) == null) missing = true;
    }
    if (!missing || !key.startsWith(prefix)) return fields;
    String[] parts = key.substring(prefix.length()).split("/", -1);
    if (parts.length != primaryKey.size()) return fields;
    Map<Object, Object> filled = new LinkedHashMap<>(fields);
    for (int i = 0; i < parts.length; i++) {
      Column column = table.column(primaryKey.get(i));
      if (filled.get(column.field()) != null) continue;
      Object value = parts[i];
      if (column.type() == Column.Type.NUMBER) {
        try {
          value = Double.parseDouble(parts[i]);
        } catch (NumberFormatException e) {
          continue;
        }
      }
      filled.put(column.field(), value);
    }
    return filled;
  }

  /** {@code UPDATE} of {@code columns} (by name) of the row with a given key, key last. */
  String updateColumns(List<String> columns) {
    StringBuilder sql = new StringBuilder("UPDATE ").append(sqlName).append(" SET ");
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) sql.append(", ");
      sql.append(column(columns.get(i))).append(" = ?");
    }
    return sql.append(" WHERE \"_key\" = ?").toString();
  }

  /** Where each of {@code columns} (by name) sits in the arguments {@link #bind} fills. */
  int[] argPositions(List<String> columns) {
    int[] positions = new int[columns.size()];
    for (int i = 0; i < positions.length; i++) {
      positions[i] = 2 + table.columns().indexOf(table.column(columns.get(i)));
    }
    return positions;
  }

  public Object[] newArgs() {
    return new Object[table.columns().size() + 2];
  }

  /** The SQLite value of a JSON field for {@code column}, or null if it does not fit. */
  private Object storable(Column column, Object field) {
    switch (column.type()) {
      case STRING:
        return field instanceof String ? field : null;
      case NUMBER:
        return field instanceof Double ? field : null;
      case BOOL:
        return field instanceof Boolean ? ((Boolean) field ? 1L : 0L) : null;
      case ENUMERATION:
        return field instanceof String && column.values().contains(field) ? field : null;
      case JSON:
      default:
        return codec.toJson(field);
    }
  }

  public boolean delete(SqlConnection db, String key) {
    return db.execute(delete, key) > 0;
  }

  public void clear(SqlConnection db) {
    db.execute("DELETE FROM " + sqlName);
  }

  /** Entries with keys in [from, to), as {@link ClientView#scan} needs them. */
  public void scan(
      SqlConnection db, String from, boolean exclusive, String to, int limit, List<Entry> out) {
    StringBuilder sql = new StringBuilder("SELECT \"_key\", \"_json\" FROM ").append(sqlName);
    List<Object> args = new ArrayList<>();
    sql.append(" WHERE \"_key\" ").append(exclusive ? "> ?" : ">= ?");
    args.add(from);
    if (to != null) {
      sql.append(" AND \"_key\" < ?");
      args.add(to);
    }
    sql.append(" ORDER BY \"_key\" LIMIT ?");
    args.add((long) limit);
    try (SqlCursor cursor = db.query(sql.toString(), args.toArray())) {
      while (cursor.next()) out.add(new Entry(cursor.getString(0), cursor.getString(1)));
    }
  }

  /** The typed columns, in schema order, as a SELECT list: {@code "c_a", "c_b", …}. */
  public String selectColumns(String alias) {
    StringBuilder columns = new StringBuilder();
    for (Column column : table.columns()) {
      if (columns.length() > 0) columns.append(", ");
      columns.append(alias).append(column(column.name()));
    }
    return columns.toString();
  }

  /**
   * The row's values read from its typed columns, starting at cursor column {@code first}: no JSON
   * parsing except for {@code json} columns.
   */
  public Map<String, Object> read(SqlCursor cursor, int first) {
    Map<String, Object> row = new LinkedHashMap<>();
    int index = first;
    for (Column column : table.columns()) {
      Object value;
      switch (column.type()) {
        case NUMBER:
          value = cursor.getDoubleOrNull(index);
          break;
        case BOOL:
          Long bool = cursor.getLongOrNull(index);
          value = bool == null ? null : bool != 0;
          break;
        case JSON:
          String json = cursor.getString(index);
          value = json == null ? null : codec.fromJson(json, Object.class);
          break;
        default:
          value = cursor.getString(index);
      }
      row.put(column.name(), value);
      index++;
    }
    return row;
  }

  /** The row's values by column name, decoded from its JSON value. */
  public Map<String, Object> decode(String key, String json) {
    Object value = codec.fromJson(json, Object.class);
    Map<?, ?> fields =
        withKeyFields(key, value instanceof Map ? (Map<?, ?>) value : new LinkedHashMap<>());
    Map<String, Object> row = new LinkedHashMap<>();
    for (Column column : table.columns()) row.put(column.name(), fields.get(column.field()));
    return row;
  }

  /** The key of a row with these primary key values: {@code <from>/<pk1>/<pk2>…}. */
  public String keyOf(Map<String, ?> row) {
    StringBuilder key = new StringBuilder(prefix);
    for (int i = 0; i < table.primaryKey().size(); i++) {
      Object value = row.get(table.primaryKey().get(i));
      if (value == null) {
        throw new IllegalArgumentException(
            "row of '"
                + table.name()
                + "' has no primary key value '"
                + table.primaryKey().get(i)
                + "'");
      }
      if (i > 0) key.append('/');
      key.append(RowKeys.part(value));
    }
    return key.toString();
  }

  /** The JSON value of a row given by column names. */
  public String encode(Map<String, ?> row) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (Map.Entry<String, ?> entry : row.entrySet()) {
      Column column = table.column(entry.getKey());
      if (column == null) {
        throw new IllegalArgumentException(
            "table '" + table.name() + "' has no column '" + entry.getKey() + "'");
      }
      Object value = entry.getValue();
      if (value instanceof Enum) value = ((Enum<?>) value).name();
      if (value instanceof Double && isIntegral((Double) value)) {
        value = ((Double) value).longValue(); // Written as 4, not 4.0, like the server writes it.
      }
      fields.put(column.field(), value);
    }
    return codec.toJson(fields);
  }

  static boolean isIntegral(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15;
  }

  /** The key range of this table's rows, for live queries. */
  public void addRange(KeySet reads) {
    reads.addRange(prefix, KeySet.prefixEnd(prefix));
  }
}
