package dev.tandem.server.internal.schema;

import dev.tandem.Column;
import dev.tandem.Grant;
import dev.tandem.server.MutationContext;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks of a push's writes against the grants: each write's {@link Verdict}, decided in memory
 * where the grants allow it and otherwise as one SQL condition the write's own statement carries.
 * Immutable; thread-safe.
 */
final class WriteChecks {
  private final Access access;
  private final SchemaStorage storage;
  private final Roles roles;

  WriteChecks(Access access, SchemaStorage storage, Roles roles) {
    this.access = access;
    this.storage = storage;
    this.roles = roles;
  }

  /**
   * The verdict on writing {@code after} over {@code before} (null for an insert) in {@code table}
   * (fields by SQL name): an insert on the new row, an update on the row before and after.
   *
   * @throws Access.Denied if the grants refuse it in memory.
   */
  Verdict writeVerdict(
      MutationContext context,
      ServerTable table,
      Map<String, Object> before,
      Map<String, Object> after) {
    String key = table.keyOf(before != null ? before : after);
    if (before == null) {
      Set<String> set = new HashSet<>();
      for (Column column : table.table.columns()) {
        if (after.get(column.field()) != null) set.add(column.name());
      }
      Verdict verdict = verdict(context, table, Grant.Operation.INSERT, after, set);
      if (verdict == Verdict.DENY) deny("insert", key);
      return verdict == Verdict.ALLOW ? verdict : verdict.named("insert");
    }
    Set<String> changed = new HashSet<>();
    for (Column column : table.table.columns()) {
      if (!same(before.get(column.field()), after.get(column.field()))) changed.add(column.name());
    }
    if (changed.isEmpty()) changed = null;
    Verdict verdict = verdict(context, table, Grant.Operation.UPDATE, before, changed);
    if (verdict != Verdict.DENY) {
      verdict =
          Verdict.and(verdict, verdict(context, table, Grant.Operation.UPDATE, after, changed));
    }
    if (verdict == Verdict.DENY) deny("update", key);
    return verdict == Verdict.ALLOW ? verdict : verdict.named("update");
  }

  /**
   * The verdict on deleting the live row {@code before}.
   *
   * @throws Access.Denied if the grants refuse it in memory.
   */
  Verdict deleteVerdict(MutationContext context, ServerTable table, Map<String, Object> before) {
    Verdict verdict = verdict(context, table, Grant.Operation.DELETE, before, null);
    if (verdict == Verdict.DENY) deny("delete", table.keyOf(before));
    return verdict == Verdict.ALLOW ? verdict : verdict.named("delete");
  }

  /** True if {@code verdict} holds now: in memory, or by one query on the push's connection. */
  boolean holds(MutationContext context, Verdict verdict) throws SQLException {
    if (verdict == Verdict.ALLOW) return true;
    if (verdict == Verdict.DENY) return false;
    PreparedStatement statement =
        storage.statement(context, "SELECT CASE WHEN " + verdict.sql + " THEN 1 ELSE 0 END");
    GrantSql.bind(statement, verdict.args);
    try (ResultSet rows = statement.executeQuery()) {
      return rows.next() && rows.getInt(1) == 1;
    }
  }

  /** Refuses the write {@code verdict} was given for: its condition did not hold. */
  static Access.Denied denied(Verdict verdict, String key) {
    return new Access.Denied("permission denied: you may not " + verdict.operation + " " + key);
  }

  /** Refuses a write of a key outside every table: no grant can cover it. */
  static void denyKv(String key) {
    throw new Access.Denied("permission denied: you may not write " + key + " (it is in no table)");
  }

  private static void deny(String operation, String key) {
    throw new Access.Denied("permission denied: you may not " + operation + " " + key);
  }

  private static boolean same(Object a, Object b) {
    if (a instanceof Number && b instanceof Number) {
      return ((Number) a).doubleValue() == ((Number) b).doubleValue();
    }
    return a == null ? b == null : a.equals(b);
  }

  /**
   * Whether a grant of {@code operation} on {@code table} covers {@code row} for the push's user:
   * column limits, conditions, global roles and roles held on the row itself are decided in memory;
   * the rest is one SQL condition (the paths to the scope rows and their memberships).
   */
  private Verdict verdict(
      MutationContext context,
      ServerTable table,
      Grant.Operation operation,
      Map<String, Object> row,
      Set<String> columns) {
    String user = context.userID();
    List<String> any = new ArrayList<>();
    List<Object> args = new ArrayList<>();
    int[] aliases = {0};
    // Rules whose roles are reached by the same path (an owner's and a member's, both through
    // the project) share one walk of it: one EXISTS, their roles OR-ed at its end.
    Map<String, List<CompiledGrant>> byPath = new LinkedHashMap<>();
    for (CompiledGrant rule : access.rules(table)) {
      if (!rule.allows(operation)) continue;
      if (columns != null && rule.columns != null && !rule.columns.containsAll(columns)) continue;
      if (rule.grant.condition() != null
          && !RowMatcher.matches(rule.grant.condition(), table.byColumn(row), user)) continue;
      if (rule.global != null) {
        if (roles.global(rule.global, user)) return Verdict.ALLOW;
        continue;
      }
      if (!rule.path.isEmpty()) {
        byPath
            .computeIfAbsent(String.join("\0", rule.grant.through()), k -> new ArrayList<>())
            .add(rule);
        continue;
      }
      String holds = holdsSql(rule, user, row, args, aliases);
      if (holds == null) continue;
      if (holds.equals(Roles.TRUE)) return Verdict.ALLOW;
      any.add(holds);
    }
    for (List<CompiledGrant> group : byPath.values()) {
      String holds = pathHoldsSql(group, user, row, args, aliases);
      if (holds != null) any.add(holds);
    }
    if (any.isEmpty()) return Verdict.DENY;
    return new Verdict(String.join(" OR ", any), args);
  }

  /**
   * The SQL under which the user holds the rule's role on {@code row} (values bound, added to
   * {@code args}); {@link Roles#TRUE} if decided in memory, null if it cannot hold.
   */
  private String holdsSql(
      CompiledGrant rule, String user, Map<String, Object> row, List<Object> args, int[] aliases) {
    if (rule.path.isEmpty()) return roles.onRow(rule, user, row, args);
    return pathHoldsSql(List.of(rule), user, row, args, aliases);
  }

  /**
   * The SQL under which the user holds the role of one of {@code group}'s rules (all with the same
   * path from the row) on the scope row the path reaches from {@code row}; null if the row's
   * reference is null.
   */
  private String pathHoldsSql(
      List<CompiledGrant> group,
      String user,
      Map<String, Object> row,
      List<Object> args,
      int[] aliases) {
    CompiledGrant rule = group.get(0);
    CompiledHop first = rule.path.get(0);
    List<Object> keys = new ArrayList<>();
    for (String field : first.fromFields) {
      Object value = row.get(field);
      if (value == null) return null; // A null reference reaches no scope row.
      keys.add(GrantSql.bindable(value));
    }
    StringBuilder from = new StringBuilder();
    StringBuilder where = new StringBuilder();
    String previous = null;
    for (int i = 0; i < rule.path.size(); i++) {
      CompiledHop hop = rule.path.get(i);
      String next = "s" + (++aliases[0]);
      if (i == 0) {
        from.append(hop.to.sqlName).append(" AS ").append(next);
        for (String field : hop.toFields) {
          where.append(next).append('.').append(ServerTable.quote(field)).append(" = ? AND ");
        }
      } else {
        from.append(" JOIN ").append(hop.to.sqlName).append(" AS ").append(next).append(" ON ");
        GrantSql.joinOn(from, hop, previous, next);
      }
      where.append(next).append('.').append(ServerTable.DELETED).append(" = ? AND ");
      previous = next;
    }
    args.addAll(keys);
    for (int i = 0; i < rule.path.size(); i++) args.add(Boolean.FALSE);
    List<String> held = new ArrayList<>();
    for (CompiledGrant each : group)
      held.add(roles.onScopeRow(each, previous, user, args, aliases));
    String holds = held.size() == 1 ? held.get(0) : "(" + String.join(" OR ", held) + ")";
    return "EXISTS (SELECT 1 FROM " + from + " WHERE " + where + holds + ")";
  }
}
