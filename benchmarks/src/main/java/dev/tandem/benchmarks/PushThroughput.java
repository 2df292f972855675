package dev.tandem.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.server.Database;
import dev.tandem.server.Dialect;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/**
 * Push throughput of the server stub's {@code Backend} beside a same-run baseline, on SQLite and on
 * an embedded PostgreSQL, with 1, 8 and 32 concurrent clients. See BENCHMARKS.md.
 *
 * <p>For each dialect, client count and workload ({@code push}: 1 mutation per push, reported as
 * pushes/s; {@code batch}: {@code -batch} mutations per push, reported as mutations/s) it opens a
 * fresh database, warms both sides up, then runs {@code -pairs} pairs of fixed-duration rounds,
 * alternating which side goes first, and prints backend and baseline throughput and their ratio.
 *
 * <p>Options: {@code -dialects sqlite,postgres -clients 1,8,32 -batch 20 -warmup 1 -seconds 1.2
 * -pairs 5 -jitwarmup 4 -census true -shared true -pullrows 100000}. With {@code -shared}, each row
 * is measured again with the chat as a shared app on the schema-driven server; {@code -pullrows}
 * rows are then served in a first pull by both ({@link ServerFirstPull}).
 */
public final class PushThroughput {
  private PushThroughput() {}

  /** Command-line options. */
  static final class Options {
    List<Dialect> dialects = List.of(Dialect.SQLITE, Dialect.POSTGRES);
    int[] clients = {1, 8, 32};
    int batch = 20;
    double warmupSeconds = 1;
    double roundSeconds = 1.2;
    int pairs = 5;
    double jitWarmupSeconds = 4;
    boolean census = true;
    boolean shared = true;
    int pullRows = 100_000;

    static Options parse(String[] args) {
      Options options = new Options();
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (flag.isBlank()) continue;
        if (i + 1 >= args.length) throw new IllegalArgumentException("no value for " + flag);
        String value = args[++i];
        switch (flag) {
          case "-dialects":
            List<Dialect> dialects = new ArrayList<>();
            for (String d : value.split(","))
              dialects.add(Dialect.valueOf(d.toUpperCase(Locale.ROOT)));
            options.dialects = dialects;
            break;
          case "-clients":
            String[] parts = value.split(",");
            options.clients = new int[parts.length];
            for (int k = 0; k < parts.length; k++) options.clients[k] = Integer.parseInt(parts[k]);
            break;
          case "-batch":
            options.batch = Integer.parseInt(value);
            break;
          case "-warmup":
            options.warmupSeconds = Double.parseDouble(value);
            break;
          case "-seconds":
            options.roundSeconds = Double.parseDouble(value);
            break;
          case "-pairs":
            options.pairs = Integer.parseInt(value);
            break;
          case "-jitwarmup":
            options.jitWarmupSeconds = Double.parseDouble(value);
            break;
          case "-census":
            options.census = Boolean.parseBoolean(value);
            break;
          case "-shared":
            options.shared = Boolean.parseBoolean(value);
            break;
          case "-pullrows":
            options.pullRows = Integer.parseInt(value);
            break;
          default:
            throw new IllegalArgumentException(
                "unknown option "
                    + flag
                    + "; options: -dialects sqlite,postgres -clients 1,8,32 -batch 20 -warmup 1"
                    + " -seconds 1.2 -pairs 5 -jitwarmup 4 -census true -shared true"
                    + " -pullrows 100000");
        }
      }
      return options;
    }
  }

  /** What one operation does to one client. */
  @FunctionalInterface
  interface Op {
    void run(Scenario.Client client) throws Exception;
  }

  /** Operations completed in a round and how long the round took. */
  static final class Round {
    final long ops;
    final long nanos;
    final long cpuNanos;

    Round(long ops, long nanos, long cpuNanos) {
      this.ops = ops;
      this.nanos = nanos;
      this.cpuNanos = cpuNanos;
    }

    double perSecond() {
      return ops * 1e9 / nanos;
    }
  }

  /** One row of the table. */
  static final class Row {
    final String dialect;
    final int clients;
    final String workload;
    final double backend;
    final double baseline;
    final double minRatio;
    final double maxRatio;
    final double backendCpuMicros; // CPU µs per op (JVM + database server)
    final double baselineCpuMicros;

    Row(
        String dialect,
        int clients,
        String workload,
        double backend,
        double baseline,
        double minRatio,
        double maxRatio,
        double backendCpuMicros,
        double baselineCpuMicros) {
      this.dialect = dialect;
      this.clients = clients;
      this.workload = workload;
      this.backend = backend;
      this.baseline = baseline;
      this.minRatio = minRatio;
      this.maxRatio = maxRatio;
      this.backendCpuMicros = backendCpuMicros;
      this.baselineCpuMicros = baselineCpuMicros;
    }

    double ratio() {
      return backend / baseline;
    }
  }

  public static void main(String[] args) throws Exception {
    // Before the first logger exists: keep warnings and errors, drop the per-push INFO lines
    // (unless the level is set on the command line, to measure logging's cost).
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    Options options = Options.parse(args);
    long started = System.nanoTime();

    System.out.printf(
        "Tandem push throughput: %d cores, Java %s (%s), max heap %d MiB%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        Runtime.getRuntime().maxMemory() >> 20);
    System.out.printf(
        "per dialect: JIT warm-up %.1f s per operation; per row: a fresh database, warm-up %.1f s"
            + " per side, then %d pairs of %.1f s rounds (backend, baseline; order alternating);"
            + " batch = %d mutations per push%n",
        options.jitWarmupSeconds,
        options.warmupSeconds,
        options.pairs,
        options.roundSeconds,
        options.batch);

    List<Row> rows = new ArrayList<>();
    List<String> pulls = new ArrayList<>();
    for (Dialect dialect : options.dialects) {
      try (Target target = Target.start(dialect)) {
        System.out.println();
        System.out.println(target.describe());
        if (options.census) census(target, options.batch);
        CpuClock cpu = target.cpuClock();
        jitWarmup(cpu, target, options);
        for (int clients : options.clients) {
          rows.add(measure(cpu, target, clients, 1, "push (1 mutation)", false, options));
          rows.add(
              measure(
                  cpu,
                  target,
                  clients,
                  options.batch,
                  "batch of " + options.batch,
                  false,
                  options));
          if (!options.shared) continue;
          rows.add(measure(cpu, target, clients, 1, "shared push (1 mutation)", true, options));
          rows.add(
              measure(
                  cpu,
                  target,
                  clients,
                  options.batch,
                  "shared batch of " + options.batch,
                  true,
                  options));
        }
        if (options.pullRows > 0) pulls.addAll(ServerFirstPull.measure(target, options.pullRows));
      }
    }

    System.out.println();
    System.out.println(
        "push: ops = pushes/s (baseline: transactions/s); batch: ops = mutations/s (baseline:"
            + " inserted rows/s). ratio = backend / baseline over all pairs; ratio range = lowest"
            + " and highest pair. CPU µs/op = CPU time of this JVM (and, on Postgres, of the"
            + " server's processes) per op.");
    System.out.println();
    System.out.println(
        "| dialect | clients | workload | backend ops/s | baseline ops/s | ratio | ratio range |"
            + " ≥ 70 % | CPU µs/op backend | CPU µs/op baseline |");
    System.out.println("|---|---:|---|---:|---:|---:|---:|:---:|---:|---:|");
    for (Row row : rows) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %d | %s | %,.0f | %,.0f | %.0f %% | %.0f–%.0f %% | %s | %.0f | %.0f |%n",
          row.dialect,
          row.clients,
          row.workload,
          row.backend,
          row.baseline,
          100 * row.ratio(),
          100 * row.minRatio,
          100 * row.maxRatio,
          row.ratio() >= 0.70 ? "yes" : "no",
          row.backendCpuMicros,
          row.baselineCpuMicros);
    }
    if (!pulls.isEmpty()) {
      System.out.println();
      System.out.println(ServerFirstPull.HEADER);
      System.out.println("|---|---|---:|---:|---:|---:|");
      for (String line : pulls) System.out.println(line);
    }
    System.out.printf("%ntotal run time %.0f s%n", (System.nanoTime() - started) / 1e9);
  }

  /**
   * Before the first measured configuration of a dialect: runs every operation on a throwaway
   * database with two clients, so that the first row does not pay for JIT compilation.
   */
  private static void jitWarmup(CpuClock cpu, Target target, Options options) throws Exception {
    if (options.jitWarmupSeconds <= 0) return;
    for (int batch : new int[] {1, options.batch}) {
      for (boolean shared : options.shared ? new boolean[] {false, true} : new boolean[] {false}) {
        try (Scenario scenario = new Scenario(target.fresh(2), 2, batch, "jit-" + batch, shared)) {
          run(cpu, scenario.clients, scenario::push, options.jitWarmupSeconds);
          run(cpu, scenario.clients, scenario::baseline, options.jitWarmupSeconds);
        }
      }
    }
  }

  private static Row measure(
      CpuClock cpu,
      Target target,
      int clients,
      int batch,
      String workload,
      boolean shared,
      Options options)
      throws Exception {
    String prefix = target.name().toLowerCase(Locale.ROOT) + "-" + clients + "-" + batch;
    try (Scenario scenario = new Scenario(target.fresh(clients), clients, batch, prefix, shared)) {
      Op backend =
          client -> {
            scenario.push(client);
            synchronized (scenario) {
              scenario.backendPushes++;
            }
          };
      Op baseline =
          client -> {
            scenario.baseline(client);
            synchronized (scenario) {
              scenario.baselineTransactions++;
            }
          };
      run(cpu, scenario.clients, backend, options.warmupSeconds);
      run(cpu, scenario.clients, baseline, options.warmupSeconds);
      long backendOps = 0;
      long backendNanos = 0;
      long baselineOps = 0;
      long baselineNanos = 0;
      long backendCpu = 0;
      long baselineCpu = 0;
      double minRatio = Double.MAX_VALUE;
      double maxRatio = 0;
      for (int pair = 0; pair < options.pairs; pair++) {
        Round a;
        Round b;
        if (pair % 2 == 0) {
          a = run(cpu, scenario.clients, backend, options.roundSeconds);
          b = run(cpu, scenario.clients, baseline, options.roundSeconds);
        } else {
          b = run(cpu, scenario.clients, baseline, options.roundSeconds);
          a = run(cpu, scenario.clients, backend, options.roundSeconds);
        }
        backendOps += a.ops;
        backendNanos += a.nanos;
        baselineOps += b.ops;
        baselineNanos += b.nanos;
        backendCpu += a.cpuNanos;
        baselineCpu += b.cpuNanos;
        double ratio = a.perSecond() / b.perSecond();
        minRatio = Math.min(minRatio, ratio);
        maxRatio = Math.max(maxRatio, ratio);
      }
      scenario.verify();
      Row row =
          new Row(
              target.name(),
              clients,
              workload,
              backendOps * 1e9 / backendNanos * batch,
              baselineOps * 1e9 / baselineNanos * batch,
              minRatio,
              maxRatio,
              backendCpu / 1e3 / (backendOps * batch),
              baselineCpu / 1e3 / (baselineOps * batch));
      System.out.printf(
          Locale.ROOT,
          "  %-8s %2d clients  %-17s backend %,9.0f/s  baseline %,9.0f/s  ratio %3.0f %%"
              + " (pairs %.0f–%.0f %%)  CPU µs/op %.0f / %.0f%n",
          row.dialect,
          clients,
          workload,
          row.backend,
          row.baseline,
          100 * row.ratio(),
          100 * minRatio,
          100 * maxRatio,
          row.backendCpuMicros,
          row.baselineCpuMicros);
      return row;
    }
  }

  /**
   * Runs {@code op} on every client, one thread per client, for {@code seconds}: each thread starts
   * operations until the deadline and finishes the one under way. The round lasts until the last
   * thread is done.
   */
  static Round run(CpuClock cpu, Scenario.Client[] clients, Op op, double seconds)
      throws Exception {
    int n = clients.length;
    long[] counts = new long[n];
    long[] ends = new long[n];
    CountDownLatch go = new CountDownLatch(1);
    long[] window = new long[2]; // start, deadline: written before go opens
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread[] threads = new Thread[n];
    for (int i = 0; i < n; i++) {
      int index = i;
      threads[i] =
          new Thread(
              () -> {
                try {
                  go.await();
                  long deadline = window[1];
                  long count = 0;
                  while (System.nanoTime() < deadline && failure.get() == null) {
                    op.run(clients[index]);
                    count++;
                  }
                  counts[index] = count;
                } catch (Throwable t) {
                  failure.compareAndSet(null, t);
                } finally {
                  ends[index] = System.nanoTime();
                }
              },
              "client-" + i);
      threads[i].start();
    }
    long cpuStart = cpu.nanos();
    window[0] = System.nanoTime();
    window[1] = window[0] + (long) (seconds * 1e9);
    go.countDown();
    long end = 0;
    long ops = 0;
    for (int i = 0; i < n; i++) {
      threads[i].join();
      end = Math.max(end, ends[i]);
      ops += counts[i];
    }
    if (failure.get() != null) throw new IllegalStateException("a client failed", failure.get());
    return new Round(ops, end - window[0], cpu.nanos() - cpuStart);
  }

  /**
   * Prints the JDBC calls of one push and one baseline transaction (and, on Postgres, the round
   * trips measured at the socket), through a one-connection pool over a recording proxy.
   */
  private static void census(Target target, int batch) throws Exception {
    JdbcCensus census = new JdbcCensus();
    DataSource raw = target.freshRaw();
    if (raw instanceof org.postgresql.ds.PGSimpleDataSource) {
      ((org.postgresql.ds.PGSimpleDataSource) raw)
          .setSocketFactory(JdbcCensus.CountingSockets.class.getName());
    }
    HikariConfig config = new HikariConfig();
    config.setPoolName("census");
    config.setDataSource(census.wrap(raw));
    config.setMaximumPoolSize(1);
    try (HikariDataSource pool = new HikariDataSource(config);
        Scenario one = new Scenario(Database.of(pool, target.dialect), 1, 1, "census-1");
        Scenario many = new Scenario(Database.of(pool, target.dialect), 1, batch, "census-n")) {
      Scenario.Client c1 = one.clients[0];
      Scenario.Client cn = many.clients[0];
      // Warm both paths (the driver prepares statements server-side after a few uses).
      for (int i = 0; i < 10; i++) {
        one.push(c1);
        one.baseline(c1);
        many.push(cn);
        many.baseline(cn);
      }
      Map<String, String> lines = new LinkedHashMap<>();
      List<String> pushTrace = traced(census, () -> one.push(c1), lines, "push, 1 mutation");
      traced(census, () -> one.baseline(c1), lines, "baseline, 1 insert");
      traced(census, () -> many.push(cn), lines, "push, " + batch + " mutations");
      traced(census, () -> many.baseline(cn), lines, "baseline, " + batch + " inserts");
      System.out.println("census: JDBC calls of one push (1 mutation), in order:");
      for (String call : pushTrace) System.out.println("    " + call);
      for (Map.Entry<String, String> line : lines.entrySet()) {
        System.out.printf("  %-22s %s%n", line.getKey(), line.getValue());
      }
    }
  }

  /** Work that may throw. */
  @FunctionalInterface
  private interface Unit {
    void run() throws Exception;
  }

  private static List<String> traced(
      JdbcCensus census, Unit unit, Map<String, String> lines, String label) throws Exception {
    long writesBefore = JdbcCensus.CountingSockets.writes.get();
    census.start();
    unit.run();
    List<String> trace = census.stop();
    long writes = JdbcCensus.CountingSockets.writes.get() - writesBefore;
    long statements = trace.stream().filter(call -> call.startsWith("execute")).count();
    String line = trace.size() + " JDBC calls, " + statements + " SQL statements executed";
    if (writes > 0) line += ", " + writes + " round trips to the server";
    lines.put(label, line);
    return trace;
  }
}
