package dev.tandem.benchmarks;

import static dev.tandem.benchmarks.ClientBenchmarks.*;

import com.squareup.moshi.JsonReader;
import com.sun.net.httpserver.HttpServer;
import dev.tandem.Tandem;
import dev.tandem.protocol.PullResult;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Arrays;

/**
 * Issue 4's figures: {@code mutate} latency beside a raw upsert plus queue insert in one
 * transaction; first-pull apply (100 k and 1 M rows over loopback HTTP) beside a raw batched
 * insert, with the heap during the pull; pull plus rebase of 1 000 pending mutations into 100 k and
 * 1 M rows. Same pragmas on both sides (WAL, synchronous=NORMAL).
 */
final class SyncBenchmarks {
  private SyncBenchmarks() {}

  // --- 1. mutate latency ---

  static void mutateLatency(Path work) throws Exception {
    mutateLatency(
        "mutate latency",
        localClient(work.resolve("mutate.db").toFile()),
        "putItem",
        ClientBenchmarks.sqliteBare(work.resolve("raw-mutate.db")),
        new String[] {
          "CREATE TABLE kv (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID"
        },
        "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value ="
            + " excluded.value",
        (row, i, json) -> {
          row.setString(1, "item/i" + i);
          row.setString(2, json);
        });
  }

  /**
   * The same for a schema table's row ({@code tx.table("item").insert(item)}), beside a raw
   * transaction that inserts the row into a table of Tandem's shape for it (key, JSON, a column per
   * field, the primary key's unique index) plus the queue record.
   */
  static void tableMutateLatency(Path work) throws Exception {
    Tandem tandem =
        Tandem.builder()
            .databaseFile(work.resolve("table-mutate.db").toFile())
            .schema(
                dev.tandem.Schema.builder()
                    .version(1)
                    .table(
                        dev.tandem.Table.named("item")
                            .columns(
                                dev.tandem.Column.string("id"),
                                dev.tandem.Column.string("text"),
                                dev.tandem.Column.number("n"))
                            .primaryKey("id"))
                    .build())
            .mutator("insertItem", Item.class, (tx, item) -> tx.table("item").insert(item))
            .build();
    mutateLatency(
        "table mutate latency",
        tandem,
        "insertItem",
        ClientBenchmarks.sqliteBare(work.resolve("raw-table-mutate.db")),
        new String[] {
          "CREATE TABLE item (_key TEXT PRIMARY KEY NOT NULL, _json TEXT NOT NULL, c_id TEXT,"
              + " c_text TEXT, c_n REAL) WITHOUT ROWID",
          "CREATE UNIQUE INDEX item_pk ON item (c_id)"
        },
        "INSERT INTO item (_key, _json, c_id, c_text, c_n) VALUES (?, ?, ?, ?, ?)",
        (row, i, json) -> {
          row.setString(1, "item/i" + i);
          row.setString(2, json);
          row.setString(3, "i" + i);
          row.setString(4, TEXT);
          row.setDouble(5, i);
        });
  }

  /** Binds write {@code i}'s row, whose JSON is {@code json}, to the raw side's statement. */
  interface RowBinder {
    void bind(PreparedStatement row, int i, String json) throws Exception;
  }

  /**
   * {@code tandem}'s {@code mutator} of new {@link Item}s, each timed alone after a warm-up, then
   * on {@code raw} (its tables made by {@code rawDdl}) the same writes as one bare transaction
   * each: {@code rawRow} and the queue record. Closes both.
   */
  private static void mutateLatency(
      String label,
      Tandem tandem,
      String mutator,
      Connection raw,
      String[] rawDdl,
      String rawRow,
      RowBinder binder)
      throws Exception {
    int warmup = 5_000;
    int count = 20_000;
    long[] tandemNanos = new long[count];
    try (Tandem client = tandem) {
      for (int i = 0; i < warmup; i++) client.mutate(mutator, new Item("w" + i, TEXT, i));
      for (int i = 0; i < count; i++) {
        Item item = new Item("i" + i, TEXT, i);
        long start = System.nanoTime();
        client.mutate(mutator, item);
        tandemNanos[i] = System.nanoTime() - start;
      }
    }
    long[] rawNanos = new long[count];
    try (Connection db = raw) {
      try (Statement statement = db.createStatement()) {
        for (String ddl : rawDdl) statement.execute(ddl);
        statement.execute(
            "CREATE TABLE pending (seq INTEGER PRIMARY KEY, client_id TEXT,"
                + " id INTEGER, name TEXT, args TEXT, timestamp REAL)");
      }
      PreparedStatement row = db.prepareStatement(rawRow);
      PreparedStatement queue =
          db.prepareStatement(
              "INSERT INTO pending (client_id, id, name, args, timestamp) VALUES (?, ?, ?, ?, ?)");
      // Prepared once, as Tandem's driver keeps them.
      PreparedStatement begin = db.prepareStatement("BEGIN IMMEDIATE");
      PreparedStatement commit = db.prepareStatement("COMMIT");
      for (int i = 0; i < warmup + count; i++) {
        String json = "{\"id\":\"i" + i + "\",\"n\":" + i + ",\"text\":\"" + TEXT + "\"}";
        long start = System.nanoTime();
        begin.execute();
        binder.bind(row, i, json);
        row.executeUpdate();
        queue.setString(1, "client");
        queue.setLong(2, i + 1);
        queue.setString(3, mutator);
        queue.setString(4, json);
        queue.setDouble(5, i);
        queue.executeUpdate();
        commit.execute();
        if (i >= warmup) rawNanos[i - warmup] = System.nanoTime() - start;
      }
    }
    double tandemP50 = percentile(tandemNanos, 50) / 1e3;
    double tandemP99 = percentile(tandemNanos, 99) / 1e3;
    double rawP50 = percentile(rawNanos, 50) / 1e3;
    double rawP99 = percentile(rawNanos, 99) / 1e3;
    System.out.printf(
        "%s (%d mutations): tandem p50 %.1f us p99 %.1f us | raw row+queue tx p50 %.1f us p99 %.1f us | ratio p50 %.2fx p99 %.2fx%n",
        label, count, tandemP50, tandemP99, rawP50, rawP99, tandemP50 / rawP50, tandemP99 / rawP99);
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

  /**
   * Parsing a 1 M-row pull response from disk with {@link PullResult#readBody} (what a pull uses:
   * the one-pass scanner for the patch), with {@link PullResult#read} (Moshi's reader alone, as
   * before the scanner), both building every operation and checking every value, beside Moshi
   * skipping the same document token by token: the floor for any parse through Moshi's reader. Five
   * rounds of the three in turn, medians.
   */
  static void parse(Path work, int rows) throws Exception {
    Path body = work.resolve("pull-" + rows + ".json");
    if (!Files.exists(body)) writePullResponse(body, rows);
    int rounds = 5;
    long[] scanNanos = new long[rounds];
    long[] tandemNanos = new long[rounds];
    long[] skipNanos = new long[rounds];
    for (int round = -2; round < rounds; round++) { // Two unreported warm-up rounds.
      long[] operations = {0, 0};
      long start = System.nanoTime();
      try (okio.BufferedSource source = okio.Okio.buffer(okio.Okio.source(body))) {
        PullResult.readBody(source, op -> operations[0]++);
      }
      long scan = System.nanoTime() - start;
      start = System.nanoTime();
      try (okio.BufferedSource source = okio.Okio.buffer(okio.Okio.source(body))) {
        PullResult.read(JsonReader.of(source), op -> operations[1]++);
      }
      long tandem = System.nanoTime() - start;
      if (operations[0] != rows + 1 || operations[1] != rows + 1) {
        throw new AssertionError(operations[0] + " / " + operations[1] + " operations");
      }
      start = System.nanoTime();
      try (okio.BufferedSource source = okio.Okio.buffer(okio.Okio.source(body))) {
        JsonReader.of(source).skipValue();
      }
      long skip = System.nanoTime() - start;
      if (round >= 0) {
        scanNanos[round] = scan;
        tandemNanos[round] = tandem;
        skipNanos[round] = skip;
      }
    }
    System.out.printf(
        "parse a %,d-row pull response (%,d MB) from disk, median of %d: PullResult.readBody %.0f ms | PullResult.read (Moshi's reader alone) %.0f ms | Moshi skipValue of the same document %.0f ms | readBody / read %.2fx | readBody / skipValue %.2fx%n",
        rows,
        Files.size(body) >> 20,
        rounds,
        median(scanNanos) / 1e6,
        median(tandemNanos) / 1e6,
        median(skipNanos) / 1e6,
        (double) median(scanNanos) / median(tandemNanos),
        (double) median(scanNanos) / median(skipNanos));
  }

  /**
   * One first pull of 1 M rows with whatever heap the JVM was given: run with {@code -Xmx32m} to
   * show the pull holds no more than a bounded window of the response.
   */
  static void smallHeapPull(Path work, int rows) throws Exception {
    Path body = work.resolve("pull-" + rows + ".json");
    if (!Files.exists(body)) writePullResponse(body, rows);
    HttpServer server = serve(body);
    try {
      File file = work.resolve("small-heap-" + rows + ".db").toFile();
      long start = System.nanoTime();
      try (Tandem tandem = syncingClient(file, server)) {
        tandem.pull().blockingAwait();
        // A full scan would itself need the memory this shows the pull does not: check the ends.
        boolean there =
            tandem.query(tx -> tx.has(key(0)) && tx.has(key(rows / 2)) && tx.has(key(rows - 1)));
        if (!there) throw new AssertionError("rows missing after the pull");
      }
      System.out.printf(
          "first pull of %,d rows with a %,d MB heap (-Xmx): done in %.1f s, first, middle and last rows there%n",
          rows, Runtime.getRuntime().maxMemory() >> 20, (System.nanoTime() - start) / 1e9);
    } finally {
      server.stop(0);
    }
  }
}
