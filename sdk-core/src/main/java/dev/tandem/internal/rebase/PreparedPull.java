package dev.tandem.internal.rebase;

import dev.tandem.internal.mutation.Footprints;
import dev.tandem.internal.store.KeySet;
import dev.tandem.internal.store.Pending;
import dev.tandem.protocol.PatchOperation;
import dev.tandem.protocol.PullResult;
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

  @Override
  public PullResult writeTo(PatchWriter writer) {
    for (PatchOperation op : patch) writer.apply(op);
    return result;
  }
}
