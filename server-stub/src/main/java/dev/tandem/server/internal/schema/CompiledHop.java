package dev.tandem.server.internal.schema;

import dev.tandem.Relationship;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One step of a grant's path: rows of {@code to} whose {@code toFields} equal {@code fromFields}.
 */
final class CompiledHop {
  final ServerTable from;
  final ServerTable to;
  final List<String> fromFields = new ArrayList<>(); // SQL column names
  final List<String> toFields = new ArrayList<>();

  /** True if the hop lands on {@code to}'s primary key, which a row's update cannot change. */
  final boolean onKey;

  CompiledHop(ServerTable from, ServerTable to, Relationship.Hop hop) {
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
