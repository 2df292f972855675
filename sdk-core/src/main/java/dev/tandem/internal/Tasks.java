package dev.tandem.internal;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/** Work done once by whichever thread gets there first (start-up work shared between threads). */
public final class Tasks {
  private Tasks() {}

  /**
   * Runs {@code task} on this thread unless another thread runs or ran it, and returns its result.
   * Waits through interrupts (the work must not be left half-seen), then sets the interrupt again;
   * the task's own failure is rethrown as it was (a checked one wrapped).
   */
  public static <T> T runOrAwait(FutureTask<T> task) {
    task.run(); // Returns at once if another thread runs or ran it.
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return task.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException) throw (RuntimeException) cause;
          if (cause instanceof Error) throw (Error) cause;
          throw new IllegalStateException(cause);
        }
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }
}
