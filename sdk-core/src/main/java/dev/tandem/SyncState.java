package dev.tandem;

import dev.tandem.internal.store.Store;
import dev.tandem.protocol.ErrorResponse;
import io.reactivex.rxjava3.core.CompletableEmitter;
import io.reactivex.rxjava3.subjects.BehaviorSubject;
import io.reactivex.rxjava3.subjects.ReplaySubject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * What the push and pull loops share: the status stream, whether syncing has stopped and why, and
 * the callers waiting for {@link Tandem#flush()} and {@link Tandem#pull()}. Thread-safe; never
 * calls out while holding its monitor.
 */
final class SyncState {
  private final LocalStore local;
  private final BehaviorSubject<SyncStatus> status;
  final ReplaySubject<UpdateNeeded> updateNeeded = ReplaySubject.createWithSize(1);
  final ReplaySubject<Boolean> clientStateNotFound = ReplaySubject.createWithSize(1);
  private final List<long[]> flushTargets = new ArrayList<>();
  private final List<CompletableEmitter> flushWaiters = new ArrayList<>();
  private final List<CompletableEmitter> pullWaiters = new ArrayList<>();
  private String stoppedBecause;
  private volatile boolean networkAvailable = true;
  private volatile boolean foreground = true;

  SyncState(LocalStore local) {
    this.local = local;
    this.status =
        BehaviorSubject.createDefault(
            new SyncStatus(true, false, false, local.pendingCount(), 0, null, false));
    if (ErrorResponse.Kind.CLIENT_STATE_NOT_FOUND.name().equals(local.meta(Store.DISABLED))) {
      stoppedBecause = "the server lost this client group's state (ClientStateNotFound)";
      clientStateNotFound.onNext(true);
      update(s -> s.withStopped(true));
    }
  }

  /** Changes the status; emits only real changes. */
  interface Change {
    SyncStatus apply(SyncStatus status);
  }

  void update(Change change) {
    SyncStatus next;
    synchronized (this) {
      SyncStatus current = status.getValue();
      next = change.apply(current);
      if (next.equals(current)) return;
      status.onNext(next); // BehaviorSubject is thread-safe; emitting under our lock keeps order.
    }
  }

  BehaviorSubject<SyncStatus> status() {
    return status;
  }

  /** False while the app says there is no network: the loops send nothing. */
  boolean networkAvailable() {
    return networkAvailable;
  }

  void setNetworkAvailable(boolean available) {
    networkAvailable = available;
    update(s -> s.withOnline(available));
  }

  /** False while the app is in the background: no interval pulls, no poke stream. */
  boolean foreground() {
    return foreground;
  }

  /** True if this changed it. */
  synchronized boolean setForeground(boolean foreground) {
    if (this.foreground == foreground) return false;
    this.foreground = foreground;
    return true;
  }

  synchronized boolean stopped() {
    return stoppedBecause != null;
  }

  /** Stops syncing for good in this session; fails every waiter. */
  void stop(String because, ErrorResponse error) {
    List<CompletableEmitter> waiters = new ArrayList<>();
    synchronized (this) {
      if (stoppedBecause != null) return;
      stoppedBecause = because;
      waiters.addAll(flushWaiters);
      waiters.addAll(pullWaiters);
      flushWaiters.clear();
      flushTargets.clear();
      pullWaiters.clear();
    }
    update(s -> s.withStopped(true).withPushing(false).withPulling(false));
    if (error != null && error.kind() == ErrorResponse.Kind.CLIENT_STATE_NOT_FOUND) {
      local.setMeta(Store.DISABLED, ErrorResponse.Kind.CLIENT_STATE_NOT_FOUND.name());
      clientStateNotFound.onNext(true);
    } else if (error != null) {
      updateNeeded.onNext(new UpdateNeeded(error.versionType()));
    }
    for (CompletableEmitter waiter : waiters) waiter.tryOnError(new SyncStoppedException(because));
  }

  /** Registers a flush waiting until the server confirmed {@code target}; false if stopped. */
  void addFlush(long target, CompletableEmitter emitter) {
    String stopped;
    synchronized (this) {
      stopped = stoppedBecause;
      if (stopped == null) {
        flushTargets.add(new long[] {target});
        flushWaiters.add(emitter);
      }
    }
    if (stopped != null) emitter.tryOnError(new SyncStoppedException(stopped));
    else confirmedUpTo(local.confirmedMutationID());
  }

  synchronized boolean hasFlushWaiters() {
    return !flushWaiters.isEmpty();
  }

  /** Completes the flushes whose target the server has confirmed. */
  void confirmedUpTo(long confirmed) {
    List<CompletableEmitter> done = new ArrayList<>();
    synchronized (this) {
      Iterator<long[]> targets = flushTargets.iterator();
      Iterator<CompletableEmitter> waiters = flushWaiters.iterator();
      while (targets.hasNext()) {
        long[] target = targets.next();
        CompletableEmitter waiter = waiters.next();
        if (target[0] <= confirmed) {
          targets.remove();
          waiters.remove();
          done.add(waiter);
        }
      }
    }
    for (CompletableEmitter waiter : done) waiter.onComplete();
  }

  void addPullWaiter(CompletableEmitter emitter) {
    String stopped;
    synchronized (this) {
      stopped = stoppedBecause;
      if (stopped == null) pullWaiters.add(emitter);
    }
    if (stopped != null) emitter.tryOnError(new SyncStoppedException(stopped));
  }

  /** True while a {@code pull()} or {@code flush()} caller waits for a pull. */
  synchronized boolean someoneWaits() {
    return !pullWaiters.isEmpty() || !flushWaiters.isEmpty();
  }

  /** Completes everyone waiting for a pull. */
  void pulled() {
    List<CompletableEmitter> done;
    synchronized (this) {
      done = new ArrayList<>(pullWaiters);
      pullWaiters.clear();
    }
    for (CompletableEmitter waiter : done) waiter.onComplete();
  }
}
