package dev.tandem.server.internal.schema;

import dev.tandem.Assign;
import dev.tandem.Grant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where readability can change without a row's own write: the sources a pull reads for rows whose
 * grant path, membership or subset path changed, and the indexes that let it find them without a
 * scan. Immutable; thread-safe.
 */
final class ReachSql {
  private final Access access;

  ReachSql(Access access) {
    this.access = access;
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
    for (CompiledGrant rule : access.rules(table)) {
      if (!rule.allows(Grant.Operation.SELECT) || rule.global != null) continue;
      StringBuilder from = new StringBuilder(table.sqlName).append(" AS t");
      String previous = walk(rule.path, from, seen, sources);
      for (Assign assign : rule.assignments) {
        if (assign.kind() != Assign.Kind.TABLE) continue;
        ServerTable members = access.storage().table(assign.table());
        String where =
            previous
                + "."
                + ServerTable.quote(rule.scope.key.get(0).field())
                + " IN (SELECT "
                + GrantSql.field(members, assign.scopeColumn())
                + " FROM "
                + members.sqlName
                + " WHERE "
                + ServerTable.VERSION
                + " > ?)";
        add(from, where, seen, sources);
      }
    }
    List<CompiledHop> path = access.subsetPath(table);
    if (path != null) { // A row moved to another subset row (an issue to another project).
      walk(path, new StringBuilder(table.sqlName).append(" AS t"), seen, sources);
    }
    return sources;
  }

  /**
   * Joins {@code path}'s rows onto {@code from} (as {@code c1}, {@code c2}, …), adding for each the
   * source "that row changed"; returns the alias of the path's last row ({@code t} if it is empty).
   */
  private static String walk(
      List<CompiledHop> path, StringBuilder from, Set<String> seen, List<String[]> sources) {
    String previous = "t";
    for (int i = 0; i < path.size(); i++) {
      CompiledHop hop = path.get(i);
      String next = "c" + (i + 1);
      from.append(" JOIN ").append(hop.to.sqlName).append(" AS ").append(next).append(" ON ");
      GrantSql.joinOn(from, hop, previous, next);
      add(from, next + "." + ServerTable.VERSION + " > ?", seen, sources);
      previous = next;
    }
    return previous;
  }

  /** Adds the source {@code from} ... {@code where} unless an equal one was added. */
  private static void add(
      StringBuilder from, String where, Set<String> seen, List<String[]> sources) {
    if (seen.add(from + " WHERE " + where)) sources.add(new String[] {from.toString(), where});
  }

  /**
   * Indexes on the columns a grant's path joins from, so that a pull finds the rows under a changed
   * row without a scan; named as {@code Table.index} names them.
   */
  List<String> indexes() {
    List<String> ddl = new ArrayList<>();
    for (List<CompiledGrant> list : access.allRules()) {
      for (CompiledGrant rule : list) {
        for (CompiledHop hop : rule.path) {
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
}
