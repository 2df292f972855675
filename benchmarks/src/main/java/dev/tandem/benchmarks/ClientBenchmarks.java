package dev.tandem.benchmarks;

import com.sun.net.httpserver.HttpServer;
import dev.tandem.AuthProvider;
import dev.tandem.Tandem;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The client's benchmarks, each figure beside a baseline measured in the same run on the same
 * machine: {@link SyncBenchmarks} (issue 4: mutate, first pull, rebase) and {@link QueryBenchmarks}
 * (issue 5: queries and live queries). This class runs them and holds what they share.
 *
 * <p>Run: {@code mvn -q -B -pl benchmarks -am package -DskipTests -Pbench-client}; with names as
 * arguments ({@code mutate pull rebase query page reactive}) only those run.
 */
public final class ClientBenchmarks {
  private ClientBenchmarks() {}

  /** Args of the benchmark's one mutator. */
  static final class Item {
    String id;
    String text;
    long n;

    Item(String id, String text, long n) {
      this.id = id;
      this.text = text;
      this.n = n;
    }
  }

  static final String TEXT = "the quick brown fox jumps over the lazy dog";

  public static void main(String[] args) throws Exception {
    // The JDK's HttpServer (the loopback servers here) leaves Nagle's algorithm on: a small answer
    // written as headers then body waited for the client's delayed ACK, 40 ms, once earlier
    // benchmarks in this JVM had turned the kernel's quick ACKs off. Servers in production (Jetty,
    // the server stub) set TCP_NODELAY; so do these. Read when the first HttpServer starts.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    Path work = Files.createTempDirectory("tandem-client-bench");
    try {
      System.out.println(
          "# Tandem client benchmarks ("
              + Runtime.getRuntime().availableProcessors()
              + " cores, "
              + System.getProperty("java.version")
              + ")");
      List<String> only = Arrays.asList(args);
      if (selected(only, "mutate")) SyncBenchmarks.mutateLatency(work);
      if (selected(only, "tablemutate")) SyncBenchmarks.tableMutateLatency(work);
      if (selected(only, "pull")) {
        SyncBenchmarks.firstPull(
            work, 100_000, 3, false); // JIT warm-up of both sides: not reported.
        for (int rows : new int[] {100_000, 1_000_000})
          SyncBenchmarks.firstPull(work, rows, 3, true);
      }
      if (selected(only, "parse")) SyncBenchmarks.parse(work, 1_000_000);
      if (only.contains("smallheap"))
        SyncBenchmarks.smallHeapPull(work, 1_000_000); // By name only.
      if (selected(only, "rebase")) {
        SyncBenchmarks.rebase(work, 100_000, 5);
        SyncBenchmarks.rebase(work, 1_000_000, 5);
      }
      if (selected(only, "query")) QueryBenchmarks.indexedQuery(work, 1_000_000);
      if (selected(only, "page")) QueryBenchmarks.relatedPage(work, 100_000);
      if (selected(only, "reactive")) QueryBenchmarks.reactiveLoop(work);
      if (selected(only, "tablereactive")) QueryBenchmarks.tableReactiveLoop(work);
      if (only.contains("reactiveprobe")) ReactiveProbe.run(work); // By name only.
      if (selected(only, "cold")) ColdOpen.run(work);
      if (selected(only, "upgrade")) UpgradeBenchmark.run(work);
      if (selected(only, "pending")) PendingPull.run(work);
      if (only.contains("checkpoint")) CheckpointFloor.run(work); // By name only.
      if (only.contains("mutatesql")) MutateSql.run(work); // By name only.
      if (only.contains("tablemutatesql")) TableMutateSql.run(work); // By name only.
      if (only.contains("checkpointmutate")) CheckpointFloor.mutate(work); // By name only.
    } finally {
      deleteRecursively(work);
    }
  }

  /**
   * A text column as the floors read it: its UTF-8 bytes decoded in Java, the cheapest read through
   * xerial (its {@code getString} costs about twice as much per value); Tandem reads text this way.
   */
  static String text(java.sql.ResultSet rs, int column) throws java.sql.SQLException {
    byte[] utf8 = rs.getBytes(column);
    return utf8 == null ? null : new String(utf8, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** With no arguments every benchmark runs; otherwise the named ones. */
  static boolean selected(List<String> only, String name) {
    return only.isEmpty() || only.contains(name);
  }

  static long median(long[] values) {
    return percentile(values, 50);
  }

  static void deleteDatabase(File file) throws IOException {
    for (String suffix : new String[] {"", "-wal", "-shm", "-journal", ".lock"}) {
      Files.deleteIfExists(new File(file.getPath() + suffix).toPath());
    }
  }

  static void report(String what, long[] tandemNanos, long[] rawNanos) {
    double p50 = percentile(tandemNanos, 50) / 1e3;
    double p99 = percentile(tandemNanos, 99) / 1e3;
    double rawP50 = percentile(rawNanos, 50) / 1e3;
    double rawP99 = percentile(rawNanos, 99) / 1e3;
    System.out.printf(
        "%s: tandem p50 %.1f us p99 %.1f us | hand-written SQL p50 %.1f us p99 %.1f us | ratio p50 %.2fx%n",
        what, p50, p99, rawP50, rawP99, p50 / rawP50);
  }

  // --- helpers ---

  static Tandem localClient(File file) {
    return Tandem.builder()
        .databaseFile(file)
        .mutator("putItem", Item.class, (tx, item) -> tx.put("item/" + item.id, item))
        .build();
  }

  static Tandem syncingClient(File file, HttpServer server) {
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    return Tandem.builder()
        .databaseFile(file)
        .pullUrl(base + "/pull")
        .pullInterval(0)
        .auth(AuthProvider.of("bench"))
        .mutator("putItem", Item.class, (tx, item) -> tx.put("item/" + item.id, item))
        .build();
  }

  static String key(int i) {
    return "item/" + i;
  }

  static String value(int i) {
    return "{\"id\":\"" + i + "\",\"n\":" + i + ",\"text\":\"" + TEXT + "\"}";
  }

  static void writePullResponse(Path file, int rows) throws IOException {
    try (BufferedWriter out =
        new BufferedWriter(
            new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 16)) {
      out.write("{\"cookie\":1,\"lastMutationIDChanges\":{},\"patch\":[{\"op\":\"clear\"}");
      for (int i = 0; i < rows; i++) {
        out.write(",{\"op\":\"put\",\"key\":\"");
        out.write(key(i));
        out.write("\",\"value\":");
        out.write(value(i));
        out.write('}');
      }
      out.write("]}");
    }
  }

  /** Serves {@code body} from disk, streamed, to every POST. */
  static HttpServer serve(Path body) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (InputStream request = exchange.getRequestBody()) {
            request.readAllBytes();
          }
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, Files.size(body));
          try (OutputStream response = exchange.getResponseBody()) {
            Files.copy(body, response);
          }
        });
    server.start();
    return server;
  }

  static Connection sqlite(Path file) throws Exception {
    Properties properties = new Properties();
    properties.setProperty("journal_mode", "WAL");
    properties.setProperty("synchronous", "NORMAL");
    return DriverManager.getConnection("jdbc:sqlite:" + file, properties);
  }

  /**
   * {@link #sqlite} without xerial's generated keys (on by default, it matches every INSERT against
   * a pattern and readies {@code SELECT last_insert_rowid()}), as Tandem's driver opens its
   * connections: what a floor's writes use, so it does no work Tandem is spared.
   */
  static Connection sqliteBare(Path file) throws Exception {
    Properties properties = new Properties();
    properties.setProperty("journal_mode", "WAL");
    properties.setProperty("synchronous", "NORMAL");
    properties.setProperty("jdbc.get_generated_keys", "false");
    return DriverManager.getConnection("jdbc:sqlite:" + file, properties);
  }

  static long percentile(long[] values, int p) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  /**
   * Samples the heap every 5 ms: the peak in use (garbage included, so it depends on when the
   * collector ran) and the peak left after a collection (what the pull really holds on to).
   */
  static final class HeapSampler {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final List<java.lang.management.MemoryPoolMXBean> pools =
        ManagementFactory.getMemoryPoolMXBeans();
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong peakAfterGc = new AtomicLong();
    private final AtomicReference<Thread> thread = new AtomicReference<>();

    void start() {
      Thread sampler =
          new Thread(
              () -> {
                while (!Thread.currentThread().isInterrupted()) {
                  peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                  peakAfterGc.accumulateAndGet(afterLastGc(), Math::max);
                  try {
                    TimeUnit.MILLISECONDS.sleep(5);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "heap-sampler");
      sampler.setDaemon(true);
      thread.set(sampler);
      sampler.start();
    }

    private long afterLastGc() {
      long used = 0;
      for (java.lang.management.MemoryPoolMXBean pool : pools) {
        if (pool.getType() != java.lang.management.MemoryType.HEAP) continue;
        java.lang.management.MemoryUsage usage = pool.getCollectionUsage();
        if (usage != null) used += usage.getUsed();
      }
      return used;
    }

    /** Stops sampling. */
    void stop() throws InterruptedException {
      Thread sampler = thread.get();
      sampler.interrupt();
      sampler.join();
    }

    long peak() {
      return peak.get();
    }

    long peakAfterGc() {
      return peakAfterGc.get();
    }
  }

  static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(path);
      }
    }
  }
}
