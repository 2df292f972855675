package dev.tandem.benchmarks;

import dev.tandem.ScanOptions;
import dev.tandem.Tandem;
import io.reactivex.rxjava3.disposables.Disposable;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Where the reactive loop's time goes, in one process: the loop of {@link
 * QueryBenchmarks#reactiveLoop} (100 prefix-scan watches of 20 rows, a write changing 5 lists, on
 * the instance's own query threads) timed at each stage, beside its floor: the same commit on an
 * instance with no watches, then the 5 prefix scans as raw JDBC on one connection of the same file,
 * inline. Blocks of 100 alternate between the two sides. Then the same write 2 ms apart,
 * alternating between the two instances: with commits that sparse the query threads park, and
 * {@code mutate} with watches pays for waking one (beside the same commit with no watches).
 */
final class ReactiveProbe {
  private ReactiveProbe() {}

  private static Tandem.Builder client(Path file) {
    return Tandem.builder()
        .databaseFile(file.toFile())
        .mutator(
            "touch",
            Integer.class,
            (tx, n) -> {
              for (int list = 0; list < 5; list++) tx.put("list/" + list + "/0", n);
            })
        .mutator(
            "fill",
            Integer.class,
            (tx, n) -> {
              for (int list = 0; list < 100; list++) {
                for (int item = 0; item < 20; item++) tx.put("list/" + list + "/" + item, item);
              }
            });
  }

  static void run(Path work) throws Exception {
    int blocks = 20;
    int perBlock = 100;
    int warmup = 300;
    int n = blocks * perBlock;
    long[] mutateNanos = new long[n]; // commit + invalidation, until mutate returns
    long[] firstNanos = new long[n]; // until the first of the 5 emitted
    long[] allNanos = new long[n]; // until all 5 emitted
    long[] bareCommit = new long[n]; // the same commit, no watches
    long[] floorNanos = new long[n]; // the same commit + 5 raw JDBC scans, inline
    long[] scanNanos = new long[n]; // the 5 raw scans alone
    int sparse = 1000;
    long[] sparseMutate = new long[sparse / 2]; // 2 ms apart: mutate returns, 100 watches
    long[] sparseBare = new long[sparse / 2]; // 2 ms apart: the same commit, no watches
    try (Tandem tandem = client(work.resolve("probe.db")).build();
        Tandem bare = client(work.resolve("probe-floor.db")).build()) {
      tandem.mutate("fill", 0);
      bare.mutate("fill", 0);
      AtomicReference<CountDownLatch> latch = new AtomicReference<>(new CountDownLatch(0));
      AtomicLong firstAt = new AtomicLong();
      CountDownLatch first = new CountDownLatch(100);
      List<Disposable> subscriptions = new ArrayList<>();
      for (int list = 0; list < 100; list++) {
        String prefix = "list/" + list + "/";
        subscriptions.add(
            tandem
                .watch(tx -> tx.scan(ScanOptions.prefix(prefix)))
                .subscribe(
                    rows -> {
                      first.countDown();
                      firstAt.compareAndSet(0, System.nanoTime());
                      latch.get().countDown();
                    }));
      }
      first.await();
      try (Connection jdbc =
          DriverManager.getConnection("jdbc:sqlite:" + work.resolve("probe-floor.db"))) {
        PreparedStatement scan =
            jdbc.prepareStatement(
                "SELECT key, value FROM tandem_kv WHERE key >= ? AND key < ? ORDER BY key LIMIT ?");
        for (int i = -warmup; i < n; i++) {
          boolean live = ((i + warmup) / perBlock) % 2 == 0;
          int at = Math.max(0, i);
          for (int side = 0; side < 2; side++) {
            if ((side == 0) == live) {
              CountDownLatch done = new CountDownLatch(5);
              latch.set(done);
              firstAt.set(0);
              long start = System.nanoTime();
              tandem.mutate("touch", i + warmup + 1);
              long returned = System.nanoTime();
              done.await();
              long end = System.nanoTime();
              if (i >= 0) {
                mutateNanos[at] = returned - start;
                firstNanos[at] = firstAt.get() - start;
                allNanos[at] = end - start;
              }
            } else {
              long start = System.nanoTime();
              bare.mutate("touch", i + warmup + 1);
              long committed = System.nanoTime();
              jdbc.setAutoCommit(false);
              int rows = 0;
              for (int list = 0; list < 5; list++) {
                scan.setString(1, "list/" + list + "/");
                scan.setString(2, "list/" + list + "0");
                scan.setInt(3, -1);
                try (ResultSet rs = scan.executeQuery()) {
                  while (rs.next()) {
                    ClientBenchmarks.text(rs, 1);
                    ClientBenchmarks.text(rs, 2);
                    rows++;
                  }
                }
              }
              jdbc.commit();
              jdbc.setAutoCommit(true);
              long end = System.nanoTime();
              if (rows != 100) throw new AssertionError(rows);
              if (i >= 0) {
                bareCommit[at] = committed - start;
                scanNanos[at] = end - committed;
                floorNanos[at] = end - start;
              }
            }
          }
        }
      }
      // Sparse commits: 2 ms apart, so the query threads have parked and a commit that touches
      // watches wakes one. Each write alternates between the two instances.
      for (int i = -100; i < sparse; i++) {
        LockSupport.parkNanos(2_000_000);
        boolean live = ((i + 100) & 1) == 0;
        long start = System.nanoTime();
        if (live) {
          CountDownLatch done = new CountDownLatch(5);
          latch.set(done);
          tandem.mutate("touch", n + warmup + 200 + i);
          long returned = System.nanoTime();
          done.await();
          if (i >= 0) sparseMutate[i / 2] = returned - start;
        } else {
          bare.mutate("touch", n + warmup + 200 + i);
          if (i >= 0) sparseBare[i / 2] = System.nanoTime() - start;
        }
      }
      for (Disposable subscription : subscriptions) subscription.dispose();
    }
    System.out.printf(
        "sparse commits (2 ms apart, p50 / p95 µs): mutate returns with 100 watches %s, the same"
            + " commit with no watches %s; ratio p50 %.2f%n",
        p(sparseMutate),
        p(sparseBare),
        (double) ClientBenchmarks.percentile(sparseMutate, 50)
            / ClientBenchmarks.percentile(sparseBare, 50));
    System.out.printf(
        "reactive probe (p50 / p95 µs): mutate returns %s, first emission %s, all 5 emitted %s;"
            + " floor: bare commit %s, 5 raw scans %s, commit + scans %s; loop ÷ floor p50 %.2f%n",
        p(mutateNanos),
        p(firstNanos),
        p(allNanos),
        p(bareCommit),
        p(scanNanos),
        p(floorNanos),
        (double) ClientBenchmarks.percentile(allNanos, 50)
            / ClientBenchmarks.percentile(floorNanos, 50));
  }

  private static String p(long[] nanos) {
    long[] copy = Arrays.copyOf(nanos, nanos.length);
    return Math.round(ClientBenchmarks.percentile(copy, 50) / 1e3)
        + " / "
        + Math.round(ClientBenchmarks.percentile(copy, 95) / 1e3);
  }
}
