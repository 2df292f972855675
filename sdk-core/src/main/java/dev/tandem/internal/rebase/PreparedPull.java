package dev.tandem.internal.rebase;

import dev.tandem.internal.mutation.Footprints;
import dev.tandem.internal.store.KeySet;
import dev.tandem.internal.store.LocalStore;
import dev.tandem.internal.store.Pending;
import dev.tandem.protocol.PatchOperation;
import dev.tandem.protocol.PullResult;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pull's body read in full before the write lock is taken, with what its rebase needs to know:
 * the keys the patch writes, the queue as it was ({@link PendingSnapshot}) and the plan made from
 * it outside the lock ({@link PullApplier}).
 */
final class PreparedPull implements PatchSource {
  final PullResult result;
  final List<PatchOperation> patch;
  final PendingSnapshot snapshot;

  /** The keys the patch writes (exactly, or everything), and whether it clears. */
  final KeySet patched = KeySet.upTo(PatchWriter.MAX_TRACKED);

  boolean cleared;

  /** The plan from the snapshot; null when everything pending must be replayed. */
  RebasePlan plan;

  /** False if the plan could not be made outside the lock (footprints were being replaced). */
  boolean planned;

  /** With a plan, the snapshot's undo keys it reverts (no remaining mutation touched them). */
  Set<String> reverted;

  /**
   * Keys the patch puts once, with the value they had when read before the lock ({@link
   * #readUnchanged}): a pull confirming our own mutations echoes what they wrote.
   */
  private Set<String> unchanged = java.util.Collections.emptySet();

  /**
   * Set under the write lock when nothing but new mutations that touched none of the patch's keys
   * committed since the snapshot (the plan held): {@link #unchanged} is then still true, and those
   * puts are not written again.
   */
  boolean skipUnchanged;

  PreparedPull(PullResult result, List<PatchOperation> patch, PendingSnapshot snapshot) {
    this.result = result;
    this.patch = patch;
    this.snapshot = snapshot;
    for (PatchOperation op : patch) {
      if (op.op() == PatchOperation.Op.CLEAR) {
        cleared = true;
      } else {
        patched.addKey(op.key());
      }
    }
  }

  Map<String, Long> lastMutationIDs() {
    return result.response().lastMutationIDChanges();
  }

  RebasePlan plan(Footprints footprints, List<Pending> pending) {
    return RebasePlan.of(footprints, patched, cleared, pending, lastMutationIDs());
  }

  /**
   * Reads, before the write lock, which of the patch's puts of {@code optimistic} keys (the pending
   * mutations' keys) would store the value already stored ({@link SameJson}). Read after the
   * snapshot: any write that commits after this read is either another write (the snapshot is then
   * not current) or a new mutation (the plan then checks its footprint against the patch).
   */
  void readUnchanged(LocalStore local, Set<String> optimistic) {
    if (optimistic.isEmpty()) return;
    final Map<String, String> candidates = new HashMap<>();
    Set<String> repeated = null;
    for (PatchOperation op : patch) {
      String key = op.key();
      if (key == null || !optimistic.contains(key)) continue;
      if (op.op() == PatchOperation.Op.PUT && !candidates.containsKey(key)) {
        candidates.put(key, op.value().toString());
      } else {
        if (repeated == null) repeated = new HashSet<>();
        repeated.add(key); // Deleted, or put twice: written as the patch says.
      }
    }
    if (repeated != null) candidates.keySet().removeAll(repeated);
    if (candidates.isEmpty()) return;
    unchanged =
        local.readUnchecked(
            db -> {
              Set<String> same = new HashSet<>();
              for (Map.Entry<String, String> put : candidates.entrySet()) {
                String stored = local.view().storedJson(db, put.getKey());
                if (SameJson.same(stored, put.getValue())) same.add(put.getKey());
              }
              return same;
            });
  }

  @Override
  public PullResult writeTo(PatchWriter writer) {
    boolean skip = skipUnchanged && !unchanged.isEmpty();
    for (PatchOperation op : patch) {
      if (skip && op.op() == PatchOperation.Op.PUT && unchanged.contains(op.key())) {
        writer.unchanged(op.key());
      } else {
        writer.apply(op);
      }
    }
    return result;
  }
}
