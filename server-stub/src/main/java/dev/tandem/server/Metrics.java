package dev.tandem.server;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The backend's counters, written in the Prometheus text exposition format (version 0.0.4) by hand:
 * a dozen series do not need a metrics library on the server's class path, nor its registry's
 * global state in an app that mounts the handlers. Thread-safe; recording is lock-free.
 */
final class Metrics {
  /** Upper bounds of the duration histograms' buckets, in seconds. */
  static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  /** A Prometheus histogram of durations. */
  static final class Histogram {
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS.length);
    private final LongAdder count = new LongAdder();
    private final AtomicLong sumNanos = new AtomicLong();

    void observe(long nanos) {
      double seconds = nanos / 1e9;
      for (int i = 0; i < BUCKETS.length; i++) {
        if (seconds <= BUCKETS[i]) {
          counts.incrementAndGet(i);
          break;
        }
      }
      count.increment();
      sumNanos.addAndGet(nanos);
    }

    void write(StringBuilder out, String name, String help) {
      header(out, name, help, "histogram");
      long cumulative = 0;
      for (int i = 0; i < BUCKETS.length; i++) {
        cumulative += counts.get(i);
        out.append(name)
            .append("_bucket{le=\"")
            .append(BUCKETS[i])
            .append("\"} ")
            .append(cumulative)
            .append('\n');
      }
      long total = count.sum();
      out.append(name).append("_bucket{le=\"+Inf\"} ").append(total).append('\n');
      out.append(name).append("_sum ").append(sumNanos.get() / 1e9).append('\n');
      out.append(name).append("_count ").append(total).append('\n');
    }
  }

  private final Map<Integer, LongAdder> pushes = new ConcurrentHashMap<>();
  private final Map<Integer, LongAdder> pulls = new ConcurrentHashMap<>();
  private final LongAdder applied = new LongAdder();
  private final LongAdder refused = new LongAdder();
  final Histogram pushSeconds = new Histogram();
  final Histogram pullSeconds = new Histogram();

  void pushed(int status, long nanos) {
    pushes.computeIfAbsent(status, s -> new LongAdder()).increment();
    pushSeconds.observe(nanos);
  }

  void pulled(int status, long nanos) {
    pulls.computeIfAbsent(status, s -> new LongAdder()).increment();
    pullSeconds.observe(nanos);
  }

  /** A committed push's mutations: {@code processed} applied, {@code failed} refused. */
  void mutations(int processed, int failed) {
    applied.add(processed);
    refused.add(failed);
  }

  /** Everything, with the gauges read now. */
  String text(Pokes pokes, PokeRelay relay, ClientGc gc, Database database) {
    StringBuilder out = new StringBuilder(4096);
    byStatus(out, "tandem_pushes_total", "Push requests answered, by HTTP status.", pushes);
    byStatus(out, "tandem_pulls_total", "Pull requests answered, by HTTP status.", pulls);
    counter(out, "tandem_mutations_applied_total", "Mutations applied.", applied.sum());
    counter(
        out,
        "tandem_mutations_refused_total",
        "Mutations refused (their mutator threw); their IDs still count.",
        refused.sum());
    pushSeconds.write(out, "tandem_push_duration_seconds", "Push handling time, body parsed on.");
    pullSeconds.write(out, "tandem_pull_duration_seconds", "Pull handling time, body parsed on.");
    gauge(out, "tandem_poke_streams", "Poke streams open on this instance.", pokes.streamCount());
    if (relay != null) {
      gauge(
          out,
          "tandem_poke_relay_listening",
          "1 while this instance hears other instances' pokes (LISTEN on Postgres).",
          relay.listening() ? 1 : 0);
    }
    counter(
        out,
        "tandem_client_groups_forgotten_total",
        "Client groups forgotten by client GC, with their clients.",
        gc.forgotten());
    pools(out, database);
    return out.toString();
  }

  private static void pools(StringBuilder out, Database database) {
    HikariDataSource[] pools = database.pools();
    if (pools.length == 0) return;
    header(out, "tandem_db_pool_connections", "Database pool connections, by state.", "gauge");
    StringBuilder pending = new StringBuilder();
    for (HikariDataSource pool : pools) {
      HikariPoolMXBean bean = pool.getHikariPoolMXBean();
      if (bean == null) continue; // closed, or not started
      String name = pool.getPoolName();
      sample(out, "tandem_db_pool_connections", name, "active", bean.getActiveConnections());
      sample(out, "tandem_db_pool_connections", name, "idle", bean.getIdleConnections());
      pending
          .append("tandem_db_pool_pending_threads{pool=\"")
          .append(name)
          .append("\"} ")
          .append(bean.getThreadsAwaitingConnection())
          .append('\n');
    }
    header(
        out,
        "tandem_db_pool_pending_threads",
        "Threads waiting for a database connection.",
        "gauge");
    out.append(pending);
  }

  private static void sample(
      StringBuilder out, String name, String pool, String state, long value) {
    out.append(name)
        .append("{pool=\"")
        .append(pool)
        .append("\",state=\"")
        .append(state)
        .append("\"} ")
        .append(value)
        .append('\n');
  }

  private static void byStatus(
      StringBuilder out, String name, String help, Map<Integer, LongAdder> counts) {
    header(out, name, help, "counter");
    for (Map.Entry<Integer, LongAdder> entry : new java.util.TreeMap<>(counts).entrySet()) {
      out.append(name)
          .append("{status=\"")
          .append(entry.getKey())
          .append("\"} ")
          .append(entry.getValue().sum())
          .append('\n');
    }
  }

  private static void counter(StringBuilder out, String name, String help, long value) {
    header(out, name, help, "counter");
    out.append(name).append(' ').append(value).append('\n');
  }

  private static void gauge(StringBuilder out, String name, String help, long value) {
    header(out, name, help, "gauge");
    out.append(name).append(' ').append(value).append('\n');
  }

  private static void header(StringBuilder out, String name, String help, String type) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }
}
