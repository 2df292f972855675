package dev.tandem.benchmarks;

import com.sun.net.httpserver.HttpServer;
import dev.tandem.AuthProvider;
import dev.tandem.Column;
import dev.tandem.Query;
import dev.tandem.Relationship;
import dev.tandem.Row;
import dev.tandem.Schema;
import dev.tandem.Table;
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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The client's figures of issue 4, each beside a baseline measured in the same run on the same
 * machine:
 *
 * <ol>
 *   <li>{@code mutate} latency p50/p99, beside a raw SQLite upsert plus queue insert in one
 *       transaction (same pragmas: WAL, synchronous=NORMAL).
 *   <li>First-pull apply, rows/s, 100 k and 1 M rows served over loopback HTTP, beside a raw
 *       batched insert of the same rows; peak heap during each pull.
 *   <li>Pull plus rebase of 1 000 pending mutations into a 100 k-row and a 1 M-row database.
 * </ol>
 *
 * Run: {@code mvn -q -B -pl benchmarks -am package -DskipTests -Pbench-client}.
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
    Path work = Files.createTempDirectory("tandem-client-bench");
    try {
      System.out.println(
          "# Tandem client benchmarks ("
              + Runtime.getRuntime().availableProcessors()
              + " cores, "
              + System.getProperty("java.version")
              + ")");
      List<String> only = Arrays.asList(args);
      if (selected(only, "mutate")) mutateLatency(work);
      if (selected(only, "pull")) {
        firstPull(work, 100_000, 3, false); // JIT warm-up of both sides: not reported.
        for (int rows : new int[] {100_000, 1_000_000}) firstPull(work, rows, 3, true);
      }
      if (selected(only, "rebase")) {
        rebase(work, 100_000, 5);
        rebase(work, 1_000_000, 5);
      }
      if (selected(only, "query")) indexedQuery(work, 1_000_000);
      if (selected(only, "page")) relatedPage(work, 100_000);
      if (selected(only, "reactive")) reactiveLoop(work);
    } finally {
      deleteRecursively(work);
    }
  }

  /** With no arguments every benchmark runs; otherwise the named ones. */
  static boolean selected(List<String> only, String name) {
    return only.isEmpty() || only.contains(name);
  }

  // --- 1. mutate latency ---

  static void mutateLatency(Path work) throws Exception {
    int warmup = 5_000;
    int count = 20_000;
    long[] tandemNanos = new long[count];
    try (Tandem tandem = localClient(work.resolve("mutate.db").toFile())) {
      for (int i = 0; i < warmup; i++) tandem.mutate("putItem", new Item("w" + i, TEXT, i));
      for (int i = 0; i < count; i++) {
        Item item = new Item("i" + i, TEXT, i);
        long start = System.nanoTime();
        tandem.mutate("putItem", item);
        tandemNanos[i] = System.nanoTime() - start;
      }
    }
    long[] rawNanos = new long[count];
    try (Connection db = sqlite(work.resolve("raw-mutate.db"))) {
      try (Statement statement = db.createStatement()) {
        statement.execute(
            "CREATE TABLE kv (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID");
        statement.execute(
            "CREATE TABLE pending (seq INTEGER PRIMARY KEY AUTOINCREMENT, client_id TEXT,"
                + " id INTEGER, name TEXT, args TEXT, timestamp REAL)");
      }
      PreparedStatement upsert =
          db.prepareStatement(
              "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
      PreparedStatement queue =
          db.prepareStatement(
              "INSERT INTO pending (client_id, id, name, args, timestamp) VALUES (?, ?, ?, ?, ?)");
      Statement control = db.createStatement();
      for (int i = 0; i < warmup + count; i++) {
        String json = "{\"id\":\"i" + i + "\",\"n\":" + i + ",\"text\":\"" + TEXT + "\"}";
        long start = System.nanoTime();
        control.execute("BEGIN IMMEDIATE");
        upsert.setString(1, "item/i" + i);
        upsert.setString(2, json);
        upsert.executeUpdate();
        queue.setString(1, "client");
        queue.setLong(2, i + 1);
        queue.setString(3, "putItem");
        queue.setString(4, json);
        queue.setDouble(5, i);
        queue.executeUpdate();
        control.execute("COMMIT");
        if (i >= warmup) rawNanos[i - warmup] = System.nanoTime() - start;
      }
    }
    double tandemP50 = percentile(tandemNanos, 50) / 1e3;
    double tandemP99 = percentile(tandemNanos, 99) / 1e3;
    double rawP50 = percentile(rawNanos, 50) / 1e3;
    double rawP99 = percentile(rawNanos, 99) / 1e3;
    System.out.printf(
        "mutate latency (%d mutations): tandem p50 %.1f us p99 %.1f us | raw upsert+queue tx p50 %.1f us p99 %.1f us | ratio p50 %.2fx p99 %.2fx%n",
        count, tandemP50, tandemP99, rawP50, rawP99, tandemP50 / rawP50, tandemP99 / rawP99);
  }

  // --- 2. first pull ---

  /**
   * {@code rounds} pairs of (Tandem first pull, raw batched insert), alternating; reports the
   * median of each side and the range of the per-pair ratios.
   */
  static void firstPull(Path work, int rows, int rounds, boolean report) throws Exception {
    Path body = work.resolve("pull-" + rows + ".json");
    if (!Files.exists(body)) writePullResponse(body, rows);
    long bodyBytes = Files.size(body);
    HttpServer server = serve(body);
    try {
      long[] tandemNanos = new long[rounds];
      long[] rawNanos = new long[rounds];
      double[] ratios = new double[rounds];
      long peakHeap = 0;
      long peakLive = 0;
      for (int round = 0; round < rounds; round++) {
        File file = Files.createTempFile(work, "first-pull-" + rows + "-", ".db").toFile();
        Files.delete(file.toPath());
        System.gc();
        HeapSampler heap = new HeapSampler();
        heap.start();
        long start = System.nanoTime();
        try (Tandem tandem = syncingClient(file, server)) {
          tandem.pull().blockingAwait(); // The start-up pull, or the next one.
        }
        tandemNanos[round] = System.nanoTime() - start;
        heap.stop();
        peakHeap = Math.max(peakHeap, heap.peak());
        peakLive = Math.max(peakLive, heap.peakAfterGc());
        deleteDatabase(file);
        Path raw = work.resolve("raw-pull-" + rows + "-" + round + ".db");
        rawNanos[round] = rawBatchedInsert(raw, rows);
        deleteDatabase(raw.toFile());
        ratios[round] = (double) rawNanos[round] / tandemNanos[round];
      }
      if (!report) return;
      double tandemRate = rows / (median(tandemNanos) / 1e9);
      double rawRate = rows / (median(rawNanos) / 1e9);
      Arrays.sort(ratios);
      System.out.printf(
          "first pull %,d rows (%,d MB body over loopback HTTP), median of %d: tandem %,.0f rows/s | raw batched insert %,.0f rows/s | ratio %.2f (per pair %.2f-%.2f) | heap during pull: peak in use %,d MB, peak after GC %,d MB%n",
          rows,
          bodyBytes >> 20,
          rounds,
          tandemRate,
          rawRate,
          tandemRate / rawRate,
          ratios[0],
          ratios[rounds - 1],
          peakHeap >> 20,
          peakLive >> 20);
    } finally {
      server.stop(0);
    }
  }

  static long median(long[] values) {
    return percentile(values, 50);
  }

  static void deleteDatabase(File file) throws IOException {
    for (String suffix : new String[] {"", "-wal", "-shm", "-journal", ".lock"}) {
      Files.deleteIfExists(new File(file.getPath() + suffix).toPath());
    }
  }

  static long rawBatchedInsert(Path file, int rows) throws Exception {
    try (Connection db = sqlite(file)) {
      try (Statement statement = db.createStatement()) {
        statement.execute(
            "CREATE TABLE kv (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID");
      }
      long start = System.nanoTime();
      db.setAutoCommit(false);
      try (PreparedStatement insert =
          db.prepareStatement("INSERT INTO kv (key, value) VALUES (?, ?)")) {
        for (int i = 0; i < rows; i++) {
          insert.setString(1, key(i));
          insert.setString(2, value(i));
          insert.addBatch();
          if (i % 1000 == 999) insert.executeBatch();
        }
        insert.executeBatch();
      }
      db.commit();
      return System.nanoTime() - start;
    }
  }

  // --- 3. pull + rebase ---

  /**
   * Pull plus rebase of 1 000 pending mutations into a {@code rows}-row database, {@code rounds}
   * times (after two unreported warm-up rounds) from copies of the same prepared file; reports the
   * median and the range.
   */
  static void rebase(Path work, int rows, int rounds) throws Exception {
    Path body = work.resolve("pull-" + rows + ".json");
    if (!Files.exists(body)) writePullResponse(body, rows);
    HttpServer server = serve(body);
    int pending = 1_000;
    try {
      File file = work.resolve("rebase-" + rows + ".db").toFile();
      String clientID;
      try (Tandem tandem = syncingClient(file, server)) {
        tandem.pull().blockingAwait();
        clientID = tandem.clientID();
      }
      // 1 000 pending mutations, each changing a row the server has.
      try (Tandem tandem = localClient(file)) {
        for (int i = 0; i < pending; i++)
          tandem.mutate("putItem", new Item(Integer.toString(i * 97 % rows), "edited", i));
      }
      // Closed: the WAL is checkpointed into the file, which is now the prepared state.
      // The server confirms half of them and changes 100 other rows.
      StringBuilder next =
          new StringBuilder("{\"cookie\":2,\"lastMutationIDChanges\":{\"")
              .append(clientID)
              .append("\":")
              .append(pending / 2)
              .append("},\"patch\":[");
      for (int i = 0; i < 100; i++) {
        if (i > 0) next.append(',');
        next.append("{\"op\":\"put\",\"key\":\"")
            .append(key(rows - 1 - i))
            .append("\",\"value\":")
            .append(value(i))
            .append('}');
      }
      next.append("]}");
      Files.write(
          body.resolveSibling("next-" + rows + ".json"),
          next.toString().getBytes(StandardCharsets.UTF_8));
      server.stop(0);
      server = serve(body.resolveSibling("next-" + rows + ".json"));
      long[] nanos = new long[rounds];
      int warmups = 2; // JIT warm-up of the rebase path: not reported.
      for (int round = -warmups; round < rounds; round++) {
        File copy = work.resolve("rebase-" + rows + "-" + (round + warmups) + ".db").toFile();
        Files.copy(file.toPath(), copy.toPath());
        Path wal = new File(file.getPath() + "-wal").toPath();
        if (Files.exists(wal)) Files.copy(wal, new File(copy.getPath() + "-wal").toPath());
        try (Tandem tandem = syncingClient(copy, server)) {
          long start = System.nanoTime();
          tandem.pull().blockingAwait();
          if (round >= 0) nanos[round] = System.nanoTime() - start;
          if (tandem.status().blockingFirst().pendingCount() != pending / 2) {
            throw new AssertionError("expected " + pending / 2 + " pending after the rebase");
          }
        }
        deleteDatabase(copy);
      }
      long[] sorted = nanos.clone();
      Arrays.sort(sorted);
      System.out.printf(
          "pull + rebase of %,d pending into %,d rows, median of %d: %.1f ms (range %.1f-%.1f ms; HTTP round trip included)%n",
          pending, rows, rounds, median(nanos) / 1e6, sorted[0] / 1e6, sorted[rounds - 1] / 1e6);
    } finally {
      server.stop(0);
    }
  }

  // --- 4. queries (issue 5) ---

  static Schema chatSchema() {
    return Schema.builder()
        .version(1)
        .table(
            Table.named("user")
                .columns(Column.string("id"), Column.string("name"))
                .primaryKey("id"))
        .table(
            Table.named("message")
                .columns(
                    Column.string("id"),
                    Column.string("senderID"),
                    Column.string("content"),
                    Column.number("order"))
                .primaryKey("id")
                .relationships(Relationship.one("sender").hop("senderID", "user", "id")))
        .build();
  }

  /** A first pull of {@code messages} messages from {@code users} users. */
  static Path chatPull(Path work, int messages, int users) throws IOException {
    Path file = work.resolve("chat-" + messages + ".json");
    try (BufferedWriter out =
        new BufferedWriter(
            new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 16)) {
      out.write("{\"cookie\":1,\"lastMutationIDChanges\":{},\"patch\":[{\"op\":\"clear\"}");
      for (int u = 0; u < users; u++) {
        out.write(
            ",{\"op\":\"put\",\"key\":\"user/u"
                + u
                + "\",\"value\":{\"id\":\"u"
                + u
                + "\",\"name\":\"User "
                + u
                + "\"}}");
      }
      for (int m = 0; m < messages; m++) {
        String id = String.format("m%07d", m);
        out.write(
            ",{\"op\":\"put\",\"key\":\"message/"
                + id
                + "\",\"value\":{\"id\":\""
                + id
                + "\",\"senderID\":\"u"
                + (m % users)
                + "\",\"content\":\""
                + TEXT
                + "\",\"order\":"
                + m
                + "}}");
      }
      out.write("]}");
    }
    return file;
  }

  static Tandem chatClient(File file, HttpServer server) {
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    return Tandem.builder()
        .databaseFile(file)
        .schema(chatSchema())
        .pullUrl(base + "/pull")
        .pullInterval(0)
        .auth(AuthProvider.of("bench"))
        .build();
  }

  static void indexedQuery(Path work, int messages) throws Exception {
    int users = messages / 10;
    HttpServer server = serve(chatPull(work, messages, users));
    File file = work.resolve("query-" + messages + ".db").toFile();
    int runs = 2_000;
    long[] tandemNanos = new long[runs];
    long[] rawNanos = new long[runs];
    try (Tandem tandem = chatClient(file, server)) {
      tandem.pull().blockingAwait();
      try (Connection raw = sqlite(file.toPath())) {
        PreparedStatement statement =
            raw.prepareStatement(
                "SELECT \"_key\", \"_json\" FROM \"t_message\" WHERE \"c_senderID\" = ? ORDER BY \"_key\"");
        for (int i = 0; i < runs + 500; i++) {
          String sender = "u" + (i * 7919 % users);
          long start = System.nanoTime();
          List<Row> rows = tandem.query(Query.from("message").where("senderID", "=", sender));
          long tandemTime = System.nanoTime() - start;
          start = System.nanoTime();
          statement.setString(1, sender);
          int count = 0;
          try (ResultSet result = statement.executeQuery()) {
            while (result.next()) {
              result.getString(1);
              result.getString(2);
              count++;
            }
          }
          long rawTime = System.nanoTime() - start;
          if (count != rows.size()) throw new AssertionError(count + " != " + rows.size());
          if (i >= 500) {
            tandemNanos[i - 500] = tandemTime;
            rawNanos[i - 500] = rawTime;
          }
        }
      }
    } finally {
      server.stop(0);
    }
    report(
        "indexed query (senderID = ?, 10 rows) over "
            + String.format("%,d", messages)
            + " messages",
        tandemNanos,
        rawNanos);
  }

  static void relatedPage(Path work, int messages) throws Exception {
    int users = 1_000;
    HttpServer server = serve(chatPull(work, messages, users));
    File file = work.resolve("page-" + messages + ".db").toFile();
    int runs = 2_000;
    long[] tandemNanos = new long[runs];
    long[] rawNanos = new long[runs];
    try (Tandem tandem = chatClient(file, server)) {
      tandem.pull().blockingAwait();
      try (Connection raw = sqlite(file.toPath())) {
        PreparedStatement page =
            raw.prepareStatement(
                "SELECT \"_key\", \"_json\", \"c_senderID\" FROM \"t_message\" WHERE \"_key\" > ? ORDER BY \"_key\" LIMIT 50");
        for (int i = 0; i < runs + 500; i++) {
          String after = String.format("message/m%07d", i * 4099 % (messages - 100));
          long start = System.nanoTime();
          Row cursor =
              tandem.query(Query.from("message").where("id", "=", after.substring(8))).get(0);
          start = System.nanoTime();
          List<Row> rows =
              tandem.query(Query.from("message").startAfter(cursor).limit(50).related("sender"));
          long tandemTime = System.nanoTime() - start;
          start = System.nanoTime();
          page.setString(1, after);
          java.util.Set<String> senders = new java.util.LinkedHashSet<>();
          int count = 0;
          try (ResultSet result = page.executeQuery()) {
            while (result.next()) {
              result.getString(2);
              senders.add(result.getString(3));
              count++;
            }
          }
          StringBuilder in =
              new StringBuilder("SELECT \"_key\", \"_json\" FROM \"t_user\" WHERE \"c_id\" IN (");
          for (int k = 0; k < senders.size(); k++) in.append(k == 0 ? "?" : ",?");
          try (PreparedStatement users2 = raw.prepareStatement(in.append(")").toString())) {
            int k = 1;
            for (String sender : senders) users2.setString(k++, sender);
            try (ResultSet result = users2.executeQuery()) {
              while (result.next()) result.getString(2);
            }
          }
          long rawTime = System.nanoTime() - start;
          if (count != rows.size() || rows.get(0).one("sender") == null)
            throw new AssertionError("page mismatch");
          if (i >= 500) {
            tandemNanos[i - 500] = tandemTime;
            rawNanos[i - 500] = rawTime;
          }
        }
      }
    } finally {
      server.stop(0);
    }
    report(
        "50-message page with related(sender) over " + String.format("%,d", messages) + " messages",
        tandemNanos,
        rawNanos);
  }

  /** 100 live queries, one mutation that changes what 5 of them read; until all 5 re-emitted. */
  static void reactiveLoop(Path work) throws Exception {
    int runs = 2_000;
    long[] nanos = new long[runs + 200];
    try (Tandem tandem =
        Tandem.builder()
            .databaseFile(work.resolve("reactive.db").toFile())
            .queryScheduler(io.reactivex.rxjava3.schedulers.Schedulers.single())
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
                })
            .build()) {
      tandem.mutate("fill", 0);
      java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CountDownLatch> latch =
          new java.util.concurrent.atomic.AtomicReference<>(
              new java.util.concurrent.CountDownLatch(0));
      List<io.reactivex.rxjava3.disposables.Disposable> subscriptions = new java.util.ArrayList<>();
      java.util.concurrent.CountDownLatch first = new java.util.concurrent.CountDownLatch(100);
      for (int list = 0; list < 100; list++) {
        String prefix = "list/" + list + "/";
        subscriptions.add(
            tandem
                .watch(tx -> tx.scan(dev.tandem.ScanOptions.prefix(prefix)))
                .subscribe(
                    result -> {
                      first.countDown();
                      latch.get().countDown();
                    }));
      }
      first.await();
      for (int i = 0; i < runs + 200; i++) {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(5);
        latch.set(done);
        long start = System.nanoTime();
        tandem.mutate("touch", i);
        done.await();
        nanos[i] = System.nanoTime() - start;
      }
      for (io.reactivex.rxjava3.disposables.Disposable subscription : subscriptions)
        subscription.dispose();
    }
    long[] measured = Arrays.copyOfRange(nanos, 200, nanos.length);
    System.out.printf(
        "reactive loop (100 live queries, 1 write affecting 5, until all 5 re-emitted): p50 %.2f ms p95 %.2f ms p99 %.2f ms (Replicache publishes 3 ms p50 / 7 ms p95)%n",
        percentile(measured, 50) / 1e6,
        percentile(measured, 95) / 1e6,
        percentile(measured, 99) / 1e6);
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

  static long percentile(long[] values, int p) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  /** Samples used heap every 5 ms and keeps the peak. */
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
