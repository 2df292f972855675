package dev.tandem.server.internal.schema;

import com.squareup.moshi.JsonWriter;
import dev.tandem.Column;
import dev.tandem.Table;
import dev.tandem.protocol.RawJson;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * One table's rows served as the JSON objects the client stores, written straight from the cursor
 * (each column read once), with the row's key made on the way.
 */
final class RowJson {
  private final Table table;
  private final String prefix;

  /** Per column, its position in the primary key, or -1. */
  private final int[] keyPosition;

  /** How many columns the primary key has. */
  private final int keySize;

  RowJson(Table table, String prefix, int[] keyPosition, int keySize) {
    this.table = table;
    this.prefix = prefix;
    this.keyPosition = keyPosition;
    this.keySize = keySize;
  }

  /**
   * Writes the row at the cursor ({@link ServerTable#selectList} from column {@code first}) as the
   * JSON object the client stores: fields by {@code field()} name, nulls left out, whole numbers
   * without {@code .0}. Each column is read once; returns the row's key, made on the way.
   */
  String writeJson(ResultSet rows, int first, JsonWriter writer) throws SQLException, IOException {
    String[] parts = new String[keySize];
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
          if (keyPosition[c] >= 0) part = TableKeys.keyPart(number);
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
}
