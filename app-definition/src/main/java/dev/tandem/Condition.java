package dev.tandem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * A filter of a {@link Query}: comparisons of a column with a value ({@code =}, {@code !=}, {@code
 * <}, {@code <=}, {@code >}, {@code >=}, {@code IN}, {@code LIKE}), {@code IS NULL}, and {@code
 * and}/{@code or} of others. Values are always bound as parameters; column names are checked
 * against the schema when the query runs, which throws {@link IllegalArgumentException} for a
 * column the table lacks. As in SQL, comparisons with a null column are false. Numbers compare as
 * {@code double}s, booleans as 1 and 0, enum constants by {@link Enum#name()}. Immutable.
 *
 * <pre>{@code
 * Query.from("message")
 *     .where(Condition.or(Condition.isNull("parentID"), Condition.cmp("order", ">", 10)));
 * }</pre>
 */
public final class Condition {
  /** What a condition tests. */
  public enum Kind {
    /** {@code column op value}: see {@link #cmp}. */
    COMPARE,
    /** {@code column IS NULL}. */
    IS_NULL,
    /** {@code column IS NOT NULL}. */
    IS_NOT_NULL,
    /** {@code column IN (values…)}. */
    IN,
    /** Every one of the parts holds. */
    AND,
    /** At least one of the parts holds. */
    OR
  }

  private static final List<String> OPERATORS =
      Arrays.asList("=", "!=", "<", "<=", ">", ">=", "LIKE");

  private final Kind kind;
  private final String column;
  private final String operator;
  private final Object value;
  private final List<Object> values;
  private final List<Condition> parts;

  private Condition(
      Kind kind,
      String column,
      String operator,
      Object value,
      List<Object> values,
      List<Condition> parts) {
    this.kind = kind;
    this.column = column;
    this.operator = operator;
    this.value = value;
    this.values = values;
    this.parts = parts;
  }

  /**
   * {@code column op value}; {@code op} is one of {@code = != < <= > >= LIKE} (case and surrounding
   * spaces do not matter), or {@code IN} with a collection (see {@link #in}).
   *
   * @throws NullPointerException if {@code column} is null.
   * @throws IllegalArgumentException if {@code op} is unknown, if {@code value} is null (use {@link
   *     #isNull} and {@link #isNotNull}), or if {@code op} is {@code IN} and {@code value} is not a
   *     collection.
   */
  public static Condition cmp(String column, String op, Object value) {
    if (column == null) throw new NullPointerException("column == null");
    String operator = op.trim().toUpperCase();
    if (operator.equals("IN")) {
      if (!(value instanceof Collection))
        throw new IllegalArgumentException("IN takes a collection");
      return in(column, (Collection<?>) value);
    }
    if (!OPERATORS.contains(operator)) {
      throw new IllegalArgumentException(
          "unknown operator '" + op + "': use = != < <= > >= IN LIKE, or isNull()");
    }
    if (value == null) {
      throw new IllegalArgumentException("compare with null through isNull()/isNotNull()");
    }
    return new Condition(Kind.COMPARE, column, operator, value, null, null);
  }

  /**
   * {@code column = value}.
   *
   * <pre>{@code
   * Query.from("message").where(Condition.eq("senderID", userID));
   * }</pre>
   *
   * @throws NullPointerException if {@code column} is null.
   * @throws IllegalArgumentException if {@code value} is null: use {@link #isNull}.
   */
  public static Condition eq(String column, Object value) {
    return cmp(column, "=", value);
  }

  /**
   * {@code column LIKE pattern}, by SQLite's rules: {@code %} matches any run of characters, {@code
   * _} any one character, and ASCII letters match either case. There is no escape character.
   *
   * <pre>{@code
   * Condition.like("title", "%sync%");
   * }</pre>
   *
   * @throws NullPointerException if {@code column} is null.
   * @throws IllegalArgumentException if {@code pattern} is null.
   */
  public static Condition like(String column, String pattern) {
    return cmp(column, "LIKE", pattern);
  }

  /**
   * {@code column IN (values…)}; an empty collection matches no row, and a null element matches
   * nothing. The values are copied.
   *
   * <pre>{@code
   * Condition.in("status", Arrays.asList("open", "blocked"));
   * }</pre>
   *
   * @throws NullPointerException if {@code values} is null.
   */
  public static Condition in(String column, Collection<?> values) {
    return new Condition(
        Kind.IN,
        column,
        "IN",
        null,
        Collections.unmodifiableList(new ArrayList<Object>(values)),
        null);
  }

  /** {@code column IS NULL}: the value is null, or an optional column was absent from the JSON. */
  public static Condition isNull(String column) {
    return new Condition(Kind.IS_NULL, column, null, null, null, null);
  }

  /** {@code column IS NOT NULL}. */
  public static Condition isNotNull(String column) {
    return new Condition(Kind.IS_NOT_NULL, column, null, null, null, null);
  }

  /** Holds when every one of {@code parts} does; with no parts it holds for every row. */
  public static Condition and(Condition... parts) {
    return new Condition(Kind.AND, null, null, null, null, Arrays.asList(parts.clone()));
  }

  /** Holds when at least one of {@code parts} does; with no parts it holds for no row. */
  public static Condition or(Condition... parts) {
    return new Condition(Kind.OR, null, null, null, null, Arrays.asList(parts.clone()));
  }

  /** What this condition tests. */
  public Kind kind() {
    return kind;
  }

  /** The column compared, or null for {@link Kind#AND} and {@link Kind#OR}. */
  public String column() {
    return column;
  }

  /** For {@link Kind#COMPARE}: one of {@code = != < <= > >= LIKE}; otherwise null. */
  public String operator() {
    return operator;
  }

  /** For {@link Kind#COMPARE}: the value compared with; otherwise null. */
  public Object value() {
    return value;
  }

  /** For {@link Kind#IN}: the values; otherwise null. */
  public List<Object> values() {
    return values;
  }

  /** For {@link Kind#AND} and {@link Kind#OR}: the conditions combined; otherwise null. */
  public List<Condition> parts() {
    return parts;
  }
}
