package dev.tandem.internal.rebase;

import dev.tandem.PendingMutation;
import dev.tandem.RefusedMutation;
import dev.tandem.internal.mutation.Mutations;
import dev.tandem.internal.store.LocalStore;
import dev.tandem.internal.store.Pending;
import dev.tandem.internal.store.PendingQueue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a schema change asks of pending mutations. {@link #rebuildIfNeeded}: a local copy that
 * cannot be upgraded in place is dropped and the pending mutations replayed on the empty view, in
 * one write, so the app still sees its own changes until the next (full) pull. {@link #abandon}:
 * the server no longer serves the schema version some pending mutations were made with, so they
 * leave the queue, their optimistic effects are reverted (revert, replay the rest), and they are
 * handed back to the app as refusals.
 */
public final class SchemaRecovery {
  private final LocalStore local;
  private final Rebase rebase;

  public SchemaRecovery(LocalStore local, Mutations mutations) {
    this.local = local;
    this.rebase = new Rebase(mutations);
  }

  /**
   * The server forgot this client group ({@code ClientStateNotFound}): go on in a new group with
   * everything pending renumbered ({@link LocalStore#startNewGroup}), forgetting the footprints,
   * which name the old IDs (the next, full, pull replays everything and records them again).
   */
  public void startNewGroup() {
    local.startNewGroup();
    rebase.forgetFootprints();
  }

  /** Rebuilds the local copy if opening it with this schema asked for it; else does nothing. */
  public void rebuildIfNeeded() {
    if (local.rebuildReason() == null) return;
    local.writeUnchecked(
        write -> {
          local.dropSyncedData(write);
          rebase.replay(write);
          return null;
        });
  }

  /**
   * Removes every pending mutation made with {@code schemaVersion}, in one write with a rebase of
   * the rest.
   *
   * @return the removed mutations as refusals with {@code reason}, oldest first.
   */
  public List<RefusedMutation> abandon(final String schemaVersion, final String reason) {
    List<Pending> removed =
        local.writeUnchecked(
            write -> {
              Rebase.revert(write);
              List<Pending> gone = PendingQueue.removeVersion(write.db, schemaVersion);
              write.dropped(gone.size());
              rebase.replayAfresh(write);
              return gone;
            });
    if (removed.isEmpty()) return Collections.emptyList();
    List<RefusedMutation> refused = new ArrayList<>(removed.size());
    for (Pending pending : removed) {
      refused.add(
          new RefusedMutation(
              new PendingMutation(
                  pending.clientID,
                  pending.id,
                  pending.name,
                  pending.args.toString(),
                  pending.schemaVersion),
              reason));
    }
    return refused;
  }
}
