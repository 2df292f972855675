package dev.tandem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Permission for the holders of a role to do some operations on rows of one table: seeds/004's
 * {@code ELECTRIC GRANT}. A grant names its table and operations, then its role with {@link #to};
 * optionally the relationships that lead from its table to the role's scope ({@link #through}), the
 * columns an insert or update may set ({@link #columns}), and a condition on the row ({@link
 * #where}). Immutable; checked against the schema by {@link Permissions.Builder#build()}.
 *
 * <pre>{@code
 * Grant.all("projects").to("projects:owner");
 * Grant.select("issues").to("projects:member").through("project");
 * Grant.select("comments").to("projects:member").through("issue", "project");
 * Grant.update("issues").to("projects:member").through("project").columns("title", "status");
 * Grant.select("projects").to(Permissions.ANYONE).where(Condition.eq("public", true));
 * }</pre>
 */
public final class Grant {
  /** What a grant allows on a row. */
  public enum Operation {
    /** Read the row: it syncs to the client. */
    SELECT,
    /** Create the row. */
    INSERT,
    /** Change the row: checked on the row before and after the change. */
    UPDATE,
    /** Delete the row. */
    DELETE
  }

  private final String table;
  private final Set<Operation> operations;
  private final String role;
  private final List<String> through;
  private final List<String> columns;
  private final Condition condition;

  private Grant(
      String table,
      Set<Operation> operations,
      String role,
      List<String> through,
      List<String> columns,
      Condition condition) {
    this.table = table;
    this.operations = Collections.unmodifiableSet(operations);
    this.role = role;
    this.through = Collections.unmodifiableList(through);
    this.columns = columns == null ? null : Collections.unmodifiableList(columns);
    this.condition = condition;
  }

  /**
   * A grant of {@code operations} on rows of {@code table} (by its schema name); name its role next
   * with {@link #to}.
   *
   * @throws IllegalArgumentException if no operation is given.
   */
  public static Grant on(String table, Operation... operations) {
    if (table == null) throw new NullPointerException("table == null");
    if (operations.length == 0) throw new IllegalArgumentException("a grant needs an operation");
    return new Grant(
        table,
        EnumSet.copyOf(Arrays.asList(operations)),
        null,
        new ArrayList<String>(),
        null,
        null);
  }

  /** Every operation: select, insert, update and delete. */
  public static Grant all(String table) {
    return on(table, Operation.values());
  }

  /** Reading rows of {@code table}. */
  public static Grant select(String table) {
    return on(table, Operation.SELECT);
  }

  /** Creating rows of {@code table}. */
  public static Grant insert(String table) {
    return on(table, Operation.INSERT);
  }

  /** Changing rows of {@code table}. */
  public static Grant update(String table) {
    return on(table, Operation.UPDATE);
  }

  /** Deleting rows of {@code table}. */
  public static Grant delete(String table) {
    return on(table, Operation.DELETE);
  }

  /**
   * The role this grant is for: {@link Permissions#ANYONE}, {@link Permissions#AUTHENTICATED},
   * {@link Permissions#ADMIN}, or a scoped role {@code "<scope table>:<name>"} that an {@link
   * Assign} gives users on rows of its scope table ({@code "projects:owner"}).
   */
  public Grant to(String role) {
    if (role == null) throw new NullPointerException("role == null");
    return new Grant(table, operations, role, through, columns, condition);
  }

  /**
   * For a scoped role on another table than this grant's: the relationships, by name, that lead
   * from a row of this grant's table to the row of the role's scope, one table at a time ({@code
   * through("issue", "project")} from a comment to its issue, then to the project). Each
   * must be a relationship of one hop. A row whose path ends at no row is covered by no such grant.
   */
  public Grant through(String... relationships) {
    return new Grant(table, operations, role, Arrays.asList(relationships), columns, condition);
  }

  /**
   * Limits an insert or update grant to these columns: an insert may set only them, an update may
   * change only them. Not for select (a client syncs whole rows) or delete.
   */
  public Grant columns(String... names) {
    return new Grant(table, operations, role, through, Arrays.asList(names), condition);
  }

  /**
   * Limits the grant to rows of its table for which {@code condition} holds: for an update, the row
   * before and after the change.
   */
  public Grant where(Condition condition) {
    if (condition == null) throw new NullPointerException("condition == null");
    return new Grant(table, operations, role, through, columns, condition);
  }

  /** The table, by its schema name. */
  public String table() {
    return table;
  }

  /** The operations granted. Unmodifiable. */
  public Set<Operation> operations() {
    return operations;
  }

  /** The role, or null if {@link #to} was not called (which {@code build()} refuses). */
  public String role() {
    return role;
  }

  /** The relationships from this table to the role's scope; empty for none. Unmodifiable. */
  public List<String> through() {
    return through;
  }

  /** The columns an insert or update may set, or null for every column. Unmodifiable. */
  public List<String> columns() {
    return columns;
  }

  /** The row condition, or null for every row. */
  public Condition condition() {
    return condition;
  }

  @Override
  public String toString() {
    return "grant " + operations + " on " + table + " to " + role;
  }
}
