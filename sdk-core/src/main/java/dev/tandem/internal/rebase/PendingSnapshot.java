package dev.tandem.internal.rebase;

import dev.tandem.internal.db.SqlConnection;
import dev.tandem.internal.store.LocalStore;
import dev.tandem.internal.store.Pending;
import dev.tandem.internal.store.PendingQueue;
import java.util.List;
import java.util.Set;

/**
 * What a pull's rebase needs to know before it writes: which mutations are pending (in queue order)
 * and the keys they changed (the undo log's). Read under the write lock, or before it in a read
 * transaction ({@link #readBefore}), so the lock is not held for what grows with the queue; under
 * the lock, {@link #isCurrent} tells whether only new mutations committed since, and {@link #newer}
 * reads them.
 */
final class PendingSnapshot {
  final List<Pending> pending;
  final Set<String> optimistic;

  /** {@link LocalStore#otherWrites} before the read; -1 when read under the write lock. */
  private final long otherWrites;

  private PendingSnapshot(List<Pending> pending, Set<String> optimistic, long otherWrites) {
    this.pending = pending;
    this.optimistic = optimistic;
    this.otherWrites = otherWrites;
  }

  /** Reads it in {@code write}, under the write lock. */
  static PendingSnapshot read(LocalStore.Write write) {
    return read(write.db, write.view().optimisticKeys(write.db), -1);
  }

  /** Reads it in a read transaction, without the write lock. */
  static PendingSnapshot readBefore(final LocalStore local) {
    // Counted first: a write that commits after this still counts in isCurrent.
    final long otherWrites = local.otherWrites();
    return local.readUnchecked(db -> read(db, local.view().optimisticKeys(db), otherWrites));
  }

  private static PendingSnapshot read(SqlConnection db, Set<String> optimistic, long otherWrites) {
    return new PendingSnapshot(PendingQueue.refs(db), optimistic, otherWrites);
  }

  /**
   * Whether, under the write lock, nothing but new mutations committed since this was read: no
   * pull, no rebase, no dropped or renumbered mutation, so what it holds is still true, and the
   * pending mutations are these and the {@link #newer} ones.
   */
  boolean isCurrent(LocalStore local) {
    return otherWrites >= 0 && local.otherWrites() == otherWrites;
  }

  /** The mutations queued after this was read, under the write lock. */
  List<Pending> newer(LocalStore.Write write) {
    long after = pending.isEmpty() ? 0 : pending.get(pending.size() - 1).seq;
    return PendingQueue.refs(write.db, after);
  }
}
