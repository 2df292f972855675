package dev.tandem.internal.sync;

import dev.tandem.RefusedMutation;
import dev.tandem.SyncError;
import dev.tandem.SyncStatus;
import dev.tandem.SyncStoppedException;
import dev.tandem.UpdateNeeded;
import dev.tandem.internal.store.LocalStore;
import dev.tandem.protocol.ErrorResponse;
import io.reactivex.rxjava3.core.CompletableEmitter;
import io.reactivex.rxjava3.subjects.BehaviorSubject;
import io.reactivex.rxjava3.subjects.PublishSubject;
import io.reactivex.rxjava3.subjects.ReplaySubject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * What the push and pull loops share: the status stream, whether syncing has stopped and why, and
 * the callers waiting for {@code flush()} and {@code pull()}. Thread-safe. Nothing is delivered
 * while its monitor is held: a status change is queued under the monitor and emitted by one thread
 * at a time outside it (RxJava's emitter loop), so a subscriber may call back into Tandem without
 * deadlocking. (Without a result scheduler a subscriber may run on a sync loop's worker: blocking
 * there holds up that loop.)
 *
 * <p>The four subjects are made when first asked for ({@link #status()} and the others), not
 * before: making one loads and verifies RxJava's {@code Observable}, about 150 ms of CPU in a fresh
 * process (sdk-core/SYNC.md, "Start-up in a fresh process"), and an app that never subscribes need
 * not pay it. Until then what they would hold is kept here: the status last handed out, the last
 * {@code updateNeeded} and {@code clientStateNotFound} event (both replay their last); refusals
 * with nobody subscribed are dropped, as a {@code PublishSubject} with no observer drops them.
 */
public final class SyncState {
  private final LocalStore local;
  // Each made on first use, under this monitor; null until then.
  private BehaviorSubject<SyncStatus> status;
  private ReplaySubject<UpdateNeeded> updateNeeded;
  private ReplaySubject<Boolean> clientStateNotFound;
  private PublishSubject<RefusedMutation> refused;

  /** The status last taken off {@link #toEmit}: what a status subject made now starts with. */
  private SyncStatus delivered;

  private UpdateNeeded lastUpdateNeeded;
  private Boolean lastClientStateNotFound;
  private final List<FlushWaiter> flushWaiters = new ArrayList<>();
  private final List<CompletableEmitter> pullWaiters = new ArrayList<>();
  private final ArrayDeque<SyncStatus> toEmit = new ArrayDeque<>();
  private boolean emitting;
  private SyncStatus current;
  private String stoppedBecause;
  private volatile boolean networkAvailable = true;
  private volatile boolean foreground = true;

  private static final class FlushWaiter {
    /** The queue position of the last mutation to wait for (any client of the group). */
    final long target;

    final CompletableEmitter emitter;

    FlushWaiter(long target, CompletableEmitter emitter) {
      this.target = target;
      this.emitter = emitter;
    }
  }

  public SyncState(LocalStore local) {
    this.local = local;
    this.current = SyncStatus.initial(local.pendingCount());
    this.delivered = current;
  }

  /** Changes the status; emits only real changes. */
  public interface Change {
    SyncStatus apply(SyncStatus status);
  }

  public void update(Change change) {
    synchronized (this) {
      SyncStatus next = change.apply(current);
      if (next.equals(current)) return;
      current = next;
      toEmit.add(next);
      if (emitting) return; // The emitting thread delivers it, in order.
      emitting = true;
    }
    while (true) {
      SyncStatus next;
      BehaviorSubject<SyncStatus> subject;
      synchronized (this) {
        next = toEmit.poll();
        if (next == null) {
          emitting = false;
          return;
        }
        delivered = next;
        subject = status;
      }
      if (subject != null) subject.onNext(next);
    }
  }

  /** The status as last changed (possibly not yet delivered). */
  public synchronized SyncStatus current() {
    return current;
  }

  /**
   * The status subject, made on first use: it starts with the status last handed out; changes still
   * queued for delivery follow, in order.
   */
  public synchronized BehaviorSubject<SyncStatus> status() {
    if (status == null) status = BehaviorSubject.createDefault(delivered);
    return status;
  }

  /** Made on first use, holding the last event if there was one. */
  public synchronized ReplaySubject<UpdateNeeded> updateNeeded() {
    if (updateNeeded == null) {
      updateNeeded = ReplaySubject.createWithSize(1);
      if (lastUpdateNeeded != null) updateNeeded.onNext(lastUpdateNeeded); // No observer yet.
    }
    return updateNeeded;
  }

  /** Made on first use, holding the last event if there was one. */
  public synchronized ReplaySubject<Boolean> clientStateNotFound() {
    if (clientStateNotFound == null) {
      clientStateNotFound = ReplaySubject.createWithSize(1);
      if (lastClientStateNotFound != null) clientStateNotFound.onNext(lastClientStateNotFound);
    }
    return clientStateNotFound;
  }

  /** Mutations the server refused, each once, after the pull that reported it committed. */
  public synchronized PublishSubject<RefusedMutation> refusedMutations() {
    if (refused == null) refused = PublishSubject.create();
    return refused;
  }

  /** Delivers refusals (outside every lock, on the pulling thread). */
  public void refused(java.util.List<RefusedMutation> mutations) {
    PublishSubject<RefusedMutation> subject;
    synchronized (this) {
      subject = refused;
    }
    if (subject == null) return; // Nobody has subscribed: a PublishSubject would drop them too.
    for (RefusedMutation mutation : mutations) subject.onNext(mutation);
  }

  /** Records a failed request; {@code offline} also marks the client offline. */
  public void failed(SyncError error) {
    final boolean offline = error.kind() == SyncError.Kind.NETWORK;
    update(s -> (offline ? s.withOnline(false) : s).withLastError(error));
  }

  /** False while the app says there is no network: the loops send nothing. */
  public boolean networkAvailable() {
    return networkAvailable;
  }

  public void setNetworkAvailable(boolean available) {
    networkAvailable = available;
    update(s -> s.withOnline(available));
  }

  /** False while the app is in the background: no interval pulls, no poke stream. */
  public boolean foreground() {
    return foreground;
  }

  /** True if this changed it. */
  public synchronized boolean setForeground(boolean foreground) {
    if (this.foreground == foreground) return false;
    this.foreground = foreground;
    return true;
  }

  public synchronized boolean stopped() {
    return stoppedBecause != null;
  }

  /** Stops syncing for good in this session; fails every waiter. */
  public void stop(String because, ErrorResponse error) {
    List<CompletableEmitter> waiters = new ArrayList<>();
    synchronized (this) {
      if (stoppedBecause != null) return;
      stoppedBecause = because;
      for (FlushWaiter waiter : flushWaiters) waiters.add(waiter.emitter);
      waiters.addAll(pullWaiters);
      flushWaiters.clear();
      pullWaiters.clear();
    }
    final SyncError cause = error == null ? null : errorOf(because, error);
    update(
        s -> {
          SyncStatus stopped = s.withStopped(true).withPushing(false).withPulling(false);
          return cause == null ? stopped : stopped.withLastError(cause);
        });
    if (error != null) {
      UpdateNeeded event = updateNeededBy(error, local.schemaVersion());
      ReplaySubject<UpdateNeeded> subject;
      synchronized (this) {
        lastUpdateNeeded = event;
        subject = updateNeeded;
      }
      if (subject != null) subject.onNext(event);
    }
    for (CompletableEmitter waiter : waiters) waiter.tryOnError(new SyncStoppedException(because));
  }

  /** The update the app needs, by the server's refusal of {@code schemaVersion}. */
  static UpdateNeeded updateNeededBy(ErrorResponse error, String schemaVersion) {
    String type = error.versionType();
    UpdateNeeded.Reason reason;
    if (ErrorResponse.PUSH.equals(type) || ErrorResponse.PULL.equals(type)) {
      reason = UpdateNeeded.Reason.PROTOCOL;
    } else if (ErrorResponse.SCHEMA.equals(type)) {
      reason =
          ErrorResponse.CLIENT_TOO_OLD.equals(error.reason())
              ? UpdateNeeded.Reason.SCHEMA_TOO_OLD
              : UpdateNeeded.Reason.SCHEMA_NOT_SUPPORTED;
    } else {
      reason = UpdateNeeded.Reason.UNKNOWN;
    }
    return new UpdateNeeded(
        type, reason, schemaVersion, error.minSchemaVersion(), error.maxSchemaVersion());
  }

  private static SyncError errorOf(String because, ErrorResponse error) {
    SyncError.Kind kind =
        error.kind() == ErrorResponse.Kind.CLIENT_STATE_NOT_FOUND
            ? SyncError.Kind.CLIENT_STATE_NOT_FOUND
            : SyncError.Kind.VERSION_NOT_SUPPORTED;
    return new SyncError(kind, 200, because, error.toString());
  }

  /**
   * Registers a flush waiting until no mutation at queue position {@code target} or before is
   * pending (confirmed by the server, or handed to the app as refused), whichever client of the
   * group made it.
   */
  public void addFlush(long target, CompletableEmitter emitter) {
    String stopped;
    final FlushWaiter waiter = new FlushWaiter(target, emitter);
    synchronized (this) {
      stopped = stoppedBecause;
      if (stopped == null) flushWaiters.add(waiter);
    }
    if (stopped != null) {
      emitter.tryOnError(new SyncStoppedException(stopped));
      return;
    }
    emitter.setCancellable(() -> removeFlush(waiter));
    pendingFrom(local.oldestPendingSeq());
  }

  private synchronized void removeFlush(FlushWaiter waiter) {
    flushWaiters.remove(waiter);
  }

  public synchronized boolean hasFlushWaiters() {
    return !flushWaiters.isEmpty();
  }

  /**
   * The server forgot the client group and the client went on in a new one: flushes wait for the
   * same mutations (renumbered, at the same queue positions), and the app hears of it.
   */
  public void groupRestarted() {
    ReplaySubject<Boolean> subject;
    synchronized (this) {
      lastClientStateNotFound = Boolean.TRUE;
      subject = clientStateNotFound;
    }
    if (subject != null) subject.onNext(true);
  }

  /** Completes the flushes whose mutations have all left the queue ({@code oldest} pends first). */
  public void pendingFrom(long oldest) {
    List<CompletableEmitter> done = new ArrayList<>();
    synchronized (this) {
      Iterator<FlushWaiter> waiters = flushWaiters.iterator();
      while (waiters.hasNext()) {
        FlushWaiter waiter = waiters.next();
        if (waiter.target < oldest) {
          waiters.remove();
          done.add(waiter.emitter);
        }
      }
    }
    for (CompletableEmitter waiter : done) waiter.onComplete();
  }

  public void addPullWaiter(final CompletableEmitter emitter) {
    String stopped;
    synchronized (this) {
      stopped = stoppedBecause;
      if (stopped == null) pullWaiters.add(emitter);
    }
    if (stopped != null) {
      emitter.tryOnError(new SyncStoppedException(stopped));
      return;
    }
    emitter.setCancellable(() -> removePullWaiter(emitter));
  }

  private synchronized void removePullWaiter(CompletableEmitter emitter) {
    pullWaiters.remove(emitter);
  }

  /** True while a {@code pull()} or {@code flush()} caller waits for a pull. */
  public synchronized boolean someoneWaits() {
    return !pullWaiters.isEmpty() || !flushWaiters.isEmpty();
  }

  /** Completes everyone waiting for a pull. */
  public void pulled() {
    List<CompletableEmitter> done;
    synchronized (this) {
      done = new ArrayList<>(pullWaiters);
      pullWaiters.clear();
    }
    for (CompletableEmitter waiter : done) waiter.onComplete();
  }
}
