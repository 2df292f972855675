package dev.tandem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Partial sync chosen by the client: which rows of one table (the subset's table, {@code projects},
 * say) a client group wants now, within what its user may read, and through which relationships the
 * rows of other tables belong to them (an issue to its project, a comment to its issue's project).
 * Rows of tables the subset does not name sync whole, as the grants allow.
 *
 * <p>A client chooses by the mutation {@link #MUTATOR} with a {@link Choice} ({@code keys}: the
 * primary keys it wants, or null for every readable row, the default), so the choice travels with
 * its other mutations, in order, and none of them is ever lost: a pending write outside the subset
 * still pushes. Its next pull deletes the rows that left the subset and sends those that entered
 * it. The app registers the mutator on the client as a no-op ({@link #register}); the server
 * records the choice per client group. Immutable; checked by {@link Permissions.Builder#build()}.
 *
 * <pre>{@code
 * Permissions.builder(SCHEMA)…
 *     .subset(Subset.of("projects").through("issues", "project")
 *         .through("comments", "issue", "project").through("memberships", "project"))
 *     .build();
 * tandem.mutate(Subset.MUTATOR, Subset.choose("p1"));          // on the client
 * }</pre>
 */
public final class Subset {
  /** The name of the mutation that chooses a client group's subset. */
  public static final String MUTATOR = "tandem.subset";

  /** The args of {@link #MUTATOR}. */
  public static final class Choice {
    /** The primary keys wanted (strings or numbers), or null for every readable row. */
    public List<Object> keys;
  }

  private final String table;
  private final Map<String, List<String>> paths;

  private Subset(String table, Map<String, List<String>> paths) {
    this.table = table;
    this.paths = Collections.unmodifiableMap(paths);
  }

  /** A subset of the rows of {@code table} (a one-column primary key), by their keys. */
  public static Subset of(String table) {
    if (table == null) throw new NullPointerException("table == null");
    return new Subset(table, new LinkedHashMap<String, List<String>>());
  }

  /**
   * Rows of {@code table} belong to the subset through {@code relationships} (one-hop, in order,
   * ending at the subset's table), as a grant's {@link Grant#through}.
   */
  public Subset through(String table, String... relationships) {
    Map<String, List<String>> next = new LinkedHashMap<>(paths);
    next.put(table, Collections.unmodifiableList(new ArrayList<>(Arrays.asList(relationships))));
    return new Subset(this.table, next);
  }

  /** The subset's table. */
  public String table() {
    return table;
  }

  /** The tables that belong to it, with their relationships to it. Unmodifiable. */
  public Map<String, List<String>> paths() {
    return paths;
  }

  /** The args choosing the rows of {@code keys}. */
  public static Choice choose(Object... keys) {
    Choice choice = new Choice();
    choice.keys = new ArrayList<>(Arrays.asList(keys));
    return choice;
  }

  /** The args choosing every readable row again. */
  public static Choice everything() {
    return new Choice();
  }

  /** Adds {@link #MUTATOR} as a no-op: on the client, the choice changes no local row. */
  public static Mutators.Builder register(Mutators.Builder mutators) {
    return mutators.add(MUTATOR, Choice.class, (tx, choice) -> {});
  }
}
