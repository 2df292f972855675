package dev.tandem.server.internal.schema;

import dev.tandem.Assign;
import dev.tandem.Grant;
import dev.tandem.Permissions;
import dev.tandem.Relationship;
import dev.tandem.server.MutationContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An app's {@link Permissions} compiled against its stored tables: the checks of a push's writes
 * (in memory and by key lookups on the push's connection) and the SQL of what a user may read (for
 * pulls). Immutable; thread-safe.
 *
 * <p>This class compiles the grants ({@link CompiledGrant}, {@link CompiledHop}) and the subset's
 * paths, and answers for them; the work is in {@link Roles} (who holds a role), {@link WriteChecks}
 * (a push's writes), {@link ReadableSql} (what a user reads) and {@link ReachSql} (where
 * readability changes), on the SQL pieces of {@link GrantSql}.
 */
public final class Access {
  /** A write no grant covers: the mutation is refused as a whole. */
  public static final class Denied extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Denied(String message) {
      super(message);
    }
  }

  private final SchemaStorage storage;
  private final Set<String> admins;
  private final Map<ServerTable, List<CompiledGrant>> rules = new LinkedHashMap<>();
  private final String fingerprint;

  /** The subset clients may choose: its table, and each other table's path to it; or null. */
  private final ServerTable subsetTable;

  private final Map<ServerTable, List<CompiledHop>> subsetPaths = new LinkedHashMap<>();

  /** Tables a change of which may change who reads rows of other tables, beyond their own rows. */
  private final Set<ServerTable> recomputeAll = new LinkedHashSet<>();

  private final WriteChecks writes;
  private final ReadableSql reads;
  private final ReachSql reach;

  public Access(Permissions permissions, SchemaStorage storage) {
    this.storage = storage;
    this.admins = permissions.admins();
    this.fingerprint = sha256(permissions.fingerprint());
    for (ServerTable table : storage.tables()) rules.put(table, new ArrayList<CompiledGrant>());
    dev.tandem.Subset subset = permissions.subset();
    subsetTable = subset == null ? null : storage.table(subset.table());
    if (subset != null) {
      for (Map.Entry<String, List<String>> entry : subset.paths().entrySet()) {
        ServerTable at = storage.table(entry.getKey());
        List<CompiledHop> path = new ArrayList<>();
        for (String name : entry.getValue()) {
          Relationship relationship = at.table.relationship(name);
          ServerTable next = storage.table(relationship.destTable());
          CompiledHop hop = new CompiledHop(at, next, relationship.hops().get(0));
          path.add(hop);
          if (!hop.onKey) recomputeAll.add(next);
          at = next;
        }
        subsetPaths.put(storage.table(entry.getKey()), path);
      }
    }
    for (Grant grant : permissions.grants()) {
      CompiledGrant rule = new CompiledGrant(grant, storage, permissions);
      rules.get(rule.table).add(rule);
      for (CompiledHop hop : rule.path) if (!hop.onKey) recomputeAll.add(hop.to);
      for (Assign assign : rule.assignments) {
        if (assign.kind() != Assign.Kind.TABLE) continue;
        ServerTable members = storage.table(assign.table());
        if (!members.table.primaryKey().contains(assign.scopeColumn())) recomputeAll.add(members);
      }
    }
    Roles roles = new Roles(storage, admins);
    this.writes = new WriteChecks(this, storage, roles);
    this.reads = new ReadableSql(this, roles);
    this.reach = new ReachSql(this);
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

  List<CompiledGrant> rules(ServerTable table) {
    return rules.get(table);
  }

  Collection<List<CompiledGrant>> allRules() {
    return rules.values();
  }

  SchemaStorage storage() {
    return storage;
  }

  /** The subset's table, or null if clients may not choose a subset. */
  ServerTable subsetTable() {
    return subsetTable;
  }

  /** The path from {@code table}'s rows to the subset's table, or null if it has none. */
  List<CompiledHop> subsetPath(ServerTable table) {
    return subsetPaths.get(table);
  }

  /** True if clients may choose a subset. */
  boolean hasSubset() {
    return subsetTable != null;
  }

  // ------------------------------------------------------------------------------- push checks

  /** See {@link WriteChecks#writeVerdict}. */
  Verdict writeVerdict(
      MutationContext context,
      ServerTable table,
      Map<String, Object> before,
      Map<String, Object> after) {
    return writes.writeVerdict(context, table, before, after);
  }

  /** See {@link WriteChecks#deleteVerdict}. */
  Verdict deleteVerdict(MutationContext context, ServerTable table, Map<String, Object> before) {
    return writes.deleteVerdict(context, table, before);
  }

  /** See {@link WriteChecks#holds}. */
  boolean holds(MutationContext context, Verdict verdict) throws SQLException {
    return writes.holds(context, verdict);
  }

  // ------------------------------------------------------------------------------- pull SQL

  /** See {@link ReadableSql#readable}. */
  String readable(ServerTable table, String alias, String user, List<Object> args) {
    return reads.readable(table, alias, user, args);
  }

  /** See {@link ReadableSql#inSubset}. */
  String inSubset(ServerTable table, String alias, List<Object> keys, List<Object> args) {
    return reads.inSubset(table, alias, keys, args);
  }

  /** See {@link ReachSql#reachSources}. */
  List<String[]> reachSources(ServerTable table) {
    return reach.reachSources(table);
  }

  /** See {@link ReachSql#indexes}. */
  List<String> indexes() {
    return reach.indexes();
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
