package dev.tandem.benchmarks;

import static dev.tandem.benchmarks.ClientBenchmarks.*;

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
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.List;

/**
 * Issue 5's figures: an indexed table query and a page with a relationship, each beside the same
 * SQL written by hand on the same file, and the reactive loop of 100 live queries.
 */
final class QueryBenchmarks {
  private QueryBenchmarks() {}

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
              ClientBenchmarks.text(result, 1);
              ClientBenchmarks.text(result, 2);
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
              ClientBenchmarks.text(result, 2);
              senders.add(ClientBenchmarks.text(result, 3));
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
              while (result.next()) ClientBenchmarks.text(result, 2);
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
        "reactive loop (100 live queries, 1 write affecting 5, until all 5 re-emitted): p50 %.2f ms p95 %.2f ms p99 %.2f ms; beside the replicache client: the vs-replicache benchmark%n",
        percentile(measured, 50) / 1e6,
        percentile(measured, 95) / 1e6,
        percentile(measured, 99) / 1e6);
  }

  /**
   * The reactive loop on table queries: 100 live queries {@code item where list = i} (20 rows each,
   * an index on {@code list}), one mutation updating a row in 5 of the lists, until those 5
   * re-emitted; alternating in the same run with the prefix-scan loop of {@link #reactiveLoop}'s
   * shape (key-range invalidation) as the baseline.
   */
  static void tableReactiveLoop(Path work) throws Exception {
    int runs = 1_000;
    int warmup = 200;
    String[] modes = {"rows", "table", "scan"};
    long[][] nanos = new long[3][runs];
    for (int round = 0; round < 2; round++) {
      for (int m = 0; m < 3; m++) {
        int mode = round == 0 ? m : 2 - m;
        System.setProperty("dev.tandem.perTableLiveQueries", String.valueOf(mode == 1));
        long[] measured =
            loop(
                work.resolve("table-reactive-" + round + mode + ".db"),
                mode != 2,
                runs / 2,
                warmup);
        System.arraycopy(measured, 0, nanos[mode], round * (runs / 2), runs / 2);
      }
    }
    System.clearProperty("dev.tandem.perTableLiveQueries");
    for (int mode = 0; mode < 3; mode++) {
      System.out.printf(
          "reactive loop, 100 live queries, a write changing 5 (%s): p50 %.2f ms p95 %.2f ms p99 %.2f ms%n",
          new String[] {
                "table queries `where list = i`, indexed, by rows and conditions",
                "the same table queries, re-run per table (-Ddev.tandem.perTableLiveQueries=true)",
                "prefix scans, by key range"
              }
              [mode],
          percentile(nanos[mode], 50) / 1e6,
          percentile(nanos[mode], 95) / 1e6,
          percentile(nanos[mode], 99) / 1e6);
    }
  }

  /** Fields of an item row. */
  static final class ListItem {
    String id;
    long list;
    long n;

    ListItem(String id, long list, long n) {
      this.id = id;
      this.list = list;
      this.n = n;
    }
  }

  private static long[] loop(Path file, boolean table, int runs, int warmup) throws Exception {
    Schema schema =
        Schema.builder()
            .version(1)
            .table(
                Table.named("item")
                    .columns(Column.string("id"), Column.number("list"), Column.number("n"))
                    .primaryKey("id")
                    .index("list"))
            .build();
    long[] nanos = new long[runs];
    try (Tandem tandem =
        Tandem.builder()
            .databaseFile(file.toFile())
            .schema(schema)
            .mutator(
                "fill",
                Integer.class,
                (tx, ignored) -> {
                  for (int list = 0; list < 100; list++) {
                    for (int item = 0; item < 20; item++) {
                      String id = list + "-" + item;
                      if (table) {
                        tx.table("item").insert(new ListItem(id, list, item));
                      } else {
                        tx.put("list/" + list + "/" + item, item);
                      }
                    }
                  }
                })
            .mutator(
                "touch",
                Integer.class,
                (tx, n) -> {
                  for (int list = 0; list < 5; list++) {
                    if (table) {
                      tx.table("item").update(new ListItem(list + "-0", list, n));
                    } else {
                      tx.put("list/" + list + "/0", n);
                    }
                  }
                })
            .build()) {
      tandem.mutate("fill", 0);
      java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CountDownLatch> latch =
          new java.util.concurrent.atomic.AtomicReference<>(
              new java.util.concurrent.CountDownLatch(0));
      java.util.concurrent.CountDownLatch first = new java.util.concurrent.CountDownLatch(100);
      List<io.reactivex.rxjava3.disposables.Disposable> subscriptions = new java.util.ArrayList<>();
      for (int list = 0; list < 100; list++) {
        String prefix = "list/" + list + "/";
        long id = list;
        io.reactivex.rxjava3.core.Flowable<?> watch =
            table
                ? tandem.watch(Query.from("item").where("list", "=", id))
                : tandem.watch(tx -> tx.scan(dev.tandem.ScanOptions.prefix(prefix)));
        subscriptions.add(
            watch.subscribe(
                result -> {
                  first.countDown();
                  latch.get().countDown();
                }));
      }
      first.await();
      for (int i = 0; i < warmup + runs; i++) {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(5);
        latch.set(done);
        long start = System.nanoTime();
        tandem.mutate("touch", i + 1);
        done.await();
        if (i >= warmup) nanos[i - warmup] = System.nanoTime() - start;
      }
      for (io.reactivex.rxjava3.disposables.Disposable subscription : subscriptions) {
        subscription.dispose();
      }
    }
    return nanos;
  }
}
