package dev.tandem.internal.rebase;

import dev.tandem.internal.mutation.Mutations;
import dev.tandem.internal.store.LocalStore;
import dev.tandem.internal.store.Pending;
import dev.tandem.internal.store.PendingQueue;
import java.util.List;

/**
 * Client rule 5's second half: {@link #replay} runs the mutations still pending again, in order, on
 * top of the new snapshot (after {@code ClientView.revertAfterPatch} put back what the patch did
 * not overwrite).
 */
final class Rebase {
  private static final int BATCH = 500;

  private final Mutations mutations;

  Rebase(Mutations mutations) {
    this.mutations = mutations;
  }

  /** Puts back every value pending mutations changed since the last snapshot (the undo log). */
  static void revert(LocalStore.Write write) {
    for (String key :
        write
            .view()
            .revertAfterPatch(
                write.db, null, java.util.Collections.<String>emptySet(), false, null, 0)) {
      write.changes.addKey(key);
    }
  }

  /** As {@link #replay}, after forgetting every footprint: each replay records its own again. */
  void replayAfresh(LocalStore.Write write) {
    forgetFootprints();
    replay(write);
  }

  void forgetFootprints() {
    mutations.footprints().clear();
  }

  /**
   * Re-runs every pending mutation, each in a savepoint: one that now throws, or whose mutator is
   * no longer registered, has no local effect and stays pending for the server to decide.
   */
  void replay(LocalStore.Write write) {
    long after = 0;
    while (true) {
      List<Pending> batch = PendingQueue.after(write.db, after, BATCH);
      if (batch.isEmpty()) return;
      for (Pending pending : batch) {
        after = pending.seq;
        mutations.replay(write, pending);
      }
    }
  }
}
