package dev.tandem.server.internal.schema;

import dev.tandem.Grant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The SQL of what a user may read, for pulls and for a push's filtered reads: the rows a select
 * grant reaches, and the rows in the subset a client group chose. Immutable; thread-safe.
 */
final class ReadableSql {
  private final Access access;
  private final Roles roles;

  ReadableSql(Access access, Roles roles) {
    this.access = access;
    this.roles = roles;
  }

  /**
   * The SQL condition on {@code alias}'s row of {@code table} (a live row) under which {@code user}
   * may read it, its values added to {@code args}; {@code "1 = 0"} when no grant lets the user read
   * the table.
   */
  String readable(ServerTable table, String alias, String user, List<Object> args) {
    List<String> any = new ArrayList<>();
    int[] aliases = {0};
    Set<String> walked = new HashSet<>();
    for (CompiledGrant rule : access.rules(table)) {
      if (!rule.allows(Grant.Operation.SELECT)) continue;
      if (rule.global != null && !roles.global(rule.global, user)) continue;
      // Unconditional rules reached by the same path (an owner's and a member's) share one walk.
      List<CompiledGrant> group = List.of(rule);
      if (sharesPath(rule)) {
        String path = String.join("\0", rule.grant.through());
        if (!walked.add(path)) continue;
        group = new ArrayList<>();
        for (CompiledGrant other : access.rules(table)) {
          if (other.allows(Grant.Operation.SELECT)
              && sharesPath(other)
              && String.join("\0", other.grant.through()).equals(path)) {
            group.add(other);
          }
        }
      }
      StringBuilder clause = new StringBuilder("(");
      List<Object> ruleArgs = new ArrayList<>();
      if (rule.grant.condition() != null) {
        clause
            .append(GrantSql.condition(rule.grant.condition(), table, alias, user, ruleArgs))
            .append(" AND ");
      }
      if (rule.global != null) {
        clause.append("1 = 1");
      } else if (rule.path.isEmpty()) {
        clause.append(roles.onScopeRow(rule, alias, user, ruleArgs, aliases));
      } else {
        clause.append("EXISTS (SELECT 1 FROM ");
        StringBuilder where = new StringBuilder();
        String previous = alias;
        String last = null;
        for (int i = 0; i < rule.path.size(); i++) {
          CompiledHop hop = rule.path.get(i);
          String next = "p" + (++aliases[0]);
          if (i == 0) {
            clause.append(hop.to.sqlName).append(" AS ").append(next);
          } else {
            clause.append(" JOIN ").append(hop.to.sqlName).append(" AS ").append(next);
            clause.append(" ON ");
            GrantSql.joinOn(clause, hop, previous, next);
          }
          if (i == 0) {
            GrantSql.joinOn(where, hop, previous, next);
            where.append(" AND ");
          }
          where.append(next).append('.').append(ServerTable.DELETED).append(" = ? AND ");
          ruleArgs.add(Boolean.FALSE);
          previous = next;
          last = next;
        }
        // The join's FALSEs come after the first hop's match, in the order of their ?s.
        clause.append(" WHERE ").append(where);
        List<String> held = new ArrayList<>();
        for (CompiledGrant each : group) {
          held.add(roles.onScopeRow(each, last, user, ruleArgs, aliases));
        }
        clause
            .append(held.size() == 1 ? held.get(0) : "(" + String.join(" OR ", held) + ")")
            .append(')');
      }
      any.add(clause.append(')').toString());
      args.addAll(ruleArgs);
    }
    return any.isEmpty() ? "1 = 0" : "(" + String.join(" OR ", any) + ")";
  }

  /** A scoped rule without a condition, reached through a path: it can share its path's walk. */
  private static boolean sharesPath(CompiledGrant rule) {
    return rule.global == null && rule.grant.condition() == null && !rule.path.isEmpty();
  }

  /**
   * The SQL condition under which {@code alias}'s row of {@code table} is in the subset of the keys
   * {@code keys} (of the subset's table), its values added to {@code args}; null if the table is
   * not limited (no subset declared or chosen, or a table the subset does not name).
   */
  String inSubset(ServerTable table, String alias, List<Object> keys, List<Object> args) {
    ServerTable subsetTable = access.subsetTable();
    if (subsetTable == null || keys == null) return null;
    String pk = ServerTable.quote(subsetTable.key.get(0).field());
    StringBuilder in = new StringBuilder();
    for (Object key : keys) {
      in.append(in.length() == 0 ? "?" : ", ?");
    }
    String list = keys.isEmpty() ? null : " IN (" + in + ")";
    if (table == subsetTable) {
      if (list == null) return "1 = 0";
      for (Object key : keys) args.add(GrantSql.bindable(key));
      return alias + "." + pk + list;
    }
    List<CompiledHop> path = access.subsetPath(table);
    if (path == null) return null;
    if (list == null) return "1 = 0";
    StringBuilder exists = new StringBuilder("EXISTS (SELECT 1 FROM ");
    StringBuilder where = new StringBuilder();
    String previous = alias;
    for (int i = 0; i < path.size(); i++) {
      CompiledHop hop = path.get(i);
      String next = "q" + (i + 1);
      if (i == 0) {
        exists.append(hop.to.sqlName).append(" AS ").append(next);
        GrantSql.joinOn(where, hop, previous, next);
      } else {
        exists.append(" JOIN ").append(hop.to.sqlName).append(" AS ").append(next).append(" ON ");
        GrantSql.joinOn(exists, hop, previous, next);
      }
      previous = next;
    }
    for (Object key : keys) args.add(GrantSql.bindable(key));
    return exists + " WHERE " + where + " AND " + previous + "." + pk + list + ")";
  }
}
