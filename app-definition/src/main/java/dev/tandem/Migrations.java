package dev.tandem;

import dev.tandem.internal.app.MigrationPlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * An app's schema history: the forward-only steps the server's database went through, oldest first,
 * each a {@link Migration} to one version of the {@link Schema}. The server applies the steps it
 * has not applied yet at start, each in one transaction, records each with a checksum, and serves
 * client schema versions from the latest contract step's minimum (the first step's version if there
 * is none) to the last step's version. Validated when built. Immutable.
 *
 * <pre>{@code
 * public Migrations migrations() {
 *   return Migrations.of(
 *       Migration.to(V1),
 *       Migration.to(V2),                                  // + user.bio (optional)
 *       Migration.to(V3).mirror("user", "nickname", "displayName"),
 *       Migration.to(V4).contract(4));                     // nickname dropped
 * }
 * }</pre>
 */
public final class Migrations {
  private final List<Migration> steps;
  private final MigrationPlan plan;

  private Migrations(List<Migration> steps) {
    this.steps = Collections.unmodifiableList(new ArrayList<>(steps));
    this.plan = MigrationPlan.of(this.steps);
  }

  /**
   * The history {@code steps}, oldest first.
   *
   * @throws IllegalArgumentException naming the first step that is not allowed: versions that do
   *     not increase, an expand step that removes or changes what older clients still use, a
   *     contract step that does not raise the minimum client version, a mirror of columns that are
   *     not stored.
   */
  public static Migrations of(Migration... steps) {
    return new Migrations(Arrays.asList(steps));
  }

  /** The steps, oldest first. */
  public List<Migration> steps() {
    return steps;
  }

  /** The last step's schema: what the current app uses. */
  public Schema current() {
    return steps.get(steps.size() - 1).schema();
  }

  /** The oldest client schema version served. */
  public int minClientVersion() {
    return plan.last().minClientVersion;
  }

  /** The newest client schema version served: the last step's. */
  public int maxClientVersion() {
    return plan.last().version;
  }
}
