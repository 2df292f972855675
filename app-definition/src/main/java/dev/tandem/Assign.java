package dev.tandem;

/**
 * Gives users a scoped role from the data: seeds/004's {@code ELECTRIC ASSIGN}. A scoped role is
 * named {@code "<scope table>:<name>"} and held on rows of its scope table; {@link Grant}s to it
 * reach the rows of other tables through the schema's relationships. Three sources:
 *
 * <ul>
 *   <li>{@link #column}: the user a column of the scope row names ({@code projects.owner_id} gives
 *       {@code projects:owner});
 *   <li>{@link #table}: a row of a membership table naming the scope row and the user ({@code
 *       memberships(project_id, user_id)} gives {@code projects:member}), the role's name
 *       optionally read from a column of that row ({@link #roleColumn});
 *   <li>{@link #where}: every user, on the scope rows a condition holds for ({@code projects.public
 *       = true} gives {@code projects:public}).
 * </ul>
 *
 * Immutable; checked against the schema by {@link Permissions.Builder#build()}.
 *
 * <pre>{@code
 * Assign.column("projects:owner", "owner_id");
 * Assign.table("projects:member", "memberships", "project_id", "user_id");
 * Assign.table("projects", "memberships", "project_id", "user_id").roleColumn("role");
 * Assign.where("projects:public", Condition.eq("public", true));
 * }</pre>
 */
public final class Assign {
  /** Where an assignment reads its users from. */
  public enum Kind {
    /** A column of the scope row names the user. */
    COLUMN,
    /** A row of a membership table names the scope row and the user. */
    TABLE,
    /** Every user, on the scope rows a condition holds for. */
    WHERE
  }

  private final Kind kind;
  private final String role;
  private final String table;
  private final String scopeColumn;
  private final String userColumn;
  private final String roleColumn;
  private final Condition condition;

  private Assign(
      Kind kind,
      String role,
      String table,
      String scopeColumn,
      String userColumn,
      String roleColumn,
      Condition condition) {
    if (role == null) throw new NullPointerException("role == null");
    this.kind = kind;
    this.role = role;
    this.table = table;
    this.scopeColumn = scopeColumn;
    this.userColumn = userColumn;
    this.roleColumn = roleColumn;
    this.condition = condition;
  }

  /**
   * The user named by {@code userColumn} of a scope row holds {@code role} on that row: {@code
   * column("projects:owner", "owner_id")}.
   */
  public static Assign column(String role, String userColumn) {
    if (userColumn == null) throw new NullPointerException("userColumn == null");
    return new Assign(Kind.COLUMN, role, null, null, userColumn, null, null);
  }

  /**
   * Each live row of {@code table} gives the user in its {@code userColumn} {@code role} on the
   * scope row whose primary key is in its {@code scopeColumn}: {@code table("projects:member",
   * "memberships", "project_id", "user_id")}. The scope table needs a one-column primary key.
   */
  public static Assign table(String role, String table, String scopeColumn, String userColumn) {
    if (table == null || scopeColumn == null || userColumn == null) {
      throw new NullPointerException("table, scopeColumn and userColumn are required");
    }
    return new Assign(Kind.TABLE, role, table, scopeColumn, userColumn, null, null);
  }

  /**
   * For a {@link #table} assignment: the role's name is the value of {@code column} in the
   * membership row, so its role is given as the scope table alone: {@code table("projects",
   * "memberships", "project_id", "user_id").roleColumn("role")} gives {@code projects:admin} to a
   * row whose role is {@code admin}.
   */
  public Assign roleColumn(String column) {
    if (kind != Kind.TABLE) throw new IllegalStateException("only table() assignments read a role");
    if (column == null) throw new NullPointerException("column == null");
    return new Assign(kind, role, table, scopeColumn, userColumn, column, condition);
  }

  /**
   * Every user holds {@code role} on the scope rows for which {@code condition} holds: {@code
   * where("projects:public", Condition.eq("public", true))}.
   */
  public static Assign where(String role, Condition condition) {
    if (condition == null) throw new NullPointerException("condition == null");
    return new Assign(Kind.WHERE, role, null, null, null, null, condition);
  }

  public Kind kind() {
    return kind;
  }

  /**
   * The role as given: {@code "<scope table>:<name>"}, or the scope table alone with a {@link
   * #roleColumn}.
   */
  public String role() {
    return role;
  }

  /** The scope table's schema name: the role's part before {@code ':'}. */
  public String scopeTable() {
    int colon = role.indexOf(':');
    return colon < 0 ? role : role.substring(0, colon);
  }

  /** The role's name after {@code ':'}, or null when it is read from a {@link #roleColumn}. */
  public String roleName() {
    int colon = role.indexOf(':');
    return colon < 0 ? null : role.substring(colon + 1);
  }

  /** For {@link Kind#TABLE}: the membership table; otherwise null. */
  public String table() {
    return table;
  }

  /** For {@link Kind#TABLE}: the membership table's column holding the scope row's key. */
  public String scopeColumn() {
    return scopeColumn;
  }

  /**
   * The column naming the user: of the scope table ({@link Kind#COLUMN}) or of the membership table
   * ({@link Kind#TABLE}); null for {@link Kind#WHERE}.
   */
  public String userColumn() {
    return userColumn;
  }

  /** For {@link Kind#TABLE}: the column holding the role's name, or null. */
  public String roleColumn() {
    return roleColumn;
  }

  /** For {@link Kind#WHERE}: the condition on the scope row; otherwise null. */
  public Condition condition() {
    return condition;
  }

  @Override
  public String toString() {
    return "assign " + role + " (" + kind + ")";
  }
}
