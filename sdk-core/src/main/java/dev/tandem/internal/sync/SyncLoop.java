package dev.tandem.internal.sync;

import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.exceptions.Exceptions;
import java.util.concurrent.TimeUnit;

/**
 * One request loop (push or pull): at most one attempt in flight, runs scheduled on a worker of the
 * injected scheduler, an earlier request for a run wins over a later one, a request during a run
 * runs again right after it, and failures retry with exponential backoff.
 */
abstract class SyncLoop {
  /** Returned by {@link #attempt()} when there is nothing to retry. */
  static final long DONE = -1;

  final Scheduler scheduler;
  final Scheduler.Worker worker;
  final Backoff backoff;
  final SyncState state;
  private Disposable scheduled;
  private long scheduledAt;
  private long lastRunAt = Long.MIN_VALUE / 2;
  private boolean running;
  private boolean again;

  /**
   * With {@link #again}: the least time from the start of the run in progress to the next; 0 unless
   * every request during the run came through {@link #scheduleBehindRun}.
   */
  private long againSpacing;

  private boolean closed;

  SyncLoop(Scheduler scheduler, Backoff backoff, SyncState state) {
    this.scheduler = scheduler;
    this.worker = scheduler.createWorker();
    this.backoff = backoff;
    this.state = state;
  }

  /** One attempt: {@link #DONE}, or the delay in ms before trying again. Runs on the worker. */
  abstract long attempt();

  /** Called after an attempt that needs no retry. */
  void afterSuccess() {}

  /**
   * Asks for a run no sooner than {@code spacingMillis} after the last run started: at once after a
   * quiet spell, and at most one run per spacing while requests keep coming.
   */
  final void scheduleSpaced(long spacingMillis) {
    synchronized (this) {
      long now = scheduler.now(TimeUnit.MILLISECONDS);
      schedule(Math.max(0, lastRunAt + spacingMillis - now));
    }
  }

  /**
   * Asks for a run at once when none is in progress or due; during a run, for the next no sooner
   * than {@code spacingMillis} after that run started, so requests that keep coming while runs are
   * out are answered by one run per spacing. A run already due within the spacing stands.
   */
  final void scheduleBehindRun(long spacingMillis) {
    synchronized (this) {
      if (closed || state.stopped()) return;
      if (running) {
        againSpacing = again ? Math.min(againSpacing, spacingMillis) : spacingMillis;
        again = true;
        return;
      }
      boolean due = scheduled != null && !scheduled.isDisposed();
      if (due && scheduledAt <= lastRunAt + spacingMillis) return;
      schedule(0);
    }
  }

  /** Asks for a run after {@code delayMillis}; an earlier pending run stands. */
  final void schedule(long delayMillis) {
    synchronized (this) {
      if (closed || state.stopped()) return;
      if (running) {
        again = true;
        againSpacing = 0;
        return;
      }
      long at = scheduler.now(TimeUnit.MILLISECONDS) + delayMillis;
      if (scheduled != null && !scheduled.isDisposed() && scheduledAt <= at) return;
      if (scheduled != null) scheduled.dispose();
      scheduledAt = at;
      scheduled = worker.schedule(this::run, delayMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void run() {
    synchronized (this) {
      if (closed) return;
      scheduled = null;
      running = true;
      again = false;
      lastRunAt = scheduler.now(TimeUnit.MILLISECONDS);
    }
    long retry;
    try {
      retry = attempt();
    } catch (Throwable e) {
      Exceptions.throwIfFatal(e);
      retry = backoff.failure();
      if (!isClosed()) state.failed(Failures.local(e));
    }
    boolean runAgain;
    long spacing;
    synchronized (this) {
      running = false;
      runAgain = again;
      spacing = againSpacing;
      again = false;
      if (closed) {
        worker.dispose(); // Deferred by close(), which came while this run was in progress.
        return;
      }
    }
    if (retry != DONE) {
      if (retryWanted()) schedule(retry);
    } else if (runAgain) {
      scheduleSpaced(spacing); // A request that came during the run keeps its spacing.
    } else {
      afterSuccess();
    }
  }

  /** Forgets past failures and runs now: the network is back. */
  void retryNow() {
    backoff.success();
    synchronized (this) {
      if (scheduled != null) scheduled.dispose();
      scheduled = null;
    }
    schedule(0);
  }

  /** Whether a failed attempt should be retried after its backoff. */
  boolean retryWanted() {
    return true;
  }

  /**
   * Drops a scheduled run (a run in progress finishes) unless {@link #retryWanted} says it is still
   * wanted; decided under the loop's lock, so a run asked for meanwhile is never lost: its caller
   * registers first, then schedules.
   */
  final void pauseIfUnwanted() {
    synchronized (this) {
      if (retryWanted()) return;
      if (scheduled != null) scheduled.dispose();
      scheduled = null;
    }
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  /**
   * Stops the loop. A run in progress is not interrupted (its request is cancelled by the
   * transport): it ends by itself, then releases the worker.
   */
  void close() {
    synchronized (this) {
      closed = true;
      if (scheduled != null) scheduled.dispose();
      if (running) return;
    }
    worker.dispose();
  }
}
