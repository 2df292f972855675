package dev.tandem.internal.rebase;

import dev.tandem.protocol.PatchOperation;
import dev.tandem.protocol.PullResult;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a large pull response on a second thread while the caller's thread applies it: parsing a
 * million patch operations and writing them to SQLite are each about half of a first pull, and they
 * overlap. Operations reach the handler in order, in batches through a short bounded queue, so
 * memory stays flat however large the response is. An error on either side stops both, and {@link
 * #read} returns only after the parsing thread has let go of the body.
 */
final class PatchPipeline {
  private static final int BATCH = 512;
  private static final int QUEUED_BATCHES = 4;

  private PatchPipeline() {}

  /**
   * Like {@link PullResult#readBody}, with the reading on another thread. The handler runs on the
   * calling thread.
   */
  static PullResult read(okio.BufferedSource body, PullResult.PatchHandler handler)
      throws IOException {
    Parser parser = new Parser(body);
    Thread thread = new Thread(parser, "tandem-pull-parser");
    thread.setDaemon(true);
    thread.start();
    try {
      while (true) {
        Object item = parser.queue.take();
        if (item instanceof Done) return ((Done) item).result;
        if (item instanceof Failed) throw rethrow(((Failed) item).failure);
        @SuppressWarnings("unchecked")
        List<PatchOperation> batch = (List<PatchOperation>) item;
        for (PatchOperation op : batch) handler.handle(op);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while applying a pull response");
    } finally {
      parser.cancelled = true;
      parser.queue.clear(); // Unblocks a parser waiting to hand over a batch.
      thread.interrupt();
      joinUninterruptibly(thread);
    }
  }

  private static IOException rethrow(Throwable failure) {
    if (failure instanceof IOException) return (IOException) failure;
    if (failure instanceof RuntimeException) throw (RuntimeException) failure;
    if (failure instanceof Error) throw (Error) failure;
    return new IOException(failure);
  }

  private static void joinUninterruptibly(Thread thread) {
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }

  private static final class Done {
    final PullResult result;

    Done(PullResult result) {
      this.result = result;
    }
  }

  private static final class Failed {
    final Throwable failure;

    Failed(Throwable failure) {
      this.failure = failure;
    }
  }

  /** Thrown inside the parser when the applying side has stopped listening. */
  private static final class Cancelled extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this; // Control flow, not an error: no stack trace to fill.
    }
  }

  private static final class Parser implements Runnable {
    final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUED_BATCHES);
    volatile boolean cancelled;
    private final okio.BufferedSource body;
    private List<PatchOperation> batch = new ArrayList<>(BATCH);

    Parser(okio.BufferedSource body) {
      this.body = body;
    }

    @Override
    public void run() {
      try {
        PullResult result =
            PullResult.readBody(
                body,
                op -> {
                  batch.add(op);
                  if (batch.size() == BATCH) {
                    hand(batch);
                    batch = new ArrayList<>(BATCH);
                  }
                });
        if (!batch.isEmpty()) hand(batch);
        hand(new Done(result));
      } catch (Cancelled e) {
        // The applying side stopped; it no longer reads the queue.
      } catch (Throwable t) {
        try {
          hand(new Failed(t));
        } catch (Cancelled e) {
          // Nobody to tell.
        }
      }
    }

    private void hand(Object item) {
      try {
        while (!queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
          if (cancelled) throw new Cancelled();
        }
      } catch (InterruptedException e) {
        throw new Cancelled();
      }
      if (cancelled) throw new Cancelled();
    }
  }
}
