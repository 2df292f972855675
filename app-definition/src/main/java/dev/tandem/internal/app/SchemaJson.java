package dev.tandem.internal.app;

import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import dev.tandem.Column;
import dev.tandem.Schema;
import dev.tandem.Table;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okio.Buffer;

/**
 * A schema's storage as canonical JSON: version, tables (name, from, columns with type, field,
 * optional and enumeration values, primary key, indexes), in declaration order. Relationships are
 * left out: they change no stored data. What a client keeps of the schema it last opened with, and
 * what a migration's checksum covers.
 */
public final class SchemaJson {
  private SchemaJson() {}

  public static String write(Schema schema) {
    Buffer buffer = new Buffer();
    try (JsonWriter writer = JsonWriter.of(buffer)) {
      write(schema, writer);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return buffer.readUtf8();
  }

  public static void write(Schema schema, JsonWriter writer) throws IOException {
    writer.beginObject();
    writer.name("version").value(schema.version());
    writer.name("tables").beginArray();
    for (Table table : schema.tables()) {
      writer.beginObject();
      writer.name("name").value(table.name());
      writer.name("from").value(table.serverName());
      writer.name("columns").beginArray();
      for (Column column : table.columns()) {
        writer.beginObject();
        writer.name("name").value(column.name());
        writer.name("type").value(column.type().name());
        writer.name("field").value(column.field());
        writer.name("optional").value(column.isOptional());
        if (column.values() != null) strings(writer.name("values"), column.values());
        writer.endObject();
      }
      writer.endArray();
      strings(writer.name("primaryKey"), table.primaryKey());
      writer.name("indexes").beginArray();
      for (List<String> index : table.indexes()) strings(writer, index);
      writer.endArray();
      writer.endObject();
    }
    writer.endArray();
    writer.endObject();
  }

  private static void strings(JsonWriter writer, Iterable<String> strings) throws IOException {
    writer.beginArray();
    for (String string : strings) writer.value(string);
    writer.endArray();
  }

  /**
   * The schema {@link #write} wrote (without relationships; JSON columns read as plain values).
   *
   * @throws IllegalArgumentException if {@code json} is not such a document.
   */
  public static Schema read(String json) {
    try {
      JsonReader reader = JsonReader.of(new Buffer().writeUtf8(json));
      Schema.Builder schema = Schema.builder();
      reader.beginObject();
      while (reader.hasNext()) {
        switch (reader.nextName()) {
          case "version":
            schema.version(reader.nextInt());
            break;
          case "tables":
            for (Table table : array(reader, SchemaJson::readTable)) schema.table(table);
            break;
          default:
            reader.skipValue();
        }
      }
      reader.endObject();
      return schema.build();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a stored schema: " + e.getMessage(), e);
    }
  }

  private static Table readTable(JsonReader reader) throws IOException {
    String name = null;
    String from = null;
    List<Column> columns = new ArrayList<>();
    List<String> key = new ArrayList<>();
    List<List<String>> indexes = new ArrayList<>();
    reader.beginObject();
    while (reader.hasNext()) {
      switch (reader.nextName()) {
        case "name":
          name = reader.nextString();
          break;
        case "from":
          from = reader.nextString();
          break;
        case "columns":
          columns = array(reader, SchemaJson::readColumn);
          break;
        case "primaryKey":
          key = strings(reader);
          break;
        case "indexes":
          indexes = array(reader, SchemaJson::strings);
          break;
        default:
          reader.skipValue();
      }
    }
    reader.endObject();
    Table table =
        Table.named(name)
            .from(from)
            .columns(columns.toArray(new Column[0]))
            .primaryKey(key.toArray(new String[0]));
    for (List<String> index : indexes) table = table.index(index.toArray(new String[0]));
    return table;
  }

  private static Column readColumn(JsonReader reader) throws IOException {
    String name = null;
    String type = null;
    String field = null;
    boolean optional = false;
    List<String> values = null;
    reader.beginObject();
    while (reader.hasNext()) {
      switch (reader.nextName()) {
        case "name":
          name = reader.nextString();
          break;
        case "type":
          type = reader.nextString();
          break;
        case "field":
          field = reader.nextString();
          break;
        case "optional":
          optional = reader.nextBoolean();
          break;
        case "values":
          values = strings(reader);
          break;
        default:
          reader.skipValue();
      }
    }
    reader.endObject();
    Column column;
    switch (Column.Type.valueOf(type)) {
      case NUMBER:
        column = Column.number(name);
        break;
      case BOOL:
        column = Column.bool(name);
        break;
      case JSON:
        column = Column.json(name);
        break;
      case ENUMERATION:
        column = Column.enumeration(name, values.toArray(new String[0]));
        break;
      default:
        column = Column.string(name);
    }
    if (optional) column = column.optional();
    return field == null || field.equals(name) ? column : column.from(field);
  }

  private static List<String> strings(JsonReader reader) throws IOException {
    return array(reader, JsonReader::nextString);
  }

  /** Reads one element of an array. */
  private interface Element<T> {
    T read(JsonReader reader) throws IOException;
  }

  private static <T> List<T> array(JsonReader reader, Element<T> element) throws IOException {
    List<T> result = new ArrayList<>();
    reader.beginArray();
    while (reader.hasNext()) result.add(element.read(reader));
    reader.endArray();
    return result;
  }
}
