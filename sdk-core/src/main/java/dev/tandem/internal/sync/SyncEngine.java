package dev.tandem.internal.sync;

import dev.tandem.SyncStatus;
import dev.tandem.UpdateNeeded;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Observable;

/**
 * The sync side of a Tandem instance: the push, pull and poke loops and what they report. {@link
 * RealSyncEngine} talks to a server; {@link #localOnly} is the engine of an instance without one.
 */
public interface SyncEngine {
  /** Starts the loops: a first pull, a push of what is pending, the poke stream. */
  void start();

  /** A mutation was made and {@code pendingCount} are now pending: push soon, and show it. */
  void mutated(long pendingCount);

  /** Completes when the server has confirmed every mutation made before the call. */
  Completable flush();

  /** Completes after the next pull has been applied. */
  Completable pull();

  void setNetworkAvailable(boolean available);

  void setForeground(boolean foreground);

  /** The status; emits the current value first. */
  Observable<SyncStatus> status();

  Observable<UpdateNeeded> updateNeeded();

  Observable<Boolean> clientStateNotFound();

  /** Stops every loop and fails every waiter; nothing is delivered to global error handlers. */
  void close();

  /** The engine of an instance with no server: status shows pending counts, flush and pull fail. */
  static SyncEngine localOnly(SyncState state) {
    return new LocalOnlySyncEngine(state);
  }
}
