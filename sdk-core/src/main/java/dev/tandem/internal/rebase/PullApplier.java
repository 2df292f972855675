package dev.tandem.internal.rebase;

import com.squareup.moshi.JsonDataException;
import dev.tandem.PendingMutation;
import dev.tandem.RefusedMutation;
import dev.tandem.internal.mutation.Footprints;
import dev.tandem.internal.mutation.Mutations;
import dev.tandem.internal.store.KeySet;
import dev.tandem.internal.store.LocalStore;
import dev.tandem.internal.store.Meta;
import dev.tandem.internal.store.Pending;
import dev.tandem.internal.store.PendingQueue;
import dev.tandem.protocol.Cookie;
import dev.tandem.protocol.ErrorResponse;
import dev.tandem.protocol.PatchOperation;
import dev.tandem.protocol.PullResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okio.BufferedSource;

/**
 * Applies a pull response (PROTOCOL.md, client rule 5) in one write of the local store, streaming
 * the patch straight from the response so a first pull of a million rows never sits in memory:
 * apply the patch, record the cookie and lastMutationIDs, drop confirmed mutations, revert the
 * optimistic changes the patch did not overwrite, and replay the mutations still pending ({@link
 * Rebase#replay}) unless none of them read or wrote anything the patch or the confirmed mutations
 * touched ({@link Footprints}). A response that turns out to be a no-op, stale, regressing, an
 * error or malformed is rolled back whole: local state stays as it was.
 */
public final class PullApplier {
  /** What applying a response did. */
  public static final class Outcome {
    /** The kinds of outcome. */
    public enum Kind {
      APPLIED,
      NO_OP,
      DISCARDED,
      REJECTED,
      ERROR
    }

    public final Kind kind;
    public final String message;
    public final ErrorResponse error;
    public final KeySet changes;

    /** Mutations of ours the server refused, as they were made; empty unless APPLIED. */
    public final List<RefusedMutation> refused;

    private Outcome(
        Kind kind,
        String message,
        ErrorResponse error,
        KeySet changes,
        List<RefusedMutation> refused) {
      this.kind = kind;
      this.message = message;
      this.error = error;
      this.changes = changes;
      this.refused = refused;
    }

    static Outcome of(Kind kind, String message) {
      return new Outcome(kind, message, null, null, Collections.<RefusedMutation>emptyList());
    }
  }

  /** Rolls the write back with an outcome. */
  private static final class Abort extends Exception {
    private static final long serialVersionUID = 1L;
    final transient Outcome outcome;

    Abort(Outcome outcome) {
      super(outcome.message);
      this.outcome = outcome;
    }
  }

  private final LocalStore local;
  private final Rebase rebase;
  private final Footprints footprints;

  /** Runs between the preparation and the write lock; tests make mutations there. */
  private volatile Runnable beforeWrite = () -> {};

  public PullApplier(LocalStore local, Mutations mutations) {
    this.local = local;
    this.rebase = new Rebase(mutations);
    this.footprints = mutations.footprints();
  }

  /**
   * Applies {@code body}, a pull response requested with {@code baseCookie}; with {@code parallel}
   * the body is parsed on a second thread while this one writes (for large responses, streamed
   * under the write lock). Otherwise the body is parsed, and what the rebase needs read and
   * checked, before the write lock is taken: the lock is held for the patch, the bookkeeping, the
   * reverts and replays the patch calls for, and the commit, not for work that grows with the
   * pending queue.
   *
   * @throws IOException if the body cannot be read or is malformed (JsonEncodingException), or
   *     {@link JsonDataException} if it has the wrong shape; either way nothing changed.
   */
  public Outcome apply(final BufferedSource body, final Cookie baseCookie, final boolean parallel)
      throws IOException {
    return apply(body, baseCookie, parallel, null);
  }

  /**
   * {@link #apply(BufferedSource, Cookie, boolean)} for a response to a request that carried client
   * group {@code groupID}: discarded (nothing changed) unless the store is still that group,
   * checked again under the write lock (a new group may have started while the request was out).
   * Null skips the check.
   */
  public Outcome apply(
      final BufferedSource body,
      final Cookie baseCookie,
      final boolean parallel,
      final String groupID)
      throws IOException {
    if (groupID != null && !groupID.equals(local.clientGroupID())) return discarded();
    final PatchSource source;
    final PreparedPull prepared;
    if (parallel) {
      source = patch -> PatchPipeline.read(body, patch::apply);
      prepared = null;
    } else {
      final List<PatchOperation> patch = new ArrayList<>();
      PullResult result = PullResult.readBody(body, patch::add);
      if (!local.cookie().equals(baseCookie)
          || (groupID != null && !groupID.equals(local.clientGroupID()))) {
        return discarded();
      }
      Outcome early = check(result, baseCookie);
      if (early != null) return early;
      PendingSnapshot snapshot = PendingSnapshot.readBefore(local);
      prepared = new PreparedPull(result, patch, snapshot);
      try {
        prepared.plan = prepared.plan(footprints, snapshot.pending);
        if (prepared.plan != null) prepared.reverted = reverted(snapshot.optimistic, prepared.plan);
        prepared.planned = true;
      } catch (RuntimeException e) {
        // A rebase elsewhere was replacing footprints (it also fails isCurrent): planned under the
        // lock instead.
      }
      source = prepared;
      beforeWrite.run();
      // The preparation above (parse, snapshot, plan: about 1-2.5 ms of CPU) used up this thread's
      // time slice; on busy cores it was then often preempted while holding the write lock, and a
      // mutate waited for it to run again (BENCHMARKS.md, "mutate p99 online after store v3").
      // Yielding first lets the hold start on a fresh slice: a hint, nothing depends on it.
      Thread.yield();
    }
    try {
      return local.write(
          write -> {
            if (groupID != null && !groupID.equals(local.clientGroupID())) {
              throw new Abort(discarded()); // startNewGroup changes it under this lock.
            }
            return applyIn(write, source, baseCookie, prepared);
          });
    } catch (Abort abort) {
      return abort.outcome;
    } catch (IOException | RuntimeException | Error e) {
      // The rollback may have undone replays whose footprints were recorded (a mutator's Error,
      // an assert say, is not caught by its replay's savepoint: it rolls the whole pull back).
      footprints.clear();
      throw e;
    } catch (Exception e) {
      footprints.clear();
      throw new IllegalStateException(e);
    }
  }

  /** {@link #apply(BufferedSource, Cookie, boolean)} on this thread alone. */
  public Outcome apply(BufferedSource body, Cookie baseCookie) throws IOException {
    return apply(body, baseCookie, false);
  }

  /** For tests: {@code hook} runs after a body is prepared and before its write lock is taken. */
  void beforeWrite(Runnable hook) {
    beforeWrite = hook;
  }

  private static Outcome discarded() {
    return Outcome.of(Outcome.Kind.DISCARDED, "the cookie or group changed during the pull");
  }

  /**
   * What the response says before anything of it is kept: null for a newer cookie, else the outcome
   * (an error, a no-op, an older cookie).
   */
  private static Outcome check(PullResult result, Cookie baseCookie) {
    if (result.error() != null) {
      return new Outcome(
          Outcome.Kind.ERROR,
          result.error().toString(),
          result.error(),
          null,
          Collections.<RefusedMutation>emptyList());
    }
    Cookie cookie = result.response().cookie();
    if (cookie.equals(baseCookie)) return Outcome.of(Outcome.Kind.NO_OP, null);
    if (cookie.compareTo(baseCookie) < 0) {
      return Outcome.of(
          Outcome.Kind.REJECTED,
          "the server's cookie " + cookie + " is older than ours, " + baseCookie);
    }
    return null;
  }

  private Outcome applyIn(
      LocalStore.Write write, PatchSource source, Cookie baseCookie, PreparedPull prepared)
      throws IOException, Abort {
    if (!Meta.cookie(write.db).equals(baseCookie)) throw new Abort(discarded());
    PendingSnapshot snapshot;
    RebasePlan plan = null;
    Set<String> tracked; // The optimistic keys whose overwriting by the patch the rebase needs.
    if (prepared != null) {
      checkConfirmed(write, prepared.result);
      if (prepared.planned && prepared.snapshot.isCurrent(local)) {
        // Only new mutations since the snapshot. None is confirmed by this response (the server
        // answered before they were made; plus() checks) and each one's footprint holds the keys
        // it changed: with a plan, their undo entries are all kept, and the snapshot's undo keys
        // are all this rebase can revert.
        snapshot = prepared.snapshot;
        if (prepared.plan != null) {
          plan = prepared.plan.plus(footprints, snapshot.newer(write), prepared.lastMutationIDs());
        }
        if (plan == null) snapshot = PendingSnapshot.read(write); // Replay all: read it all.
        tracked = plan != null ? reverted(prepared.reverted, plan) : snapshot.optimistic;
      } else {
        snapshot = PendingSnapshot.read(write);
        plan = prepared.plan(footprints, snapshot.pending);
        tracked = plan != null ? reverted(snapshot.optimistic, plan) : snapshot.optimistic;
      }
    } else {
      snapshot = PendingSnapshot.read(write); // Under the lock: the body streams into the write.
      tracked = snapshot.optimistic;
    }
    // The patch goes on top of the optimistic state; the rebase below reverts what it did not
    // overwrite (the same result as reverting first).
    // With nothing pending nor optimistic (a first pull, say), no rebase asks what it wrote.
    boolean forRebase = prepared != null || !snapshot.pending.isEmpty() || !tracked.isEmpty();
    PatchWriter patch = new PatchWriter(write.db, write.view(), write.changes, tracked, forRebase);
    PullResult result = source.writeTo(patch);
    patch.flush();
    if (prepared == null) {
      Outcome outcome = check(result, baseCookie);
      if (outcome != null) throw new Abort(outcome);
      checkConfirmed(write, result);
    }
    Cookie cookie = result.response().cookie();
    Map<String, Long> lastMutationIDs = result.response().lastMutationIDChanges();
    if (prepared == null) {
      // Before the confirmed mutations' footprints are forgotten: what they touched counts.
      plan =
          RebasePlan.of(
              footprints, patch.patched, patch.cleared, snapshot.pending, lastMutationIDs);
    }
    List<RefusedMutation> refused =
        refusedIn(write, result.response().refusedMutations(), snapshot.pending);
    Meta.setCookie(write.db, cookie);
    // Every mutation this pull confirms is in the snapshot (one made after it cannot be: the
    // server answered before it was made, and plus() checks). Where the last of them is:
    long confirmedUpTo = 0;
    for (Pending mutation : snapshot.pending) {
      if (RebasePlan.confirmed(mutation, lastMutationIDs)) confirmedUpTo = mutation.seq;
    }
    // Reverted before the confirmed mutations are dropped: their queue records hold undo entries.
    revert(write, tracked, patch, plan, confirmedUpTo);
    for (Map.Entry<String, Long> change : lastMutationIDs.entrySet()) {
      Meta.setConfirmed(write.db, change.getKey(), change.getValue());
      write.dropped(
          PendingQueue.dropConfirmed(write.db, change.getKey(), change.getValue(), confirmedUpTo));
    }
    if (confirmedUpTo > 0) {
      for (Pending mutation : snapshot.pending) {
        if (RebasePlan.confirmed(mutation, lastMutationIDs)) {
          footprints.remove(mutation.clientID, mutation.id);
        }
      }
    }
    if (plan == null) rebase.replay(write);
    return new Outcome(Outcome.Kind.APPLIED, null, null, write.changes, refused);
  }

  /** Of the snapshot's undo keys, those the plan reverts (no remaining mutation touched them). */
  private static Set<String> reverted(Set<String> optimistic, RebasePlan plan) {
    Set<String> keys = new HashSet<>();
    for (String key : optimistic) {
      if (!plan.keeps(key)) keys.add(key);
    }
    return keys;
  }

  /** Rolls back a response whose lastMutationID for a client is older than the one confirmed. */
  private static void checkConfirmed(LocalStore.Write write, PullResult result) throws Abort {
    Map<String, Long> confirmed = Meta.confirmed(write.db);
    for (Map.Entry<String, Long> change : result.response().lastMutationIDChanges().entrySet()) {
      Long known = confirmed.get(change.getKey());
      if (known != null && change.getValue() < known) {
        throw new Abort(
            Outcome.of(
                Outcome.Kind.REJECTED,
                "the server's lastMutationID "
                    + change.getValue()
                    + " for client "
                    + change.getKey()
                    + " is older than the confirmed "
                    + known));
      }
    }
  }

  /**
   * Client rule 5 after the patch, its first half: reverts what the patch did not overwrite.
   * Replaying every pending mutation on the new snapshot (the caller does, after this, with {@code
   * plan} null) is always right, so without a plan every optimistic change is reverted; with a
   * {@code plan} (no mutation still pending read or wrote anything the patch or the confirmed
   * mutations touched) replaying them would read what their last run read and write what it wrote,
   * so their effects stay as they are and only the confirmed mutations' changes are reverted (where
   * the patch did not overwrite them). {@code tracked}: the optimistic keys the patch writer
   * tracked; with a plan, at least every key it reverts. {@code confirmedUpTo}: the queue position
   * of the last mutation this pull confirms (0: none).
   */
  private static void revert(
      LocalStore.Write write,
      Set<String> tracked,
      PatchWriter patch,
      RebasePlan plan,
      long confirmedUpTo) {
    KeySet kept = plan == null || plan.remaining.isEmpty() ? null : plan.remaining;
    boolean cleared = plan == null && patch.cleared; // A plan means the patch did not clear.
    for (String key :
        write
            .view()
            .revertAfterPatch(
                write.db, tracked, patch.patchedOptimistic, cleared, kept, confirmedUpTo)) {
      write.changes.addKey(key);
    }
  }

  /**
   * The refusals that name a mutation still pending here, with its name and args (read before the
   * confirmation drops it); refusals of mutations no longer pending were reported before.
   */
  private static List<RefusedMutation> refusedIn(
      LocalStore.Write write,
      List<dev.tandem.protocol.RefusedMutation> refusals,
      List<Pending> snapshot) {
    if (refusals.isEmpty()) return Collections.emptyList();
    Map<String, Long> seqs = new java.util.HashMap<>(); // The queue has no index on IDs.
    for (Pending pending : snapshot) seqs.put(pending.clientID + '\n' + pending.id, pending.seq);
    List<RefusedMutation> refused = new ArrayList<>();
    for (dev.tandem.protocol.RefusedMutation refusal : refusals) {
      Long seq = seqs.get(refusal.clientID() + '\n' + refusal.id());
      Pending pending =
          seq != null
              ? PendingQueue.at(write.db, seq)
              : PendingQueue.find(write.db, refusal.clientID(), refusal.id());
      if (pending == null) continue;
      refused.add(
          new RefusedMutation(
              new PendingMutation(
                  pending.clientID,
                  pending.id,
                  pending.name,
                  pending.args.toString(),
                  pending.schemaVersion),
              refusal.error()));
    }
    return refused;
  }
}
