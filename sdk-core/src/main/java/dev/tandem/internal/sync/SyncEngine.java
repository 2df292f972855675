package dev.tandem.internal.sync;

import dev.tandem.RefusedMutation;
import dev.tandem.SyncStatus;
import dev.tandem.UpdateNeeded;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Observable;

/**
 * The sync side of a Tandem instance: the push, pull and poke loops and what they report. {@link
 * RealSyncEngine} talks to a server; {@link #localOnly} is the engine of an instance without one.
 */
public abstract class SyncEngine {
  final SyncState state;

  SyncEngine(SyncState state) {
    this.state = state;
  }

  /** Starts the loops: a first pull, a push of what is pending, the poke stream. */
  public abstract void start();

  /** A mutation was made and {@code pendingCount} are now pending: push soon, and show it. */
  public abstract void mutated(long pendingCount);

  /** Completes when the server has confirmed every mutation made before the call. */
  public abstract Completable flush();

  /** Completes after the next pull has been applied. */
  public abstract Completable pull();

  public abstract void setNetworkAvailable(boolean available);

  public abstract void setForeground(boolean foreground);

  /** The status; emits the current value first. */
  public final Observable<SyncStatus> status() {
    return state.status().hide();
  }

  /** Emits when the server refuses this client's versions; replays the last event. */
  public final Observable<UpdateNeeded> updateNeeded() {
    return state.updateNeeded().hide();
  }

  /** Mutations the server refused, each once (hot: subscribe before they happen). */
  public final Observable<RefusedMutation> refusedMutations() {
    return state.refusedMutations().hide();
  }

  /** Emits when the server lost this client group's state; replays the last event. */
  public final Observable<Boolean> clientStateNotFound() {
    return state.clientStateNotFound().hide();
  }

  /** Stops every loop and fails every waiter; nothing is delivered to global error handlers. */
  public abstract void close();

  /** The engine of an instance with no server: status shows pending counts, flush and pull fail. */
  public static SyncEngine localOnly(SyncState state) {
    return new LocalOnlySyncEngine(state);
  }
}
