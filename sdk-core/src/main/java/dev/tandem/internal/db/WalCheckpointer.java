package dev.tandem.internal.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Copies the writer's committed WAL frames into the database file on a connection and thread of its
 * own, so that a commit (a {@code mutate}) seldom runs SQLite's checkpoint itself: that copy ends
 * with two {@code fsync}s, 2.5–8 ms on the machine the benchmarks run on, in the commit that
 * crosses the WAL's size limit (by default every 1 000 pages, about every 150 mutations).
 *
 * <p>Every {@link #PASS_EVERY_COMMITS} commits of the writer it runs one {@code PASSIVE} checkpoint
 * (it never waits for, nor blocks, the writer or readers). The writer keeps SQLite's own automatic
 * checkpoint as the backstop, at {@link #BACKSTOP_PAGES} pages instead of 1 000: a WAL that these
 * passes backfilled completely is restarted by the next write transaction (from its beginning, the
 * file reused); under back-to-back commits they seldom catch the last frame, and the backstop then
 * copies only what the last pass left and restarts the WAL, every 4 000 pages instead of every 1
 * 000. The WAL file stays within about 16 MiB instead of 4 MiB.
 *
 * <p>Only the writer's {@link #committed} runs on the commit's thread: a counter, and every {@link
 * #PASS_EVERY_COMMITS} commits a hand-off to the executor.
 */
final class WalCheckpointer {
  /** Commits between two passes: about 200 WAL pages of mutations. */
  static final int PASS_EVERY_COMMITS = 32;

  /** The writer's {@code wal_autocheckpoint}: pages after which a commit checkpoints itself. */
  static final int BACKSTOP_PAGES = 4000;

  /** Opens the checkpointer's own connection. */
  interface Opener {
    Connection open() throws SQLException;
  }

  private final Opener opener;
  private final Executor executor;
  private int commits;
  private boolean queued;
  private boolean closed;
  private boolean running;
  private Connection connection;

  /**
   * @param executor runs the passes; null for a thread of its own, started at the first pass and
   *     ended when idle.
   */
  WalCheckpointer(Opener opener, Executor executor) {
    this.opener = opener;
    this.executor = executor != null ? executor : ownThread();
  }

  private static Executor ownThread() {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            0,
            1,
            5,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<Runnable>(),
            task -> {
              Thread thread = new Thread(task, "tandem-checkpoint");
              thread.setDaemon(true);
              return thread;
            });
    return pool;
  }

  /** The writer committed. Cheap: runs inside every {@code mutate}. */
  void committed() {
    synchronized (this) {
      if (closed || queued || ++commits < PASS_EVERY_COMMITS) return;
      commits = 0;
      queued = true;
    }
    executor.execute(this::pass);
  }

  /** One {@code PASSIVE} checkpoint on the checkpointer's connection. */
  void pass() {
    synchronized (this) {
      queued = false;
      if (closed) return;
      running = true;
    }
    try {
      if (connection == null) connection = opener.open();
      try (Statement statement = connection.createStatement();
          ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
        result.next(); // busy, WAL frames, frames backfilled: nothing to act on.
      }
    } catch (SQLException e) {
      // A pass that fails (a busy database, a full disk) leaves the frames to the next pass and to
      // the writer's own automatic checkpoint; the commits it follows are already durable.
    } finally {
      synchronized (this) {
        running = false;
        if (closed) closeConnection();
        notifyAll();
      }
    }
  }

  /** Stops further passes, waits for one under way, and closes the connection. */
  void close() {
    synchronized (this) {
      closed = true;
      boolean interrupted = false;
      while (running) {
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      closeConnection();
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  private void closeConnection() {
    if (connection == null) return;
    try {
      connection.close();
    } catch (SQLException ignored) {
      // Closing: nothing left to do with it.
    }
    connection = null;
  }
}
