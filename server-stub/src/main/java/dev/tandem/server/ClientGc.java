package dev.tandem.server;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When client groups were last active, and forgetting those inactive for longer than an age
 * (Replicache's issue #1033: the client tables otherwise grow forever). A group's {@code
 * last_active} is written only when it is older than {@link #touchEveryMillis} (a tenth of the age,
 * at most an hour), so most pulls write nothing. Forgetting runs every {@link #touchEveryMillis}
 * when an age is set: the groups inactive since before {@code now - age}, their clients and their
 * refusals, in batches, each a transaction holding the push lock. Thread-safe.
 */
final class ClientGc implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("dev.tandem.server.gc");
  private static final long MAX_TOUCH_MILLIS = TimeUnit.HOURS.toMillis(1);
  static final int BATCH = 500;

  private final Clock clock;
  private final Duration forgetAfter; // null: never forget
  private final long touchEveryMillis;
  private final AtomicLong forgotten = new AtomicLong();
  private ScheduledExecutorService sweeper;

  ClientGc(Clock clock, Duration forgetAfter) {
    this.clock = clock;
    this.forgetAfter = forgetAfter;
    this.touchEveryMillis =
        forgetAfter == null
            ? MAX_TOUCH_MILLIS
            : Math.max(1, Math.min(MAX_TOUCH_MILLIS, forgetAfter.toMillis() / 10));
  }

  long now() {
    return clock.millis();
  }

  /** True if a group last active at {@code lastActive} should record that it is active now. */
  boolean stale(long lastActive, long now) {
    return now - lastActive >= touchEveryMillis;
  }

  /** Groups forgotten since the start. */
  long forgotten() {
    return forgotten.get();
  }

  /** Forgets the groups inactive for longer than the age; returns how many. 0 without an age. */
  int forgetInactive(Transactor transactor) throws Exception {
    if (forgetAfter == null) return 0;
    long cutoff = now() - forgetAfter.toMillis();
    int total = 0;
    while (true) {
      int batch =
          transactor.write(connection -> ClientGroups.forgetGroups(connection, cutoff, BATCH));
      total += batch;
      forgotten.addAndGet(batch);
      if (batch < BATCH) break;
    }
    if (total > 0) log.info("gc forgotten_groups={} inactive_since_ms={}", total, cutoff);
    return total;
  }

  /** Runs {@link #forgetInactive} every {@link #touchEveryMillis} (at least every second). */
  synchronized void start(Transactor transactor) {
    if (forgetAfter == null || sweeper != null) return;
    sweeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "tandem-client-gc");
              thread.setDaemon(true);
              return thread;
            });
    long period = Math.max(1000, touchEveryMillis);
    sweeper.scheduleWithFixedDelay(
        () -> {
          try {
            forgetInactive(transactor);
          } catch (Exception e) {
            log.warn("gc failed, trying again in {} ms: {}", period, e.toString());
          }
        },
        period,
        period,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void close() {
    if (sweeper != null) sweeper.shutdownNow();
  }
}
