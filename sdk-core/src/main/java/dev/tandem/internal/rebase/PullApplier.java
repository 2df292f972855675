package dev.tandem.internal.rebase;

import com.squareup.moshi.JsonDataException;
import dev.tandem.PendingMutation;
import dev.tandem.RefusedMutation;
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
import okio.BufferedSource;

/**
 * Applies a pull response (PROTOCOL.md, client rule 5) in one write of the local store, streaming
 * the patch straight from the response so a first pull of a million rows never sits in memory:
 * revert the optimistic effects ({@link Rebase#revert}), apply the patch, record the cookie and
 * lastMutationIDs, drop confirmed mutations, replay the rest ({@link Rebase#replay}). A response
 * that turns out to be a no-op, stale, regressing, an error or malformed is rolled back whole:
 * local state stays as it was.
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

  public PullApplier(LocalStore local, Mutations mutations) {
    this.local = local;
    this.rebase = new Rebase(mutations);
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
      throw e;
    } catch (Exception e) {
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
    Rebase.revert(write);

    PatchWriter patch = new PatchWriter(write.db, write.view(), write.changes);
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
    Meta.setCookie(write.db, cookie);
    for (Map.Entry<String, Long> change : lastMutationIDs.entrySet()) {
      Meta.setConfirmed(write.db, change.getKey(), change.getValue());
      PendingQueue.dropConfirmed(write.db, change.getKey(), change.getValue());
    }
    if (!lastMutationIDs.isEmpty()) write.recountPending();
    rebase.replay(write);
    return new Outcome(Outcome.Kind.APPLIED, null, null, write.changes, refused);
  }

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
