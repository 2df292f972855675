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
import dev.tandem.protocol.PullResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
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

  public PullApplier(LocalStore local, Mutations mutations) {
    this.local = local;
    this.rebase = new Rebase(mutations);
    this.footprints = mutations.footprints();
  }

  /**
   * Applies {@code body}, a pull response requested with {@code baseCookie}; with {@code parallel}
   * the body is parsed on a second thread while this one writes (for large responses).
   *
   * @throws IOException if the body cannot be read or is malformed (JsonEncodingException), or
   *     {@link JsonDataException} if it has the wrong shape; either way nothing changed.
   */
  public Outcome apply(final BufferedSource body, final Cookie baseCookie, final boolean parallel)
      throws IOException {
    try {
      return local.write(write -> applyIn(write, body, parallel, baseCookie));
    } catch (Abort abort) {
      return abort.outcome;
    } catch (IOException | RuntimeException e) {
      footprints.clear(); // The rollback may have undone replays whose footprints were recorded.
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

  private Outcome applyIn(
      LocalStore.Write write, BufferedSource body, boolean parallel, Cookie baseCookie)
      throws IOException, Abort {
    if (!Meta.cookie(write.db).equals(baseCookie)) {
      throw new Abort(Outcome.of(Outcome.Kind.DISCARDED, "the cookie changed during the pull"));
    }
    // The patch goes on top of the optimistic state; the rebase below reverts what it did not
    // overwrite (the same result as reverting first).
    Set<String> optimistic = write.view().optimisticKeys(write.db);
    PatchWriter patch = new PatchWriter(write.db, write.view(), write.changes, optimistic);
    PullResult result =
        parallel ? PatchPipeline.read(body, patch::apply) : PullResult.readBody(body, patch::apply);
    patch.flush();
    if (result.error() != null) {
      throw new Abort(
          new Outcome(
              Outcome.Kind.ERROR,
              result.error().toString(),
              result.error(),
              null,
              Collections.<RefusedMutation>emptyList()));
    }
    Cookie cookie = result.response().cookie();
    Map<String, Long> lastMutationIDs = result.response().lastMutationIDChanges();

    if (cookie.equals(baseCookie)) throw new Abort(Outcome.of(Outcome.Kind.NO_OP, null));
    if (cookie.compareTo(baseCookie) < 0) {
      throw new Abort(
          Outcome.of(
              Outcome.Kind.REJECTED,
              "the server's cookie " + cookie + " is older than ours, " + baseCookie));
    }
    Map<String, Long> confirmed = Meta.confirmed(write.db);
    for (Map.Entry<String, Long> change : lastMutationIDs.entrySet()) {
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

    List<RefusedMutation> refused = refusedIn(write, result.response().refusedMutations());
    List<Pending> pending = PendingQueue.refs(write.db);
    Meta.setCookie(write.db, cookie);
    for (Map.Entry<String, Long> change : lastMutationIDs.entrySet()) {
      Meta.setConfirmed(write.db, change.getKey(), change.getValue());
      PendingQueue.dropConfirmed(write.db, change.getKey(), change.getValue());
    }
    if (!lastMutationIDs.isEmpty()) write.recountPending();
    rebase(write, optimistic, patch, pending, lastMutationIDs);
    return new Outcome(Outcome.Kind.APPLIED, null, null, write.changes, refused);
  }

  /**
   * Client rule 5 after the patch. Replaying every pending mutation on the new snapshot is always
   * right; when no mutation still pending read or wrote anything the patch or the confirmed
   * mutations touched, replaying them would read what their last run read and write what it wrote,
   * so their effects stay as they are and only the confirmed mutations' changes are reverted (where
   * the patch did not overwrite them).
   */
  private void rebase(
      LocalStore.Write write,
      Set<String> optimistic,
      PatchWriter patch,
      List<Pending> pending,
      Map<String, Long> lastMutationIDs) {
    KeySet remaining = remainingFootprint(patch, pending, lastMutationIDs);
    for (Pending mutation : pending) {
      Long last = lastMutationIDs.get(mutation.clientID);
      if (last != null && mutation.id <= last) footprints.remove(mutation.clientID, mutation.id);
    }
    if (remaining != null) {
      KeySet kept = remaining.isEmpty() ? null : remaining;
      for (String key :
          write
              .view()
              .revertAfterPatch(write.db, optimistic, patch.patchedOptimistic, false, kept)) {
        write.changes.addKey(key);
      }
      return;
    }
    for (String key :
        write
            .view()
            .revertAfterPatch(write.db, optimistic, patch.patchedOptimistic, patch.cleared, null)) {
      write.changes.addKey(key);
    }
    rebase.replay(write);
  }

  /**
   * The footprint of the mutations that stay pending if none of them needs replaying, or null if
   * they must all be replayed: a footprint unknown, the patch cleared or too large to track, or an
   * overlap with the patch or with a confirmed mutation's footprint.
   */
  private KeySet remainingFootprint(
      PatchWriter patch, List<Pending> pending, Map<String, Long> lastMutationIDs) {
    if (Boolean.getBoolean(FULL_REBASE) || patch.cleared || patch.patched.isEverything())
      return null;
    KeySet gone = KeySet.upTo(Integer.MAX_VALUE);
    KeySet remaining = KeySet.upTo(Integer.MAX_VALUE);
    for (Pending mutation : pending) {
      KeySet footprint = footprints.get(mutation.clientID, mutation.id);
      if (footprint == null) return null;
      Long last = lastMutationIDs.get(mutation.clientID);
      (last != null && mutation.id <= last ? gone : remaining).addAll(footprint);
    }
    if (remaining.isEmpty()) return remaining;
    if (remaining.isEverything() || remaining.rangeCount() > MAX_RANGES) return null;
    if (remaining.intersects(patch.patched) || remaining.intersects(gone)) return null;
    return remaining;
  }

  /** Past this many ranges read by pending mutations, checking them costs more than replaying. */
  private static final int MAX_RANGES = 256;

  /**
   * A system property for benchmarks only: when true, every pull replays everything pending, as
   * before footprints (the same-run baseline of the pending-pull benchmark).
   */
  private static final String FULL_REBASE = "dev.tandem.fullRebase";

  /**
   * The refusals that name a mutation still pending here, with its name and args (read before the
   * confirmation drops it); refusals of mutations no longer pending were reported before.
   */
  private static List<RefusedMutation> refusedIn(
      LocalStore.Write write, List<dev.tandem.protocol.RefusedMutation> refusals) {
    if (refusals.isEmpty()) return Collections.emptyList();
    List<RefusedMutation> refused = new ArrayList<>();
    for (dev.tandem.protocol.RefusedMutation refusal : refusals) {
      Pending pending = PendingQueue.find(write.db, refusal.clientID(), refusal.id());
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
