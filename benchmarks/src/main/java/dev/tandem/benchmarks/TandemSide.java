package dev.tandem.benchmarks;

import dev.tandem.AuthProvider;
import dev.tandem.ScanOptions;
import dev.tandem.Tandem;
import io.reactivex.rxjava3.disposables.Disposable;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Tandem side of the side-by-side benchmark ({@link VsReplicache} runs it in a fresh JVM,
 * alternating with {@code vs-replicache.mjs}): the same workloads through Tandem's public API, on
 * real SQLite files in a temporary folder. {@code java … TandemSide <baseUrl> <workload> [key=value
 * …]}; prints one JSON line (times in microseconds).
 */
public final class TandemSide {
  private TandemSide() {}

  /** The chat's message, as the Replicache tutorial's {@code createMessage} stores it. */
  public static final class Message {
    public String id;
    public String from;
    public String content;
    public long order;

    Message() {}

    Message(String id, int i) {
      this.id = id;
      this.from = "bench";
      this.content = "message " + i + " of the side-by-side benchmark";
      this.order = i;
    }
  }

  /** The stored value: {@code {from, content, order}}, as the server's chat writes it. */
  public static final class Stored {
    public String from;
    public String content;
    public long order;

    Stored(Message m) {
      from = m.from;
      content = m.content;
      order = m.order;
    }
  }

  private static long startedAt;
  private static String api;
  private static Map<String, String> opts;
  private static Path work;
  private static int clients;

  public static void main(String[] args) throws Exception {
    startedAt = System.nanoTime();
    // The JVM's start is read after the workload: java.lang.management takes a while to load in a
    // fresh process, and only the start-up before this line is wanted.
    long mainAtMillis = System.currentTimeMillis();
    api = args[0] + "/api/replicache";
    String workload = args[1];
    opts = new HashMap<>();
    for (int i = 2; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      opts.put(kv[0], kv[1]);
    }
    work = Files.createTempDirectory("tandem-vs-");
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("side", "tandem");
    result.put("workload", workload);
    try {
      switch (workload) {
        case "mutate":
          mutate(result);
          break;
        case "firstpull":
          firstPull(result, mainAtMillis);
          break;
        case "drain":
          drain(result);
          break;
        case "poke":
          poke(result);
          break;
        case "reactive":
          reactive(result);
          break;
        default:
          throw new IllegalArgumentException("unknown workload " + workload);
      }
    } catch (Throwable e) {
      result.put("error", String.valueOf(e));
      print(result);
      System.exit(1);
    } finally {
      ClientBenchmarks.deleteRecursively(work);
    }
    print(result);
    System.exit(0);
  }

  private static int num(String key, int fallback) {
    String value = opts.get(key);
    return value == null ? fallback : Integer.parseInt(value);
  }

  private static Tandem.Builder client() {
    File file = work.resolve("client-" + clients++ + ".db").toFile();
    Tandem.Builder builder = Tandem.builder();
    String pullDelay = System.getProperty("tandem.bench.pullDelay"); // 0: the way before pullDelay.
    if (pullDelay != null) builder.pullDelay(Long.parseLong(pullDelay));
    return builder
        .databaseFile(file)
        .serverUrl(api)
        .auth(AuthProvider.of("bench"))
        .schemaVersion("1")
        .pullInterval(0)
        .mutator(
            "createMessage", Message.class, (tx, m) -> tx.put("message/" + m.id, new Stored(m)))
        .mutator(
            "touch",
            Integer.class,
            (tx, n) -> {
              for (int list = 0; list < 5; list++) tx.put("list/" + list + "/item", n);
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

  private static String id(String tag, int i) {
    return tag + "-" + Long.toHexString(startedAt) + "-" + i;
  }

  // --- workloads ---

  /**
   * Each {@code mutate} beside two floors under it, rotating per write: bare transactions of the
   * same durability on other SQLite files of this process (upsert the row, insert the queue record,
   * commit; WAL, {@code synchronous=NORMAL}). The first floor leaves WAL checkpoints to SQLite's
   * automatic one in its commits (every 1 000 pages); the second checkpoints as Tandem's JVM driver
   * does ({@code WalCheckpointer}: a {@code PASSIVE} checkpoint on a second connection and thread
   * every 32 commits, SQLite's own kept as the backstop at 4 000 pages): what the same bare program
   * costs with its checkpoints moved off its commits ({@code floorBgP50}, {@code floorBgP99}). With
   * {@code keys=K} the writes go to K keys in turn (an app editing the same records), on every
   * side; by default each write is a new key.
   */
  private static void mutate(Map<String, Object> result) throws Exception {
    boolean online = !"false".equals(opts.get("online"));
    int warmup = num("warmup", 2000);
    int count = num("count", 5000);
    int keys = num("keys", 0);
    long[] nanos = new long[count];
    long[][] floor = new long[2][count];
    java.util.concurrent.ExecutorService passes =
        java.util.concurrent.Executors.newSingleThreadExecutor(
            task -> {
              Thread thread = new Thread(task, "floor-checkpoint");
              thread.setDaemon(true);
              return thread;
            });
    java.util.concurrent.atomic.AtomicBoolean queued =
        new java.util.concurrent.atomic.AtomicBoolean();
    try (Tandem tandem = client().networkAvailable(online).build();
        java.sql.Connection raw0 = ClientBenchmarks.sqliteBare(work.resolve("floor.db"));
        java.sql.Connection raw1 = ClientBenchmarks.sqliteBare(work.resolve("floor-bg.db"));
        java.sql.Connection checkpointer =
            ClientBenchmarks.sqliteBare(work.resolve("floor-bg.db"))) {
      java.sql.Connection[] raw = {raw0, raw1};
      java.sql.PreparedStatement[] upsert = new java.sql.PreparedStatement[2];
      java.sql.PreparedStatement[] queue = new java.sql.PreparedStatement[2];
      java.sql.PreparedStatement[] begin = new java.sql.PreparedStatement[2];
      java.sql.PreparedStatement[] commit = new java.sql.PreparedStatement[2];
      for (int f = 0; f < 2; f++) {
        try (java.sql.Statement ddl = raw[f].createStatement()) {
          if (f == 1) ddl.execute("PRAGMA wal_autocheckpoint=4000");
          ddl.execute(
              "CREATE TABLE kv (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID");
          ddl.execute(
              "CREATE TABLE pending (seq INTEGER PRIMARY KEY, client_id TEXT,"
                  + " id INTEGER, name TEXT, args TEXT, timestamp REAL)");
        }
        upsert[f] =
            raw[f].prepareStatement(
                "INSERT INTO kv (key, value) VALUES (?, ?)"
                    + " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        queue[f] =
            raw[f].prepareStatement(
                "INSERT INTO pending (client_id, id, name, args, timestamp) VALUES (?, ?, ?, ?, ?)");
        // Prepared once, as Tandem's driver keeps them: not parsed again on every write.
        begin[f] = raw[f].prepareStatement("BEGIN IMMEDIATE");
        commit[f] = raw[f].prepareStatement("COMMIT");
      }
      int commits = 0;
      for (int i = 0; i < warmup + count; i++) {
        Message m = new Message(id("m", keys > 0 ? i % keys : i), i);
        long tandemTime = 0;
        long[] floorTime = new long[2];
        for (int slot = 0; slot < 3; slot++) {
          int side = (slot + i) % 3; // 0: Tandem, 1 and 2: the floors.
          long start = System.nanoTime();
          if (side == 0) {
            tandem.mutate("createMessage", m);
            tandemTime = System.nanoTime() - start;
            continue;
          }
          int f = side - 1;
          String json =
              "{\"from\":\"bench\",\"content\":\"" + m.content + "\",\"order\":" + i + "}";
          begin[f].execute();
          upsert[f].setString(1, "message/" + m.id);
          upsert[f].setString(2, json);
          upsert[f].executeUpdate();
          queue[f].setString(1, "client");
          queue[f].setLong(2, i + 1);
          queue[f].setString(3, "createMessage");
          queue[f].setString(4, json);
          queue[f].setDouble(5, i);
          queue[f].executeUpdate();
          commit[f].execute();
          floorTime[f] = System.nanoTime() - start;
          if (f == 1 && ++commits >= 32 && queued.compareAndSet(false, true)) {
            commits = 0;
            passes.execute(
                () -> {
                  queued.set(false);
                  try (java.sql.Statement pass = checkpointer.createStatement()) {
                    pass.executeQuery("PRAGMA wal_checkpoint(PASSIVE)").close();
                  } catch (java.sql.SQLException e) {
                    // Left to the next pass and to the backstop, as the driver does.
                  }
                });
          }
        }
        if (i >= warmup) {
          nanos[i - warmup] = tandemTime;
          floor[0][i - warmup] = floorTime[0];
          floor[1][i - warmup] = floorTime[1];
        }
      }
      result.put("pendingAtEnd", tandem.pendingMutations().size());
      passes.shutdown();
      passes.awaitTermination(30, TimeUnit.SECONDS);
    }
    result.put("p50", micros(ClientBenchmarks.percentile(nanos, 50)));
    result.put("p99", micros(ClientBenchmarks.percentile(nanos, 99)));
    result.put("floorP50", micros(ClientBenchmarks.percentile(floor[0], 50)));
    result.put("floorP99", micros(ClientBenchmarks.percentile(floor[0], 99)));
    result.put("floorBgP50", micros(ClientBenchmarks.percentile(floor[1], 50)));
    result.put("floorBgP99", micros(ClientBenchmarks.percentile(floor[1], 99)));
    // Nanoseconds too: the rounded microseconds are too coarse for a ratio to the floor.
    result.put("p50ns", ClientBenchmarks.percentile(nanos, 50));
    result.put("floorP50ns", ClientBenchmarks.percentile(floor[0], 50));
    result.put("count", count);
  }

  private static void firstPull(Map<String, Object> result, long mainAtMillis) throws Exception {
    int warmup = num("warmup", 0);
    int runs = num("runs", 1);
    int rows = num("rows", 100_000);
    boolean fresh = "true".equals(opts.get("fresh"));
    String lastKey = "message/" + opts.get("lastid");
    long[] nanos = new long[runs];
    long peakHeap = 0;
    for (int r = 0; r < warmup + runs; r++) {
      // A fresh process's run measures its start, so nothing of the harness's own goes before it:
      // no collection, and no heap sampler (java.lang.management); its peak RSS is read after.
      boolean freshRun = r == 0 && fresh;
      if (!freshRun) System.gc();
      ClientBenchmarks.HeapSampler heap = freshRun ? null : new ClientBenchmarks.HeapSampler();
      if (heap != null) heap.start();
      long start = freshRun ? startedAt : System.nanoTime();
      int count;
      try (Tandem tandem = client().pokeUrl(null).build()) {
        while (!tandem.query(tx -> tx.has(lastKey))) tandem.pull().blockingAwait();
        long elapsed = System.nanoTime() - start;
        if (heap != null) heap.stop();
        if (r >= warmup) {
          nanos[r - warmup] = elapsed;
          if (heap != null) peakHeap = Math.max(peakHeap, heap.peak());
        }
        count = tandem.query(tx -> tx.scan(ScanOptions.prefix("message/")).size());
      }
      if (count != rows) throw new IllegalStateException("pulled " + count + ", expected " + rows);
    }
    result.put("median", micros(ClientBenchmarks.percentile(nanos, 50)));
    result.put("runs", runs);
    if (fresh) {
      result.put("bootMs", mainAtMillis - ManagementFactory.getRuntimeMXBean().getStartTime());
    }
    result.put("peakHeapMiB", round1(peakHeap / 1048576.0));
    result.put("peakRssMiB", round1(vmHwmKiB() / 1024.0));
  }

  private static long drainOnce(int count, String tag) {
    try (Tandem tandem = client().networkAvailable(false).build()) {
      for (int i = 0; i < count; i++) tandem.mutate("createMessage", new Message(id(tag, i), i));
      if (tandem.pendingMutations().size() != count) throw new IllegalStateException("not pending");
      long start = System.nanoTime();
      tandem.setNetworkAvailable(true);
      tandem.flush().blockingAwait();
      long elapsed = System.nanoTime() - start;
      if (!tandem.pendingMutations().isEmpty()) throw new IllegalStateException("still pending");
      return elapsed;
    }
  }

  private static void drain(Map<String, Object> result) {
    int warmup = num("warmup", 1000);
    int count = num("count", 5000);
    if (warmup > 0) drainOnce(warmup, "w");
    result.put("median", micros(drainOnce(count, "d")));
    result.put("count", count);
  }

  private static void poke(Map<String, Object> result) throws Exception {
    int warmup = num("warmup", 20);
    int runs = num("runs", 100);
    long[] nanos = new long[runs];
    try (Tandem a = client().pokeUrl(null).build();
        Tandem b = client().build()) {
      a.pull().blockingAwait();
      b.pull().blockingAwait();
      for (int i = 0; i < warmup + runs; i++) {
        String id = id("p", i);
        String key = "message/" + id;
        CountDownLatch seen = new CountDownLatch(1);
        long[] at = new long[1];
        Disposable watch =
            b.watch(tx -> tx.has(key))
                .subscribe(
                    has -> {
                      if (has && seen.getCount() > 0) {
                        at[0] = System.nanoTime();
                        seen.countDown();
                      }
                    });
        Thread.sleep(2);
        long start = System.nanoTime();
        a.mutate("createMessage", new Message(id, i));
        if (!seen.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("B never saw " + id);
        watch.dispose();
        if (i >= warmup) nanos[i - warmup] = at[0] - start;
        Thread.sleep(5);
      }
    }
    result.put("p50", micros(ClientBenchmarks.percentile(nanos, 50)));
    result.put("p95", micros(ClientBenchmarks.percentile(nanos, 95)));
    result.put("runs", runs);
  }

  /**
   * The reactive loop, each iteration beside its floor in the same process, alternating: the same
   * commit ({@code touch}) on an instance with no watches, then the 5 lists' prefix scans as raw
   * JDBC on one connection of that file, inline: the loop's bare work, without live queries.
   */
  private static void reactive(Map<String, Object> result) throws Exception {
    int warmup = num("warmup", 200);
    int runs = num("runs", 1000);
    long[] nanos = new long[runs];
    long[] floor = new long[runs];
    Path floorFile = work.resolve("reactive-floor.db");
    try (Tandem tandem = client().pushUrl(null).pullUrl(null).pokeUrl(null).build();
        Tandem bare =
            client()
                .databaseFile(floorFile.toFile())
                .pushUrl(null)
                .pullUrl(null)
                .pokeUrl(null)
                .build()) {
      tandem.mutate("fill", 0);
      bare.mutate("fill", 0);
      AtomicReference<CountDownLatch> latch = new AtomicReference<>(new CountDownLatch(0));
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
                      latch.get().countDown();
                    }));
      }
      first.await();
      try (java.sql.Connection raw = ClientBenchmarks.sqlite(floorFile);
          java.sql.PreparedStatement scan =
              raw.prepareStatement(
                  "SELECT key, value FROM tandem_kv WHERE key >= ? AND key < ? ORDER BY key"
                      + " LIMIT ?")) {
        for (int i = 0; i < warmup + runs; i++) {
          CountDownLatch done = new CountDownLatch(5);
          latch.set(done);
          long start = System.nanoTime();
          tandem.mutate("touch", i + 1);
          done.await();
          long loopTime = System.nanoTime() - start;

          start = System.nanoTime();
          bare.mutate("touch", i + 1);
          raw.setAutoCommit(false);
          int rows = 0;
          for (int list = 0; list < 5; list++) {
            scan.setString(1, "list/" + list + "/");
            scan.setString(2, "list/" + list + "0");
            scan.setInt(3, -1);
            try (java.sql.ResultSet rs = scan.executeQuery()) {
              while (rs.next()) {
                ClientBenchmarks.text(rs, 1);
                ClientBenchmarks.text(rs, 2);
                rows++;
              }
            }
          }
          raw.commit();
          raw.setAutoCommit(true);
          long floorTime = System.nanoTime() - start;
          if (rows != 105) throw new IllegalStateException("floor scanned " + rows + " rows");
          if (i >= warmup) {
            nanos[i - warmup] = loopTime;
            floor[i - warmup] = floorTime;
          }
        }
      }
      for (Disposable subscription : subscriptions) subscription.dispose();
    }
    result.put("p50", micros(ClientBenchmarks.percentile(nanos, 50)));
    result.put("p95", micros(ClientBenchmarks.percentile(nanos, 95)));
    result.put("floorP50", micros(ClientBenchmarks.percentile(floor, 50)));
    result.put("floorP95", micros(ClientBenchmarks.percentile(floor, 95)));
    result.put("runs", runs);
  }

  // --- helpers ---

  private static long micros(long nanos) {
    return Math.round(nanos / 1e3);
  }

  private static double round1(double value) {
    return Math.round(value * 10) / 10.0;
  }

  private static long vmHwmKiB() throws Exception {
    for (String line :
        Files.readAllLines(java.nio.file.Paths.get("/proc/self/status"), StandardCharsets.UTF_8)) {
      if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
    return -1;
  }

  private static void print(Map<String, Object> result) {
    StringBuilder json = new StringBuilder("{");
    for (Map.Entry<String, Object> e : result.entrySet()) {
      if (json.length() > 1) json.append(',');
      json.append('"').append(e.getKey()).append("\":");
      Object v = e.getValue();
      if (v instanceof Number) {
        json.append(v);
      } else {
        json.append('"')
            .append(
                String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " "))
            .append('"');
      }
    }
    System.out.println(json.append('}'));
    System.out.flush();
  }
}
