package dev.tandem.internal.rebase;

import dev.tandem.internal.mutation.Footprints;
import dev.tandem.internal.store.KeySet;
import dev.tandem.internal.store.Pending;
import java.util.List;
import java.util.Map;

/**
 * Whether a pull's rebase can leave the pending mutations as they are (SYNC.md, step 6): it can
 * when every mutation still pending has a known footprint and none of them meets the patch's keys
 * or a confirmed mutation's footprint. Then only the confirmed mutations' changes are reverted.
 * {@link #of} returns null when everything pending must be replayed. Not thread-safe.
 */
final class RebasePlan {
  /** Past this many ranges read by pending mutations, checking them costs more than replaying. */
  private static final int MAX_RANGES = 256;

  /**
   * A system property for benchmarks only: when true, every pull replays everything pending, as
   * before footprints (the same-run baseline of the pending-pull benchmark).
   */
  private static final String FULL_REBASE = "dev.tandem.fullRebase";

  /** What the mutations that stay pending read and wrote. */
  final KeySet remaining;

  private final KeySet patched;
  private final KeySet gone;

  private RebasePlan(KeySet remaining, KeySet patched, KeySet gone) {
    this.remaining = remaining;
    this.patched = patched;
    this.gone = gone;
  }

  /**
   * The plan for {@code pending} (in queue order) under a patch that wrote {@code patched}
   * (exactly, or everything) and confirmed up to {@code lastMutationIDs}; null if everything
   * pending must be replayed: a footprint unknown, the patch cleared or too large to track, or an
   * overlap.
   */
  static RebasePlan of(
      Footprints footprints,
      KeySet patched,
      boolean cleared,
      List<Pending> pending,
      Map<String, Long> lastMutationIDs) {
    if (Boolean.getBoolean(FULL_REBASE) || cleared || patched.isEverything()) return null;
    KeySet gone = KeySet.upTo(Integer.MAX_VALUE);
    KeySet remaining = KeySet.upTo(Integer.MAX_VALUE);
    for (Pending mutation : pending) {
      KeySet footprint = footprints.get(mutation.clientID, mutation.id);
      if (footprint == null) return null;
      (confirmed(mutation, lastMutationIDs) ? gone : remaining).addAll(footprint);
    }
    RebasePlan plan = new RebasePlan(remaining, patched, gone);
    return plan.holds() ? plan : null;
  }

  /**
   * This plan with {@code newer} mutations added, made after the snapshot it was planned from (so
   * none of them can be confirmed by this pull); null if everything must be replayed after all: one
   * of them is confirmed anyway, has no footprint, or meets the patch or what was confirmed.
   */
  RebasePlan plus(Footprints footprints, List<Pending> newer, Map<String, Long> lastMutationIDs) {
    for (Pending mutation : newer) {
      KeySet footprint = footprints.get(mutation.clientID, mutation.id);
      if (footprint == null || confirmed(mutation, lastMutationIDs)) return null;
      if (footprint.intersects(patched) || footprint.intersects(gone)) return null;
      remaining.addAll(footprint);
      if (remaining.isEverything() || remaining.rangeCount() > MAX_RANGES) return null;
    }
    return this;
  }

  /** Whether this key's optimistic value and undo entry stay: a remaining mutation touched it. */
  boolean keeps(String key) {
    return remaining.contains(key);
  }

  private boolean holds() {
    if (remaining.isEmpty()) return true;
    if (remaining.isEverything() || remaining.rangeCount() > MAX_RANGES) return false;
    return !remaining.intersects(patched) && !remaining.intersects(gone);
  }

  static boolean confirmed(Pending mutation, Map<String, Long> lastMutationIDs) {
    Long last = lastMutationIDs.get(mutation.clientID);
    return last != null && mutation.id <= last;
  }
}
