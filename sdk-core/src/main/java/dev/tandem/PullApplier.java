package dev.tandem;

import com.squareup.moshi.JsonDataException;
import dev.tandem.internal.live.KeySet;
import dev.tandem.internal.store.SqlConnection;
import dev.tandem.internal.store.Store;
import dev.tandem.internal.sync.PatchPipeline;
import dev.tandem.protocol.Cookie;
import dev.tandem.protocol.ErrorResponse;
import dev.tandem.protocol.PatchOperation;
import dev.tandem.protocol.PullResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okio.BufferedSource;

/**
 * Applies a pull response (PROTOCOL.md, client rule 5) in one local transaction, streaming the
 * patch straight from the response so a first pull of a million rows never sits in memory: revert
 * the optimistic effects (the undo log), apply the patch, record the cookie and lastMutationIDs,
 * drop confirmed mutations, replay the rest. A response that turns out to be a no-op, stale,
 * regressing, an error or malformed is rolled back whole: local state stays as it was.
 */
final class PullApplier {
  /** What applying a response did. */
  static final class Outcome {
    enum Kind {
      APPLIED,
      NO_OP,
      DISCARDED,
      REJECTED,
      ERROR
    }

    final Kind kind;
    final String message;
    final ErrorResponse error;
    final KeySet changes;

    private Outcome(Kind kind, String message, ErrorResponse error, KeySet changes) {
      this.kind = kind;
      this.message = message;
      this.error = error;
      this.changes = changes;
    }

    static Outcome of(Kind kind, String message) {
      return new Outcome(kind, message, null, null);
    }
  }

  /** Something went wrong that rolls the transaction back with an outcome. */
  private static final class Abort extends Exception {
    private static final long serialVersionUID = 1L;
    final transient Outcome outcome;

    Abort(Outcome outcome) {
      super(outcome.message);
      this.outcome = outcome;
    }
  }

  private final LocalStore local;

  PullApplier(LocalStore local) {
    this.local = local;
  }

  /**
   * Applies {@code body}, a pull response requested with {@code baseCookie}.
   *
   * @throws IOException if the body cannot be read or is malformed (JsonEncodingException), or
   *     {@link JsonDataException} if it has the wrong shape; either way nothing changed.
   */
  Outcome apply(BufferedSource body, Cookie baseCookie) throws IOException {
    return apply(body, baseCookie, false);
  }

  /**
   * Applies {@code body} like {@link #apply(BufferedSource, Cookie)}; with {@code parallel} the
   * body is parsed on a second thread while this one writes (for large responses).
   */
  Outcome apply(BufferedSource body, Cookie baseCookie, boolean parallel) throws IOException {
    KeySet changes = new KeySet();
    List<String[]> violations;
    local.lock.lock();
    try {
      SqlConnection db = local.driver.writer();
      db.begin();
      boolean committed = false;
      try {
        applyIn(db, body, parallel, baseCookie, changes);
        db.commit();
        committed = true;
        local.recountPending(db);
      } catch (Abort abort) {
        return abort.outcome;
      } finally {
        if (!committed) {
          db.rollback();
          local.data.takeViolations();
        }
      }
      violations = local.data.takeViolations();
    } finally {
      local.lock.unlock();
    }
    local.data.report(violations);
    local.notifyCommitted(changes);
    return new Outcome(Outcome.Kind.APPLIED, null, null, changes);
  }

  private void applyIn(
      SqlConnection db, BufferedSource body, boolean parallel, Cookie baseCookie, KeySet changes)
      throws IOException, Abort {
    if (!Store.cookie(db).equals(baseCookie)) {
      throw new Abort(Outcome.of(Outcome.Kind.DISCARDED, "the cookie changed during the pull"));
    }
    for (String key : local.data.revertOptimistic(db)) changes.addKey(key);

    PatchBuffer patch = new PatchBuffer(db, local.data, changes);
    PullResult result =
        parallel ? PatchPipeline.read(body, patch::apply) : PullResult.readBody(body, patch::apply);
    patch.flush();
    if (result.error() != null) {
      throw new Abort(
          new Outcome(Outcome.Kind.ERROR, result.error().toString(), result.error(), null));
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
    Map<String, Long> confirmed = Store.confirmed(db);
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

    Store.setMeta(db, Store.COOKIE, cookie.toString());
    for (Map.Entry<String, Long> change : lastMutationIDs.entrySet()) {
      Store.setConfirmed(db, change.getKey(), change.getValue());
      Store.dropConfirmed(db, change.getKey(), change.getValue());
    }
    replayPending(db, changes);
  }

  /** Re-runs the mutations still pending, in order, on top of the new snapshot (rebase). */
  private void replayPending(SqlConnection db, KeySet changes) {
    long after = 0;
    while (true) {
      List<Store.Pending> batch = Store.pending(db, after, 500);
      if (batch.isEmpty()) return;
      for (Store.Pending pending : batch) {
        after = pending.seq;
        if (!local.mutators.has(pending.name)) continue; // Still pushed; the server decides.
        db.savepoint("replay");
        try {
          local.mutators.run(
              pending.name,
              new RealWriteTransaction(
                  db,
                  local.data,
                  local.codec,
                  pending.clientID,
                  pending.id,
                  WriteTransaction.Reason.REBASE,
                  changes),
              pending.args);
          db.releaseSavepoint("replay");
        } catch (Exception e) {
          // It ran once without throwing; on the new state it may not apply. Its local effects
          // are dropped and the server's answer decides.
          db.rollbackToSavepoint("replay");
          db.releaseSavepoint("replay");
        }
      }
    }
  }

  /** Applies patch operations, batching runs of puts: a first pull is mostly puts. */
  private static final class PatchBuffer {
    private static final int BATCH = 512;
    private final SqlConnection db;
    private final DataStore data;
    private final KeySet changes;
    private final List<String[]> puts = new ArrayList<>(BATCH);
    private final Set<String> keys = new HashSet<>();

    PatchBuffer(SqlConnection db, DataStore data, KeySet changes) {
      this.db = db;
      this.data = data;
      this.changes = changes;
    }

    void apply(PatchOperation op) {
      switch (op.op()) {
        case PUT:
          if (!keys.add(op.key())) {
            flush(); // The same key twice: the later put must land after the earlier one.
            keys.add(op.key());
          }
          puts.add(new String[] {op.key(), op.value().toString()});
          changes.addKey(op.key());
          if (puts.size() == BATCH) flush();
          break;
        case DEL:
          flush();
          data.del(db, op.key());
          changes.addKey(op.key());
          break;
        case CLEAR:
          puts.clear(); // Cleared before they were written.
          keys.clear();
          data.clear(db);
          changes.addAll();
          break;
      }
    }

    void flush() {
      if (puts.isEmpty()) return;
      data.putAll(db, puts);
      puts.clear();
      keys.clear();
    }
  }
}
