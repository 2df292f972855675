package dev.tandem.server.internal.schema;

import dev.tandem.Assign;
import dev.tandem.Grant;
import dev.tandem.Permissions;
import dev.tandem.Relationship;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A grant, compiled against the stored tables: its table, its role (global, or scoped with the
 * assignments that confer it), the path from a row to the role's scope row, and its column limit.
 */
final class CompiledGrant {
  final Grant grant;
  final ServerTable table;
  final String global; // null for a scoped role
  final ServerTable scope;
  final String roleName;
  final List<CompiledHop> path = new ArrayList<>();
  final List<Assign> assignments = new ArrayList<>();
  final Set<String> columns; // by name, or null for all

  CompiledGrant(Grant grant, SchemaStorage storage, Permissions permissions) {
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
      path.add(new CompiledHop(at, next, relationship.hops().get(0)));
      at = next;
    }
  }

  boolean allows(Grant.Operation operation) {
    return grant.operations().contains(operation);
  }
}
