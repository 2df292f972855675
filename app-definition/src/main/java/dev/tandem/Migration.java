package dev.tandem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One step of an app's {@link Migrations}: the server's database moves to {@link #schema()}'s
 * version. The SQL comes from the difference with the previous step (a new table, a new optional
 * column, a new index, a new enumeration value), so ordinary changes need none. An <b>expand</b>
 * step only adds; a <b>contract</b> step raises the oldest client schema version the server serves,
 * and drops what no served version uses any more. Immutable.
 *
 * <pre>{@code
 * Migration.to(V2);                                        // add what V2 adds
 * Migration.to(V3).mirror("user", "nickname", "displayName"); // rename, expand half
 * Migration.to(V4).contract(4);                            // serve 4 and up; drop nickname
 * Migration.to(V5).sql("postgres", "CREATE INDEX CONCURRENTLY …"); // hand-written SQL
 * }</pre>
 */
public final class Migration {
  /** Hand-written SQL for every database. */
  public static final String ANY = "any";

  private final Schema schema;
  private final int minClientVersion;
  private final List<Mirror> mirrors;
  private final Map<String, List<String>> sql;

  private Migration(
      Schema schema, int minClientVersion, List<Mirror> mirrors, Map<String, List<String>> sql) {
    this.schema = schema;
    this.minClientVersion = minClientVersion;
    this.mirrors = Collections.unmodifiableList(mirrors);
    this.sql = Collections.unmodifiableMap(sql);
  }

  /**
   * An expand step to {@code schema}: the version is {@code schema.version()}.
   *
   * @throws NullPointerException if {@code schema} is null.
   */
  public static Migration to(Schema schema) {
    if (schema == null) throw new NullPointerException("schema == null");
    return new Migration(
        schema, -1, new ArrayList<Mirror>(), new LinkedHashMap<String, List<String>>());
  }

  /**
   * Makes this a contract step: from it on, the server serves client schema versions {@code
   * minClientVersion} and up, answers older clients {@code VersionNotSupported}, and drops the
   * tables and columns that no served version has. {@code minClientVersion} must be above the
   * previous minimum and at most this step's version.
   */
  public Migration contract(int minClientVersion) {
    return new Migration(schema, minClientVersion, mirrors, sql);
  }

  /**
   * Keeps column {@code to} of {@code table} equal to column {@code from} while both exist: the
   * step copies {@code from} into rows where {@code to} is null, and from then on a write that sets
   * one of them and leaves the other sets both (whichever changed wins), so clients that know only
   * the old name and clients that know only the new one see each other's writes. The expand half of
   * a rename, or of making a required column optional through a new column.
   */
  public Migration mirror(String table, String from, String to) {
    return mirror(table, from, to, null);
  }

  /**
   * As {@link #mirror(String, String, String)}, and when {@code to} is set to null, {@code from}
   * gets {@code whenNull} (for a required {@code from} that older clients still read).
   */
  public Migration mirror(String table, String from, String to, Object whenNull) {
    List<Mirror> all = new ArrayList<>(mirrors);
    all.add(new Mirror(table, from, to, whenNull));
    return new Migration(schema, minClientVersion, all, sql);
  }

  /**
   * Adds hand-written statements, run in order after the derived ones, in the step's transaction:
   * for {@code dialect} {@code "sqlite"} or {@code "postgres"} only, or {@link #ANY}. A statement
   * that changes rows clients have must set {@code _tandem_version = ${version}} on them (the text
   * {@code ${version}} becomes the step's sync version), or clients do not see the change. The
   * server checks the tables against the schema afterwards.
   */
  public Migration sql(String dialect, String... statements) {
    if (!dialect.equals(ANY) && !dialect.equals("sqlite") && !dialect.equals("postgres")) {
      throw new IllegalArgumentException(
          "dialect must be \"sqlite\", \"postgres\" or \"any\", got '" + dialect + "'");
    }
    Map<String, List<String>> all = new LinkedHashMap<>(sql);
    List<String> list = new ArrayList<>(all.containsKey(dialect) ? all.get(dialect) : EMPTY);
    list.addAll(Arrays.asList(statements));
    all.put(dialect, Collections.unmodifiableList(list));
    return new Migration(schema, minClientVersion, mirrors, all);
  }

  private static final List<String> EMPTY = Collections.emptyList();

  /** The schema this step moves to. */
  public Schema schema() {
    return schema;
  }

  /** The step's version: its schema's. */
  public int version() {
    return schema.version();
  }

  /** True for a contract step. */
  public boolean isContract() {
    return minClientVersion >= 0;
  }

  /** The oldest client schema version served from this step on; -1 for an expand step. */
  public int minClientVersion() {
    return minClientVersion;
  }

  /** The mirrors declared by this step. */
  public List<Mirror> mirrors() {
    return mirrors;
  }

  /** Hand-written statements for {@code dialect} ({@code "sqlite"} or {@code "postgres"}). */
  public List<String> sql(String dialect) {
    List<String> result = new ArrayList<>();
    if (sql.containsKey(ANY)) result.addAll(sql.get(ANY));
    if (sql.containsKey(dialect)) result.addAll(sql.get(dialect));
    return result;
  }

  /** Every hand-written statement by dialect key, as given. */
  public Map<String, List<String>> allSql() {
    return sql;
  }

  @Override
  public String toString() {
    return "migration "
        + version()
        + (isContract() ? " (contract: " + minClientVersion + "+)" : "");
  }

  /** Two columns of a table kept equal while both exist. Immutable. */
  public static final class Mirror {
    private final String table;
    private final String from;
    private final String to;
    private final Object whenNull;

    Mirror(String table, String from, String to, Object whenNull) {
      if (table == null || from == null || to == null) throw new NullPointerException();
      if (from.equals(to)) throw new IllegalArgumentException("a column cannot mirror itself");
      this.table = table;
      this.from = from;
      this.to = to;
      this.whenNull = whenNull;
    }

    public String table() {
      return table;
    }

    /** The column that exists already (the old name). */
    public String from() {
      return from;
    }

    /** The column that takes its values (the new name). */
    public String to() {
      return to;
    }

    /** What {@link #from()} gets when {@link #to()} is set to null; null for null. */
    public Object whenNull() {
      return whenNull;
    }

    @Override
    public String toString() {
      return table + "." + from + " <-> " + table + "." + to;
    }
  }
}
