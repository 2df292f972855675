package dev.tandem.server.internal.schema;

import dev.tandem.Assign;
import dev.tandem.Permissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a user holds a grant's role, by the role's assignments: a global role in memory, a scoped
 * role on a row in memory where its assignment allows it (a user column, a condition), and as SQL
 * on a scope row otherwise (a membership table). Immutable.
 */
final class Roles {
  static final String TRUE = "1 = 1";

  private final SchemaStorage storage;
  private final Set<String> admins;

  Roles(SchemaStorage storage, Set<String> admins) {
    this.storage = storage;
    this.admins = admins;
  }

  /** True if {@code user} holds the global role {@code role}. */
  boolean global(String role, String user) {
    switch (role) {
      case Permissions.ANYONE:
        return true;
      case Permissions.AUTHENTICATED:
        return !Permissions.ANONYMOUS_USER.equals(user);
      default:
        return admins.contains(user);
    }
  }

  /**
   * The SQL under which the user holds the rule's role on {@code row}, a row of its own scope table
   * (values bound, added to {@code args}); {@link #TRUE} if decided in memory, null if it cannot
   * hold.
   */
  String onRow(CompiledGrant rule, String user, Map<String, Object> row, List<Object> args) {
    List<String> any = new ArrayList<>();
    for (Assign assign : rule.assignments) {
      switch (assign.kind()) {
        case COLUMN:
          if (user.equals(row.get(rule.scope.table.column(assign.userColumn()).field()))) {
            return TRUE;
          }
          break;
        case WHERE:
          if (RowMatcher.matches(assign.condition(), rule.scope.byColumn(row), user)) return TRUE;
          break;
        case TABLE:
        default:
          Object key = row.get(rule.scope.key.get(0).field());
          if (key == null) break;
          ServerTable members = storage.table(assign.table());
          StringBuilder exists =
              new StringBuilder("EXISTS (SELECT 1 FROM ")
                  .append(members.sqlName)
                  .append(" WHERE ")
                  .append(GrantSql.field(members, assign.scopeColumn()))
                  .append(" = ? AND ")
                  .append(GrantSql.field(members, assign.userColumn()))
                  .append(" = ?");
          args.add(GrantSql.bindable(key));
          args.add(user);
          if (assign.roleColumn() != null) {
            exists
                .append(" AND ")
                .append(GrantSql.field(members, assign.roleColumn()))
                .append(" = ?");
            args.add(rule.roleName);
          }
          exists.append(" AND ").append(ServerTable.DELETED).append(" = ?)");
          args.add(Boolean.FALSE);
          any.add(exists.toString());
      }
    }
    return any.isEmpty() ? null : "(" + String.join(" OR ", any) + ")";
  }

  /**
   * The SQL condition under which {@code user} holds the rule's role on the scope row {@code s}.
   */
  String onScopeRow(CompiledGrant rule, String s, String user, List<Object> args, int[] aliases) {
    List<String> any = new ArrayList<>();
    for (Assign assign : rule.assignments) {
      switch (assign.kind()) {
        case COLUMN:
          any.add(s + "." + GrantSql.field(rule.scope, assign.userColumn()) + " = ?");
          args.add(user);
          break;
        case WHERE:
          any.add(GrantSql.condition(assign.condition(), rule.scope, s, user, args));
          break;
        case TABLE:
        default:
          ServerTable members = storage.table(assign.table());
          String m = "m" + (++aliases[0]);
          StringBuilder exists =
              new StringBuilder("EXISTS (SELECT 1 FROM ")
                  .append(members.sqlName)
                  .append(" AS ")
                  .append(m)
                  .append(" WHERE ")
                  .append(m)
                  .append('.')
                  .append(GrantSql.field(members, assign.scopeColumn()))
                  .append(" = ")
                  .append(s)
                  .append('.')
                  .append(ServerTable.quote(rule.scope.key.get(0).field()))
                  .append(" AND ")
                  .append(m)
                  .append('.')
                  .append(GrantSql.field(members, assign.userColumn()))
                  .append(" = ?");
          args.add(user);
          if (assign.roleColumn() != null) {
            exists
                .append(" AND ")
                .append(m)
                .append('.')
                .append(GrantSql.field(members, assign.roleColumn()));
            exists.append(" = ?");
            args.add(rule.roleName);
          }
          exists.append(" AND ").append(m).append('.').append(ServerTable.DELETED).append(" = ?)");
          args.add(Boolean.FALSE);
          any.add(exists.toString());
      }
    }
    return any.isEmpty() ? "1 = 0" : "(" + String.join(" OR ", any) + ")";
  }
}
