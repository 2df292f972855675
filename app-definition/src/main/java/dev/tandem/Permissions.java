package dev.tandem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who may read and write which rows: roles assigned from the data ({@link Assign}) and grants per
 * table and operation ({@link Grant}), declared beside the schema (seeds/004's ASSIGN and GRANT)
 * and enforced by the Tandem server. An app without them ({@link AppDefinition#permissions()} null)
 * lets every user read and write every row. With them, a user reads exactly the rows some select
 * grant covers, and a mutation that would write a row no grant covers is refused as a whole.
 * Validated when built; immutable.
 *
 * <pre>{@code
 * Permissions.builder(SCHEMA)
 *     .assign(Assign.column("projects:owner", "owner_id"))
 *     .assign(Assign.table("projects:member", "memberships", "project_id", "user_id"))
 *     .grant(Grant.all("projects").to("projects:owner"))
 *     .grant(Grant.select("projects").to("projects:member"))
 *     .grant(Grant.all("issues").to("projects:member").through("project"))
 *     .build();
 * }</pre>
 */
public final class Permissions {
  /** Every user, the dev authenticator's {@code anonymous} included. */
  public static final String ANYONE = "ANYONE";

  /** Every user but {@link #ANONYMOUS_USER}. */
  public static final String AUTHENTICATED = "AUTHENTICATED";

  /** The users listed by {@link Builder#admins}. */
  public static final String ADMIN = "ADMIN";

  /**
   * In a grant's or an assignment's {@link Condition}, the user asking: {@code
   * Condition.eq("author_id", Permissions.USER)} holds for the rows whose {@code author_id} is the
   * pushing or pulling user.
   */
  public static final Object USER =
      new Object() {
        @Override
        public String toString() {
          return "USER";
        }
      };

  /** The user the server's dev authenticator names a request without a token. */
  public static final String ANONYMOUS_USER = "anonymous";

  private final Set<String> admins;
  private final List<Assign> assignments;
  private final List<Grant> grants;

  private final Subset subset;

  private Permissions(
      Set<String> admins, List<Assign> assignments, List<Grant> grants, Subset subset) {
    this.subset = subset;
    this.admins = Collections.unmodifiableSet(admins);
    this.assignments = Collections.unmodifiableList(assignments);
    this.grants = Collections.unmodifiableList(grants);
  }

  /** A builder checking what it is given against {@code schema}. */
  public static Builder builder(Schema schema) {
    if (schema == null) throw new NullPointerException("schema == null");
    return new Builder(schema);
  }

  /** The users holding {@link #ADMIN}. Unmodifiable. */
  public Set<String> admins() {
    return admins;
  }

  /** The role assignments, in the order added. Unmodifiable. */
  public List<Assign> assignments() {
    return assignments;
  }

  /** The grants, in the order added. Unmodifiable. */
  public List<Grant> grants() {
    return grants;
  }

  /** The partial sync clients may choose, or null for none (each pulls all it may read). */
  public Subset subset() {
    return subset;
  }

  /** True if {@code role} is one of {@link #ANYONE}, {@link #AUTHENTICATED}, {@link #ADMIN}. */
  public static boolean isGlobal(String role) {
    return ANYONE.equals(role) || AUTHENTICATED.equals(role) || ADMIN.equals(role);
  }

  /**
   * A description of every assignment and grant, equal for equal permissions: the server records it
   * with each client view, so a change of permissions recomputes every view.
   */
  public String fingerprint() {
    StringBuilder out = new StringBuilder("admins=").append(new java.util.TreeSet<>(admins));
    for (Assign a : assignments) {
      out.append("|A:").append(a.kind()).append(',').append(a.role()).append(',');
      out.append(a.table()).append(',').append(a.scopeColumn()).append(',');
      out.append(a.userColumn()).append(',').append(a.roleColumn()).append(',');
      out.append(describe(a.condition()));
    }
    for (Grant g : grants) {
      out.append("|G:").append(g.table()).append(',').append(g.operations()).append(',');
      out.append(g.role()).append(',').append(g.through()).append(',').append(g.columns());
      out.append(',').append(describe(g.condition()));
    }
    if (subset != null) out.append("|S:").append(subset.table()).append(subset.paths());
    return out.toString();
  }

  private static String describe(Condition c) {
    if (c == null) return "-";
    switch (c.kind()) {
      case AND:
      case OR:
        StringBuilder parts = new StringBuilder(c.kind().name()).append('(');
        for (Condition part : c.parts()) parts.append(describe(part)).append(';');
        return parts.append(')').toString();
      case IN:
        return c.column() + " IN " + c.values();
      case COMPARE:
        Object v = c.value();
        return c.column() + c.operator() + (v instanceof String ? "'" + v + "'" : v);
      default:
        return c.column() + " " + c.kind();
    }
  }

  /** Collects assignments and grants, then checks them all against the schema. Not thread-safe. */
  public static final class Builder {
    private final Schema schema;
    private final Set<String> admins = new LinkedHashSet<>();
    private final List<Assign> assignments = new ArrayList<>();
    private final List<Grant> grants = new ArrayList<>();
    private Subset subset;

    private Builder(Schema schema) {
      this.schema = schema;
    }

    /** Adds users who hold {@link #ADMIN}. */
    public Builder admins(String... userIDs) {
      for (String user : userIDs) {
        if (user == null) throw new NullPointerException("admin user ID == null");
        admins.add(user);
      }
      return this;
    }

    public Builder assign(Assign assign) {
      if (assign == null) throw new NullPointerException("assign == null");
      assignments.add(assign);
      return this;
    }

    public Builder grant(Grant grant) {
      if (grant == null) throw new NullPointerException("grant == null");
      grants.add(grant);
      return this;
    }

    /** Lets clients choose a subset of what they may read ({@link Subset}); at most one. */
    public Builder subset(Subset subset) {
      if (subset == null) throw new NullPointerException("subset == null");
      this.subset = subset;
      return this;
    }

    /**
     * Checks every assignment and grant against the schema and returns the permissions.
     *
     * @throws IllegalArgumentException naming the first problem: an unknown table, column or
     *     relationship, a role no assignment gives, a path that does not lead to the role's scope,
     *     or column limits on a select or delete grant.
     */
    public Permissions build() {
      for (Assign assign : assignments) check(assign);
      for (Grant grant : grants) check(grant);
      if (subset != null) check(subset);
      return new Permissions(
          new LinkedHashSet<>(admins),
          new ArrayList<>(assignments),
          new ArrayList<>(grants),
          subset);
    }

    private void check(Subset subset) {
      String where = "subset of '" + subset.table() + "'";
      Table scope = table(where, subset.table());
      if (scope.primaryKey().size() != 1) {
        throw new IllegalArgumentException(where + ": its table needs a one-column primary key");
      }
      for (java.util.Map.Entry<String, List<String>> path : subset.paths().entrySet()) {
        Table at = table(where, path.getKey());
        for (String name : path.getValue()) {
          Relationship relationship = at.relationship(name);
          if (relationship == null || relationship.hops().size() != 1) {
            throw new IllegalArgumentException(
                where + ": table '" + at.name() + "' has no one-hop relationship '" + name + "'");
          }
          at = schema.table(relationship.destTable());
        }
        if (!at.name().equals(scope.name())) {
          throw new IllegalArgumentException(
              where + ": the path of '" + path.getKey() + "' leads to '" + at.name() + "'");
        }
      }
    }

    private void check(Assign assign) {
      String where = "assignment of '" + assign.role() + "'";
      if (Permissions.isGlobal(assign.role())) {
        throw new IllegalArgumentException(where + ": global roles are not assigned from data");
      }
      Table scope = table(where, assign.scopeTable());
      boolean named = assign.roleName() != null;
      if (assign.roleColumn() != null ? named : !named || assign.roleName().isEmpty()) {
        throw new IllegalArgumentException(
            where
                + ": name the role as '<scope table>:<name>', or as the scope table alone with"
                + " roleColumn()");
      }
      switch (assign.kind()) {
        case COLUMN:
          column(where, scope, assign.userColumn());
          break;
        case WHERE:
          condition(where, scope, assign.condition());
          break;
        case TABLE:
        default:
          Table members = table(where, assign.table());
          column(where, members, assign.scopeColumn());
          column(where, members, assign.userColumn());
          if (assign.roleColumn() != null) column(where, members, assign.roleColumn());
          if (scope.primaryKey().size() != 1) {
            throw new IllegalArgumentException(
                where
                    + ": its scope table '"
                    + scope.name()
                    + "' needs a one-column primary key for "
                    + members.name()
                    + "."
                    + assign.scopeColumn()
                    + " to name a row of it");
          }
      }
    }

    private void check(Grant grant) {
      String where = grant.toString();
      Table table = table(where, grant.table());
      String role = grant.role();
      if (role == null) throw new IllegalArgumentException(where + ": name its role with to()");
      if (grant.condition() != null) condition(where, table, grant.condition());
      if (grant.columns() != null) {
        if (grant.operations().contains(Grant.Operation.SELECT)
            || grant.operations().contains(Grant.Operation.DELETE)) {
          throw new IllegalArgumentException(
              where
                  + ": columns() limit inserts and updates only (a client syncs whole rows, and a"
                  + " delete removes the whole row)");
        }
        for (String column : grant.columns()) column(where, table, column);
      }
      if (Permissions.isGlobal(role)) {
        if (!grant.through().isEmpty()) {
          throw new IllegalArgumentException(
              where + ": " + role + " holds on every row, so through() has nothing to lead to");
        }
        return;
      }
      int colon = role.indexOf(':');
      String scopeName = colon < 0 ? role : role.substring(0, colon);
      if (colon < 0 || schema.table(scopeName) == null) {
        throw new IllegalArgumentException(
            where
                + ": role '"
                + role
                + "' is neither ANYONE, AUTHENTICATED nor ADMIN, nor '<scope table>:<name>' of a"
                + " table of the schema");
      }
      if (!assigned(scopeName, role.substring(colon + 1))) {
        throw new IllegalArgumentException(where + ": no assignment gives role '" + role + "'");
      }
      Table at = table;
      for (String name : grant.through()) {
        Relationship relationship = at.relationship(name);
        if (relationship == null) {
          throw new IllegalArgumentException(
              where + ": table '" + at.name() + "' has no relationship '" + name + "'");
        }
        if (relationship.hops().size() != 1) {
          throw new IllegalArgumentException(
              where
                  + ": relationship '"
                  + at.name()
                  + "."
                  + name
                  + "' has a junction table; through() follows one-hop relationships");
        }
        at = schema.table(relationship.destTable());
      }
      if (!at.name().equals(scopeName)) {
        throw new IllegalArgumentException(
            where
                + ": "
                + (grant.through().isEmpty()
                    ? "name with through(...) the relationships that lead from '"
                    : "through" + grant.through() + " leads from '")
                + table.name()
                + "' to "
                + (grant.through().isEmpty() ? "" : "'" + at.name() + "', not to ")
                + "the role's scope '"
                + scopeName
                + "'");
      }
    }

    private boolean assigned(String scope, String name) {
      for (Assign assign : assignments) {
        if (!assign.scopeTable().equals(scope)) continue;
        if (assign.roleColumn() != null || name.equals(assign.roleName())) return true;
      }
      return false;
    }

    private Table table(String where, String name) {
      Table table = schema.table(name);
      if (table == null) {
        throw new IllegalArgumentException(where + ": the schema has no table '" + name + "'");
      }
      return table;
    }

    private static void column(String where, Table table, String name) {
      if (table.column(name) == null) {
        throw new IllegalArgumentException(
            where + ": table '" + table.name() + "' has no column '" + name + "'");
      }
    }

    private static void condition(String where, Table table, Condition condition) {
      if (condition.kind() == Condition.Kind.AND || condition.kind() == Condition.Kind.OR) {
        for (Condition part : condition.parts()) condition(where, table, part);
      } else {
        column(where, table, condition.column());
      }
    }
  }

  @Override
  public String toString() {
    return "Permissions"
        + Arrays.asList(assignments.size() + " assignments", grants.size() + " grants");
  }
}
