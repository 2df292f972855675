package dev.tandem.server.internal.schema;

import dev.tandem.Column;
import dev.tandem.server.Dialect;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The SQL types schema columns are stored as, and the existing types accepted for them. */
final class SqlTypes {
  private SqlTypes() {}

  /** The type a new table declares for {@code column}. */
  static String declared(Column column, Dialect dialect) {
    boolean postgres = dialect == Dialect.POSTGRES;
    switch (column.type()) {
      case NUMBER:
        return postgres ? "DOUBLE PRECISION" : "REAL";
      case BOOL:
        return postgres ? "BOOLEAN" : "INTEGER";
      case JSON:
        return postgres ? "JSONB" : "TEXT";
      default:
        return "TEXT";
    }
  }

  /**
   * The types an existing table may have for {@code column}: Postgres {@code data_type}s of
   * information_schema, SQLite declared types (upper case).
   */
  static List<String> accepted(Column.Type type, Dialect dialect) {
    if (dialect == Dialect.POSTGRES) {
      switch (type) {
        case NUMBER:
          return Arrays.asList("double precision", "real", "numeric");
        case BOOL:
          return Arrays.asList("boolean");
        case JSON:
          return Arrays.asList("jsonb", "json");
        default:
          return Arrays.asList("text", "character varying");
      }
    }
    switch (type) {
      case NUMBER:
        return Arrays.asList("REAL", "DOUBLE", "DOUBLE PRECISION", "FLOAT", "NUMERIC");
      case BOOL:
        return Arrays.asList("INTEGER", "BOOLEAN", "INT");
      case JSON:
        return Arrays.asList("TEXT", "JSON");
      default:
        return Arrays.asList("TEXT", "VARCHAR");
    }
  }

  /** True if an existing column of {@code actual} type can hold {@code type}'s values. */
  static boolean accepts(Column.Type type, Dialect dialect, String actual) {
    String normalized = actual.trim();
    if (dialect == Dialect.SQLITE) {
      normalized = normalized.toUpperCase(Locale.ROOT).replaceAll("\\s*\\(.*\\)$", "");
    }
    return accepted(type, dialect).contains(normalized);
  }

  /** The bookkeeping columns' types. */
  static boolean isBigint(Dialect dialect, String actual) {
    return dialect == Dialect.POSTGRES
        ? actual.equals("bigint")
        : Arrays.asList("BIGINT", "INTEGER", "INT").contains(actual.toUpperCase(Locale.ROOT));
  }

  static boolean isBoolean(Dialect dialect, String actual) {
    return dialect == Dialect.POSTGRES
        ? actual.equals("boolean")
        : Arrays.asList("BOOLEAN", "INTEGER", "INT").contains(actual.toUpperCase(Locale.ROOT));
  }
}
