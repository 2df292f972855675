package dev.tandem.android.internal;

import android.os.Handler;
import android.os.Looper;
import android.os.SystemClock;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.disposables.Disposable;
import java.util.concurrent.TimeUnit;

/**
 * An RxJava {@link Scheduler} that runs work on a {@link Looper}'s thread, the main thread for
 * delivering results to the UI. A worker's tasks run in order; disposing a worker removes the tasks
 * it has not run yet.
 */
public final class HandlerScheduler extends Scheduler {
  private static final HandlerScheduler MAIN = new HandlerScheduler(Looper.getMainLooper());

  private final Handler handler;

  public HandlerScheduler(Looper looper) {
    this.handler = new Handler(looper);
  }

  public static HandlerScheduler mainThread() {
    return MAIN;
  }

  @Override
  public Worker createWorker() {
    return new HandlerWorker(handler);
  }

  private static final class HandlerWorker extends Worker {
    private final Handler handler;
    private volatile boolean disposed;

    HandlerWorker(Handler handler) {
      this.handler = handler;
    }

    @Override
    public Disposable schedule(Runnable run, long delay, TimeUnit unit) {
      if (run == null || unit == null) throw new NullPointerException();
      if (disposed) return Disposable.disposed();
      Task task = new Task(handler, run);
      // The worker is the token, so dispose() can remove every task it still has queued.
      handler.postAtTime(
          task, this, SystemClock.uptimeMillis() + Math.max(0, unit.toMillis(delay)));
      if (disposed) {
        handler.removeCallbacks(task);
        return Disposable.disposed();
      }
      return task;
    }

    @Override
    public void dispose() {
      disposed = true;
      handler.removeCallbacksAndMessages(this);
    }

    @Override
    public boolean isDisposed() {
      return disposed;
    }
  }

  private static final class Task implements Runnable, Disposable {
    private final Handler handler;
    private final Runnable run;
    private volatile boolean disposed;

    Task(Handler handler, Runnable run) {
      this.handler = handler;
      this.run = run;
    }

    @Override
    public void run() {
      if (disposed) return;
      run.run(); // An exception here crashes the app, as on any main-thread task.
    }

    @Override
    public void dispose() {
      disposed = true;
      handler.removeCallbacks(this);
    }

    @Override
    public boolean isDisposed() {
      return disposed;
    }
  }
}
