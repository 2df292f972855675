package dev.tandem;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A column of a schema {@link Table}: {@code string}, {@code number}, {@code bool}, {@code json} or
 * {@code enumeration}, required unless {@link #optional()}, read from the JSON field of the same
 * name unless {@link #from(String)} names another. Immutable.
 *
 * <pre>{@code
 * Column.string("orgID").from("org_id");
 * Column.enumeration("mood", Mood.class).optional();
 * Column.json("settings", Settings.class);
 * }</pre>
 */
public final class Column {
  /** The kind of value a column holds. */
  public enum Type {
    /** A JSON string, read as {@code String}. */
    STRING,
    /** A JSON number, read as {@code Double} (whole numbers too). */
    NUMBER,
    /** A JSON boolean, read as {@code Boolean}. */
    BOOL,
    /** Any JSON value, kept as JSON text and read as plain Java values. */
    JSON,
    /** A JSON string out of a fixed set of values, read as {@code String}. */
    ENUMERATION
  }

  private final String name;
  private final Type type;
  private final boolean optional;
  private final String from;
  private final Class<?> javaType;
  private final Set<String> values;

  private Column(
      String name,
      Type type,
      boolean optional,
      String from,
      Class<?> javaType,
      Set<String> values) {
    this.name = name;
    this.type = type;
    this.optional = optional;
    this.from = from;
    this.javaType = javaType;
    this.values = values;
  }

  private static Column of(String name, Type type, Class<?> javaType, Set<String> values) {
    if (name == null) throw new NullPointerException("column name == null");
    return new Column(name, type, false, name, javaType, values);
  }

  /**
   * A column holding a JSON string, read as {@code String}. A synced value whose field holds
   * another JSON type does not fit the table (see {@code SchemaViolationListener}).
   *
   * @throws NullPointerException if {@code name} is null.
   */
  public static Column string(String name) {
    return of(name, Type.STRING, String.class, null);
  }

  /**
   * A column holding a JSON number, read as {@code Double}: {@code 4} reads as {@code 4.0}.
   *
   * @throws NullPointerException if {@code name} is null.
   */
  public static Column number(String name) {
    return of(name, Type.NUMBER, Double.class, null);
  }

  /**
   * A column holding a JSON {@code true} or {@code false}, read as {@code Boolean}.
   *
   * @throws NullPointerException if {@code name} is null.
   */
  public static Column bool(String name) {
    return of(name, Type.BOOL, Boolean.class, null);
  }

  /** Any JSON value, read as plain Java values. */
  public static Column json(String name) {
    return of(name, Type.JSON, Object.class, null);
  }

  /** A JSON value mapped to {@code type} through Moshi when rows are mapped to classes. */
  public static Column json(String name, Class<?> type) {
    return of(name, Type.JSON, type, null);
  }

  /** One of the constants of {@code type}, stored by {@link Enum#name()}. */
  public static Column enumeration(String name, Class<? extends Enum<?>> type) {
    Set<String> names = new LinkedHashSet<>();
    for (Enum<?> constant : type.getEnumConstants()) names.add(constant.name());
    return of(name, Type.ENUMERATION, type, Collections.unmodifiableSet(names));
  }

  /**
   * One of {@code values}, a string.
   *
   * @throws IllegalArgumentException if {@code values} is empty.
   */
  public static Column enumeration(String name, String... values) {
    if (values.length == 0)
      throw new IllegalArgumentException("enumeration '" + name + "' has no values");
    return of(
        name,
        Type.ENUMERATION,
        String.class,
        Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(values))));
  }

  /** May hold null (or be absent from the JSON value). */
  public Column optional() {
    return new Column(name, type, true, from, javaType, values);
  }

  /** Reads the value from JSON field {@code field} instead of {@link #name()}. */
  public Column from(String field) {
    if (field == null || field.isEmpty()) throw new IllegalArgumentException("empty from() field");
    return new Column(name, type, optional, field, javaType, values);
  }

  /**
   * The column's name, as queries, {@link Row}s and {@link TableWriter} rows use it. The JSON field
   * may differ: see {@link #field()}.
   */
  public String name() {
    return name;
  }

  /** The kind of value this column holds. */
  public Type type() {
    return type;
  }

  /**
   * True if the column may be null or absent from the JSON value ({@link #optional()}); false if a
   * synced value without it does not fit the table. Primary key columns cannot be optional.
   */
  public boolean isOptional() {
    return optional;
  }

  /** The JSON field the value comes from. */
  public String field() {
    return from;
  }

  /** The Java type values map to. */
  public Class<?> javaType() {
    return javaType;
  }

  /** The allowed values of an enumeration; null for other types. */
  public Set<String> values() {
    return values;
  }

  @Override
  public String toString() {
    return name + " " + type.name().toLowerCase() + (optional ? " optional" : "");
  }
}
