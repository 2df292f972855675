package dev.tandem.server.internal.schema;

import dev.tandem.Assign;
import dev.tandem.Column;
import dev.tandem.Condition;
import dev.tandem.Grant;
import dev.tandem.Permissions;
import dev.tandem.Relationship;
import dev.tandem.internal.app.SqlWhere;
import dev.tandem.server.MutationContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An app's {@link Permissions} compiled against its stored tables: the checks of a push's writes
 * (in memory and by key lookups on the push's connection) and the SQL of what a user may read (for
 * pulls). Immutable; thread-safe.
 */
public final class Access {
  /**
   * One step of a grant's path: rows of {@code to} whose {@code toFields} equal {@code fromFields}.
   */
  static final class Hop {
    final ServerTable from;
    final ServerTable to;
    final List<String> fromFields = new ArrayList<>(); // SQL column names
    final List<String> toFields = new ArrayList<>();

    /** True if the hop lands on {@code to}'s primary key, which a row's update cannot change. */
    final boolean onKey;

    Hop(ServerTable from, ServerTable to, Relationship.Hop hop) {
      this.from = from;
      this.to = to;
      for (String name : hop.sourceFields()) fromFields.add(from.table.column(name).field());
      Set<String> keys = new HashSet<>();
      for (String name : hop.destFields()) {
        toFields.add(to.table.column(name).field());
        keys.add(name);
      }
      this.onKey = keys.equals(new HashSet<>(to.table.primaryKey()));
    }
  }

  /** A grant, compiled. */
  static final class Rule {
    final Grant grant;
    final ServerTable table;
    final String global; // null for a scoped role
    final ServerTable scope;
    final String roleName;
    final List<Hop> path = new ArrayList<>();
    final List<Assign> assignments = new ArrayList<>();
    final Set<String> columns; // by name, or null for all

    Rule(Grant grant, SchemaStorage storage, Permissions permissions) {
      this.grant = grant;
      this.table = storage.table(grant.table());
      this.columns = grant.columns() == null ? null : new HashSet<>(grant.columns());
      String role = grant.role();
      if (Permissions.isGlobal(role)) {
        global = role;
        scope = null;
        roleName = null;
        return;
      }
      global = null;
      int colon = role.indexOf(':');
      scope = storage.table(role.substring(0, colon));
      roleName = role.substring(colon + 1);
      for (Assign assign : permissions.assignments()) {
        if (!assign.scopeTable().equals(scope.table.name())) continue;
        if (assign.roleColumn() != null || roleName.equals(assign.roleName())) {
          assignments.add(assign);
        }
      }
      ServerTable at = table;
      for (String name : grant.through()) {
        Relationship relationship = at.table.relationship(name);
        ServerTable next = storage.table(relationship.destTable());
        path.add(new Hop(at, next, relationship.hops().get(0)));
        at = next;
      }
    }

    boolean allows(Grant.Operation operation) {
      return grant.operations().contains(operation);
    }
  }

  static void joinOn(StringBuilder sql, Hop hop, String fromAlias, String toAlias) {
    for (int j = 0; j < hop.fromFields.size(); j++) {
      if (j > 0) sql.append(" AND ");
      sql.append(toAlias)
          .append('.')
          .append(ServerTable.quote(hop.toFields.get(j)))
          .append(" = ")
          .append(fromAlias)
          .append('.')
          .append(ServerTable.quote(hop.fromFields.get(j)));
    }
  }

  /** A write no grant covers: the mutation is refused as a whole. */
  public static final class Denied extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Denied(String message) {
      super(message);
    }
  }

  private final SchemaStorage storage;
  private final Set<String> admins;
  private final Map<ServerTable, List<Rule>> rules = new LinkedHashMap<>();
  private final String fingerprint;

  /** The subset clients may choose: its table, and each other table's path to it; or null. */
  private final ServerTable subsetTable;

  private final Map<ServerTable, List<Hop>> subsetPaths = new LinkedHashMap<>();

  /** Tables a change of which may change who reads rows of other tables, beyond their own rows. */
  private final Set<ServerTable> recomputeAll = new LinkedHashSet<>();

  public Access(Permissions permissions, SchemaStorage storage) {
    this.storage = storage;
    this.admins = permissions.admins();
    this.fingerprint = sha256(permissions.fingerprint());
    for (ServerTable table : storage.tables()) rules.put(table, new ArrayList<Rule>());
    dev.tandem.Subset subset = permissions.subset();
    subsetTable = subset == null ? null : storage.table(subset.table());
    if (subset != null) {
      for (Map.Entry<String, List<String>> entry : subset.paths().entrySet()) {
        ServerTable at = storage.table(entry.getKey());
        List<Hop> path = new ArrayList<>();
        for (String name : entry.getValue()) {
          Relationship relationship = at.table.relationship(name);
          ServerTable next = storage.table(relationship.destTable());
          Hop hop = new Hop(at, next, relationship.hops().get(0));
          path.add(hop);
          if (!hop.onKey) recomputeAll.add(next);
          at = next;
        }
        subsetPaths.put(storage.table(entry.getKey()), path);
      }
    }
    for (Grant grant : permissions.grants()) {
      Rule rule = new Rule(grant, storage, permissions);
      rules.get(rule.table).add(rule);
      for (Hop hop : rule.path) if (!hop.onKey) recomputeAll.add(hop.to);
      for (Assign assign : rule.assignments) {
        if (assign.kind() != Assign.Kind.TABLE) continue;
        ServerTable members = storage.table(assign.table());
        if (!members.table.primaryKey().contains(assign.scopeColumn())) recomputeAll.add(members);
      }
    }
  }

  /** A digest of the permissions: a view recorded under other permissions is recomputed. */
  public String fingerprint() {
    return fingerprint;
  }

  Set<String> admins() {
    return admins;
  }

  Set<ServerTable> recomputeAll() {
    return recomputeAll;
  }

  List<Rule> rules(ServerTable table) {
    return rules.get(table);
  }

  // ------------------------------------------------------------------------------- push checks

  /**
   * What the grants say of one write before any SQL runs: {@link #ALLOW}ed or {@link #DENY}ed in
   * memory, or allowed exactly when the SQL condition {@link #sql} (its values in {@link #args},
   * bound; it names no table of the write) holds on the push's connection. The write's own
   * statement carries that condition ({@code INSERT … SELECT … WHERE}, {@code UPDATE … AND}), so a
   * checked write costs no statement of its own; {@link #holds} runs it alone where it must.
   */
  static final class Verdict {
    static final Verdict ALLOW = new Verdict(null, List.of());
    static final Verdict DENY = new Verdict(null, List.of());

    final String sql;
    final List<Object> args;
    final String operation; // "insert", "update", "delete": what a refusal names

    private Verdict(String sql, List<Object> args) {
      this(sql, args, null);
    }

    private Verdict(String sql, List<Object> args, String operation) {
      this.sql = sql;
      this.args = args;
      this.operation = operation;
    }

    Verdict named(String operation) {
      return new Verdict(sql, args, operation);
    }

    /** Both must hold. */
    static Verdict and(Verdict a, Verdict b) {
      if (a == DENY || b == DENY) return DENY;
      if (a == ALLOW) return b;
      if (b == ALLOW) return a;
      if (a.sql.equals(b.sql) && a.args.equals(b.args)) return a; // The path did not change.
      List<Object> args = new ArrayList<>(a.args);
      args.addAll(b.args);
      return new Verdict("(" + a.sql + ") AND (" + b.sql + ")", args);
    }
  }

  /**
   * The verdict on writing {@code after} over {@code before} (null for an insert) in {@code table}
   * (fields by SQL name): an insert on the new row, an update on the row before and after.
   *
   * @throws Denied if the grants refuse it in memory.
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
   * @throws Denied if the grants refuse it in memory.
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
    bind(statement, verdict.args);
    try (ResultSet rows = statement.executeQuery()) {
      return rows.next() && rows.getInt(1) == 1;
    }
  }

  /** Refuses the write {@code verdict} was given for: its condition did not hold. */
  static Denied denied(Verdict verdict, String key) {
    return new Denied("permission denied: you may not " + verdict.operation + " " + key);
  }

  /** Refuses a write of a key outside every table: no grant can cover it. */
  static void denyKv(String key) {
    throw new Denied("permission denied: you may not write " + key + " (it is in no table)");
  }

  private static void deny(String operation, String key) {
    throw new Denied("permission denied: you may not " + operation + " " + key);
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
    Map<String, List<Rule>> byPath = new LinkedHashMap<>();
    for (Rule rule : rules.get(table)) {
      if (!rule.allows(operation)) continue;
      if (columns != null && rule.columns != null && !rule.columns.containsAll(columns)) continue;
      if (rule.grant.condition() != null
          && !RowMatcher.matches(rule.grant.condition(), table.byColumn(row), user)) continue;
      if (rule.global != null) {
        if (holdsGlobal(rule.global, user)) return Verdict.ALLOW;
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
      if (holds.equals(TRUE)) return Verdict.ALLOW;
      any.add(holds);
    }
    for (List<Rule> group : byPath.values()) {
      String holds = pathHoldsSql(group, user, row, args, aliases);
      if (holds != null) any.add(holds);
    }
    if (any.isEmpty()) return Verdict.DENY;
    return new Verdict(String.join(" OR ", any), args);
  }

  private static final String TRUE = "1 = 1";

  /**
   * The SQL under which the user holds the rule's role on {@code row} (values bound, added to
   * {@code args}); {@link #TRUE} if decided in memory, null if it cannot hold.
   */
  private String holdsSql(
      Rule rule, String user, Map<String, Object> row, List<Object> args, int[] aliases) {
    if (rule.path.isEmpty()) {
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
                    .append(field(members, assign.scopeColumn()))
                    .append(" = ? AND ")
                    .append(field(members, assign.userColumn()))
                    .append(" = ?");
            args.add(bindable(key));
            args.add(user);
            if (assign.roleColumn() != null) {
              exists.append(" AND ").append(field(members, assign.roleColumn())).append(" = ?");
              args.add(rule.roleName);
            }
            exists.append(" AND ").append(ServerTable.DELETED).append(" = ?)");
            args.add(Boolean.FALSE);
            any.add(exists.toString());
        }
      }
      return any.isEmpty() ? null : "(" + String.join(" OR ", any) + ")";
    }
    return pathHoldsSql(List.of(rule), user, row, args, aliases);
  }

  /**
   * The SQL under which the user holds the role of one of {@code group}'s rules (all with the same
   * path from the row) on the scope row the path reaches from {@code row}; null if the row's
   * reference is null.
   */
  private String pathHoldsSql(
      List<Rule> group, String user, Map<String, Object> row, List<Object> args, int[] aliases) {
    Rule rule = group.get(0);
    Hop first = rule.path.get(0);
    List<Object> keys = new ArrayList<>();
    for (String field : first.fromFields) {
      Object value = row.get(field);
      if (value == null) return null; // A null reference reaches no scope row.
      keys.add(bindable(value));
    }
    StringBuilder from = new StringBuilder();
    StringBuilder where = new StringBuilder();
    String previous = null;
    for (int i = 0; i < rule.path.size(); i++) {
      Hop hop = rule.path.get(i);
      String next = "s" + (++aliases[0]);
      if (i == 0) {
        from.append(hop.to.sqlName).append(" AS ").append(next);
        for (String field : hop.toFields) {
          where.append(next).append('.').append(ServerTable.quote(field)).append(" = ? AND ");
        }
      } else {
        from.append(" JOIN ").append(hop.to.sqlName).append(" AS ").append(next).append(" ON ");
        joinOn(from, hop, previous, next);
      }
      where.append(next).append('.').append(ServerTable.DELETED).append(" = ? AND ");
      previous = next;
    }
    args.addAll(keys);
    for (int i = 0; i < rule.path.size(); i++) args.add(Boolean.FALSE);
    List<String> roles = new ArrayList<>();
    for (Rule each : group) roles.add(scopeHolds(each, previous, user, args, aliases));
    String holds = roles.size() == 1 ? roles.get(0) : "(" + String.join(" OR ", roles) + ")";
    return "EXISTS (SELECT 1 FROM " + from + " WHERE " + where + holds + ")";
  }

  boolean holdsGlobal(String role, String user) {
    switch (role) {
      case Permissions.ANYONE:
        return true;
      case Permissions.AUTHENTICATED:
        return !Permissions.ANONYMOUS_USER.equals(user);
      default:
        return admins.contains(user);
    }
  }

  // ------------------------------------------------------------------------------- pull SQL

  /**
   * The SQL condition on {@code alias}'s row of {@code table} (a live row) under which {@code user}
   * may read it, its values added to {@code args}; {@code "1 = 0"} when no grant lets the user read
   * the table.
   */
  String readable(ServerTable table, String alias, String user, List<Object> args) {
    List<String> any = new ArrayList<>();
    int[] aliases = {0};
    Set<String> walked = new HashSet<>();
    for (Rule rule : rules.get(table)) {
      if (!rule.allows(Grant.Operation.SELECT)) continue;
      if (rule.global != null && !holdsGlobal(rule.global, user)) continue;
      // Unconditional rules reached by the same path (an owner's and a member's) share one walk.
      List<Rule> group = List.of(rule);
      if (sharesPath(rule)) {
        String path = String.join("\0", rule.grant.through());
        if (!walked.add(path)) continue;
        group = new ArrayList<>();
        for (Rule other : rules.get(table)) {
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
            .append(condition(rule.grant.condition(), table, alias, user, ruleArgs))
            .append(" AND ");
      }
      if (rule.global != null) {
        clause.append("1 = 1");
      } else if (rule.path.isEmpty()) {
        clause.append(scopeHolds(rule, alias, user, ruleArgs, aliases));
      } else {
        clause.append("EXISTS (SELECT 1 FROM ");
        StringBuilder where = new StringBuilder();
        String previous = alias;
        String last = null;
        for (int i = 0; i < rule.path.size(); i++) {
          Hop hop = rule.path.get(i);
          String next = "p" + (++aliases[0]);
          if (i == 0) {
            clause.append(hop.to.sqlName).append(" AS ").append(next);
          } else {
            clause.append(" JOIN ").append(hop.to.sqlName).append(" AS ").append(next);
            clause.append(" ON ");
            joinOn(clause, hop, previous, next);
          }
          if (i == 0) {
            joinOn(where, hop, previous, next);
            where.append(" AND ");
          }
          where.append(next).append('.').append(ServerTable.DELETED).append(" = ? AND ");
          ruleArgs.add(Boolean.FALSE);
          previous = next;
          last = next;
        }
        // The join's FALSEs come after the first hop's match, in the order of their ?s.
        clause.append(" WHERE ").append(where);
        List<String> roles = new ArrayList<>();
        for (Rule each : group) roles.add(scopeHolds(each, last, user, ruleArgs, aliases));
        clause
            .append(roles.size() == 1 ? roles.get(0) : "(" + String.join(" OR ", roles) + ")")
            .append(')');
      }
      any.add(clause.append(')').toString());
      args.addAll(ruleArgs);
    }
    return any.isEmpty() ? "1 = 0" : "(" + String.join(" OR ", any) + ")";
  }

  /** A scoped rule without a condition, reached through a path: it can share its path's walk. */
  private static boolean sharesPath(Rule rule) {
    return rule.global == null && rule.grant.condition() == null && !rule.path.isEmpty();
  }

  /**
   * The SQL condition under which {@code user} holds the rule's role on the scope row {@code s}.
   */
  private String scopeHolds(Rule rule, String s, String user, List<Object> args, int[] aliases) {
    List<String> any = new ArrayList<>();
    for (Assign assign : rule.assignments) {
      switch (assign.kind()) {
        case COLUMN:
          any.add(s + "." + field(rule.scope, assign.userColumn()) + " = ?");
          args.add(user);
          break;
        case WHERE:
          any.add(condition(assign.condition(), rule.scope, s, user, args));
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
                  .append(field(members, assign.scopeColumn()))
                  .append(" = ")
                  .append(s)
                  .append('.')
                  .append(ServerTable.quote(rule.scope.key.get(0).field()))
                  .append(" AND ")
                  .append(m)
                  .append('.')
                  .append(field(members, assign.userColumn()))
                  .append(" = ?");
          args.add(user);
          if (assign.roleColumn() != null) {
            exists
                .append(" AND ")
                .append(m)
                .append('.')
                .append(field(members, assign.roleColumn()));
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

  /** True if clients may choose a subset. */
  boolean hasSubset() {
    return subsetTable != null;
  }

  /**
   * The SQL condition under which {@code alias}'s row of {@code table} is in the subset of the keys
   * {@code keys} (of the subset's table), its values added to {@code args}; null if the table is
   * not limited (no subset declared or chosen, or a table the subset does not name).
   */
  String inSubset(ServerTable table, String alias, List<Object> keys, List<Object> args) {
    if (subsetTable == null || keys == null) return null;
    String pk = ServerTable.quote(subsetTable.key.get(0).field());
    StringBuilder in = new StringBuilder();
    for (Object key : keys) {
      in.append(in.length() == 0 ? "?" : ", ?");
    }
    String list = keys.isEmpty() ? null : " IN (" + in + ")";
    if (table == subsetTable) {
      if (list == null) return "1 = 0";
      for (Object key : keys) args.add(bindable(key));
      return alias + "." + pk + list;
    }
    List<Hop> path = subsetPaths.get(table);
    if (path == null) return null;
    if (list == null) return "1 = 0";
    StringBuilder exists = new StringBuilder("EXISTS (SELECT 1 FROM ");
    StringBuilder where = new StringBuilder();
    String previous = alias;
    for (int i = 0; i < path.size(); i++) {
      Hop hop = path.get(i);
      String next = "q" + (i + 1);
      if (i == 0) {
        exists.append(hop.to.sqlName).append(" AS ").append(next);
        joinOn(where, hop, previous, next);
      } else {
        exists.append(" JOIN ").append(hop.to.sqlName).append(" AS ").append(next).append(" ON ");
        joinOn(exists, hop, previous, next);
      }
      previous = next;
    }
    for (Object key : keys) args.add(bindable(key));
    return exists + " WHERE " + where + " AND " + previous + "." + pk + list + ")";
  }

  /**
   * Where rows of {@code table} ({@code alias} {@code t}) may have changed whether they are
   * readable since a version, beyond their own change: each is a {@code FROM} clause from the table
   * on (joins to the rows on a select grant's path) and a {@code WHERE} clause with one {@code ?}
   * for the version: a row on the path changed, or a membership row naming the scope row. A pull
   * reads the rows each one finds, along with those that changed themselves.
   */
  List<String[]> reachSources(ServerTable table) {
    List<String[]> sources = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Rule rule : rules.get(table)) {
      if (!rule.allows(Grant.Operation.SELECT) || rule.global != null) continue;
      StringBuilder from = new StringBuilder(table.sqlName).append(" AS t");
      String previous = "t";
      for (int i = 0; i < rule.path.size(); i++) {
        Hop hop = rule.path.get(i);
        String next = "c" + (i + 1);
        from.append(" JOIN ").append(hop.to.sqlName).append(" AS ").append(next).append(" ON ");
        joinOn(from, hop, previous, next);
        String where = next + "." + ServerTable.VERSION + " > ?";
        if (seen.add(from + " WHERE " + where)) sources.add(new String[] {from.toString(), where});
        previous = next;
      }
      for (Assign assign : rule.assignments) {
        if (assign.kind() != Assign.Kind.TABLE) continue;
        ServerTable members = storage.table(assign.table());
        String where =
            previous
                + "."
                + ServerTable.quote(rule.scope.key.get(0).field())
                + " IN (SELECT "
                + field(members, assign.scopeColumn())
                + " FROM "
                + members.sqlName
                + " WHERE "
                + ServerTable.VERSION
                + " > ?)";
        if (seen.add(from + " WHERE " + where)) sources.add(new String[] {from.toString(), where});
      }
    }
    List<Hop> path = subsetPaths.get(table);
    if (path != null) { // A row moved to another subset row (an issue to another project).
      StringBuilder from = new StringBuilder(table.sqlName).append(" AS t");
      String previous = "t";
      for (int i = 0; i < path.size(); i++) {
        Hop hop = path.get(i);
        String next = "c" + (i + 1);
        from.append(" JOIN ").append(hop.to.sqlName).append(" AS ").append(next).append(" ON ");
        joinOn(from, hop, previous, next);
        String where = next + "." + ServerTable.VERSION + " > ?";
        if (seen.add(from + " WHERE " + where)) sources.add(new String[] {from.toString(), where});
        previous = next;
      }
    }
    return sources;
  }

  /**
   * Indexes on the columns a grant's path joins from, so that a pull finds the rows under a changed
   * row without a scan; named as {@code Table.index} names them.
   */
  List<String> indexes() {
    List<String> ddl = new ArrayList<>();
    for (List<Rule> list : rules.values()) {
      for (Rule rule : list) {
        for (Hop hop : rule.path) {
          List<String> names = new ArrayList<>();
          for (String field : hop.fromFields)
            names.add(hop.from.table.columns().get(indexOfField(hop.from, field)).name());
          if (!names.equals(
              hop.from
                  .table
                  .primaryKey()
                  .subList(0, Math.min(names.size(), hop.from.table.primaryKey().size())))) {
            String sql = hop.from.indexDdl(names);
            if (!ddl.contains(sql)) ddl.add(sql);
          }
        }
      }
    }
    return ddl;
  }

  private static int indexOfField(ServerTable table, String field) {
    for (int i = 0; i < table.table.columns().size(); i++) {
      if (table.table.columns().get(i).field().equals(field)) return i;
    }
    throw new IllegalStateException(field);
  }

  // ------------------------------------------------------------------------------- helpers

  static String condition(
      Condition condition, ServerTable table, String alias, String user, List<Object> args) {
    return SqlWhere.compile(
        condition,
        new SqlWhere.Columns() {
          @Override
          public String sql(String column) {
            Column c = table.table.column(column);
            String sql = alias + "." + ServerTable.quote(c.field());
            boolean text = c.type() == Column.Type.STRING || c.type() == Column.Type.ENUMERATION;
            return text && table.postgres() ? sql + " COLLATE \"C\"" : sql;
          }

          @Override
          public Object bindable(Object value) {
            return Access.bindable(value == Permissions.USER ? user : value);
          }
        },
        args);
  }

  private static String field(ServerTable table, String column) {
    return ServerTable.quote(table.table.column(column).field());
  }

  static Object bindable(Object value) {
    if (value instanceof Enum) return ((Enum<?>) value).name();
    if (value instanceof Number && !(value instanceof Double)) {
      return ((Number) value).doubleValue();
    }
    if (value instanceof Collection) throw new IllegalArgumentException("use IN for collections");
    return value;
  }

  static void bind(PreparedStatement statement, List<Object> args) throws SQLException {
    bind(statement, 1, args);
  }

  /** Binds {@code args} from parameter {@code first} on. */
  static void bind(PreparedStatement statement, int first, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      Object arg = args.get(i);
      if (arg instanceof Boolean) statement.setBoolean(first + i, (Boolean) arg);
      else if (arg instanceof Long) statement.setLong(first + i, (Long) arg);
      else statement.setObject(first + i, arg);
    }
  }

  private static String sha256(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder();
      for (byte b : digest) hex.append(String.format("%02x", b));
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
