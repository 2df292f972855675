package dev.tandem.internal.app;

/**
 * How a primary key value is spelled in a row's key, {@code <from>/<pk1>/<pk2>…}: the same on the
 * client and on the server, so both make the same key for a row.
 */
public final class RowKeys {
  private RowKeys() {}

  /** A whole {@code Double} without {@code .0} ({@code 4}), anything else as its string. */
  public static String part(Object value) {
    if (value instanceof Double) return number((Double) value);
    if (value instanceof Enum) return ((Enum<?>) value).name();
    return value.toString();
  }

  /** {@code 4.0} as {@code 4}, {@code 4.5} as {@code 4.5}. */
  public static String number(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
