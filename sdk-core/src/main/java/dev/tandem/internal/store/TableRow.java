package dev.tandem.internal.store;

import dev.tandem.Column;
import dev.tandem.internal.app.JsonCodec;
import java.util.HashMap;
import java.util.Map;

/**
 * A row a new mutation writes through {@code tx.table(name)}, made ready to store in one pass: its
 * key, its JSON value (the text {@link TypedTable#encode} makes of the same values) and its insert
 * arguments (those {@link TypedTable#bind} makes from that text), without Moshi writing the text
 * and parsing it again.
 *
 * <p>Only for values whose JSON text and parse are known exactly: null, {@code String} (without an
 * unpaired surrogate, which UTF-8 turns into {@code ?}), {@code Boolean}, {@code Long}, {@code
 * Integer}, a finite {@code Double} and an {@code Enum} (its name), with Moshi's built-in adapters
 * for them ({@code JsonCodec.standardAdapters}). A JSON number parses as a {@code Double}: a whole
 * number as the nearest double to it (a long beyond 2^53 too), {@code -0.0} as {@code 0.0} ({@link
 * TypedTable#encode} writes whole doubles as integers), any other double as itself ({@link
 * Double#toString} parses back to the same double). Anything else (a map, a list, an object, a
 * {@code BigDecimal}, a {@code Float}, a byte, an unknown column, a value that does not fit its
 * column) makes {@link #of} answer null and the caller takes the JSON path, which replays, pulls
 * and the server take anyway: both paths store the same row.
 */
public final class TableRow {
  final TypedTable table;
  public final String key;
  public final String json;
  final Object[] args;

  private TableRow(TypedTable table, String key, String json, Object[] args) {
    this.table = table;
    this.key = key;
    this.json = json;
    this.args = args;
  }

  /**
   * The row of {@code values} (by column name) with key {@code key}, or null if the JSON path must
   * write it (see above).
   */
  static TableRow of(TypedTable table, String key, Map<String, ?> values) {
    if (!table.directRows()) return null;
    StringBuilder json = new StringBuilder(64).append('{');
    Map<String, Object> parsed = new HashMap<>(); // What parsing the text gives, by JSON field.
    for (Map.Entry<String, ?> entry : values.entrySet()) {
      Column column = table.table.column(entry.getKey());
      if (column == null) return null;
      Object value = entry.getValue();
      if (value instanceof Enum) value = ((Enum<?>) value).name();
      Object read;
      String text;
      if (value == null) {
        continue; // Moshi leaves null fields out.
      } else if (value instanceof String) {
        if (!JsonCodec.wellFormed((String) value)) return null;
        read = value;
        text = quote((String) value);
      } else if (value instanceof Boolean) {
        read = value;
        text = value.toString();
      } else if (value instanceof Long || value instanceof Integer) {
        long number = ((Number) value).longValue();
        read = (double) number;
        text = Long.toString(number);
      } else if (value instanceof Double) {
        double number = (Double) value;
        if (Double.isNaN(number) || Double.isInfinite(number)) return null;
        if (TypedTable.isIntegral(number)) {
          long whole = (long) number; // -0.0 is written 0, read 0.0.
          read = (double) whole;
          text = Long.toString(whole);
        } else {
          read = number;
          text = Double.toString(number);
        }
      } else {
        return null;
      }
      parsed.put(column.field(), read);
      if (json.length() > 1) json.append(',');
      json.append(table.fieldName(column)).append(text);
    }
    String text = json.append('}').toString();
    Object[] args = table.newArgs();
    if (table.bindFields(key, text, parsed, args) != null) {
      return null; // It does not fit: the JSON path keeps it in tandem_kv and reports why.
    }
    return new TableRow(table, key, text, args);
  }

  /** {@code s} as a JSON string, escaped as Moshi's writer escapes it. */
  static String quote(String s) {
    StringBuilder out = null;
    int last = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String replacement;
      if (c < 128) {
        replacement = REPLACEMENTS[c];
        if (replacement == null) continue;
      } else if (c == '\u2028') {
        replacement = "\\u2028";
      } else if (c == '\u2029') {
        replacement = "\\u2029";
      } else {
        continue;
      }
      if (out == null) out = new StringBuilder(s.length() + 16).append('"');
      out.append(s, last, i).append(replacement);
      last = i + 1;
    }
    if (out == null) return '"' + s + '"';
    return out.append(s, last, s.length()).append('"').toString();
  }

  /** Moshi's {@code JsonUtf8Writer} replacements for ASCII characters. */
  private static final String[] REPLACEMENTS = new String[128];

  static {
    for (int i = 0; i <= 0x1f; i++) REPLACEMENTS[i] = String.format("\\u%04x", i);
    REPLACEMENTS['"'] = "\\\"";
    REPLACEMENTS['\\'] = "\\\\";
    REPLACEMENTS['\t'] = "\\t";
    REPLACEMENTS['\b'] = "\\b";
    REPLACEMENTS['\n'] = "\\n";
    REPLACEMENTS['\r'] = "\\r";
    REPLACEMENTS['\f'] = "\\f";
  }
}
