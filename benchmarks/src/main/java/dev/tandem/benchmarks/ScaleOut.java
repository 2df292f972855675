package dev.tandem.benchmarks;

import dev.tandem.server.Backend;
import dev.tandem.server.ChatDomain;
import dev.tandem.server.Database;
import dev.tandem.server.TandemServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A bounded load run of the standalone server scaled out: 1, 2 and 3 instances ({@link
 * TandemServer}s in this JVM, each with its own pool and poke relay) on one embedded Postgres, over
 * real HTTP on the loopback address. Writers push one {@code createMessage} per push in a closed
 * loop, spread over the instances; readers hold a poke stream on each instance and pull (from their
 * cookie) on every poke. Reports pushes/s beside the bare transaction on the same database ({@link
 * Scenario#baseline}, as many threads), and poke-to-pull latency: from a writer sending a push to
 * each reader (on every instance) having the message from the pull a poke caused. Stops by itself.
 * See BENCHMARKS.md.
 *
 * <p>Options: {@code -instances 1,2,3 -writers 24 -readers 2 -seconds 6 -warmup 2 -pool 8}.
 */
public final class ScaleOut {
  private ScaleOut() {}

  static final Pattern SENT = Pattern.compile("\"content\":\"t(\\d+)\"");
  static final Pattern COOKIE = Pattern.compile("^\\{\"cookie\":(\\d+)");

  int[] instanceCounts = {1, 2, 3};
  int writers = 24;
  int readers = 2; // per instance
  double seconds = 6;
  double warmup = 2;
  int pool = 8;

  public static void main(String[] args) throws Exception {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"); // no line per request
    }
    ScaleOut run = new ScaleOut();
    for (int i = 0; i + 1 < args.length; i += 2) {
      String value = args[i + 1];
      switch (args[i]) {
        case "-instances":
          run.instanceCounts =
              Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).toArray();
          break;
        case "-writers":
          run.writers = Integer.parseInt(value);
          break;
        case "-readers":
          run.readers = Integer.parseInt(value);
          break;
        case "-seconds":
          run.seconds = Double.parseDouble(value);
          break;
        case "-warmup":
          run.warmup = Double.parseDouble(value);
          break;
        case "-pool":
          run.pool = Integer.parseInt(value);
          break;
        default:
          throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      System.out.printf(
          "writers %d, readers %d per instance, pool %d per instance, %.0f s rounds%n",
          run.writers, run.readers, run.pool, run.seconds);
      System.out.println(
          "| instances | pushes/s | baseline tx/s | ratio | poke-to-pull p50 ms | p99 ms | max ms |"
              + " pulls/s |");
      System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
      // JIT warm-up of both sides on a throwaway database, not reported.
      run.row(2, createDatabase(postgres, "scale_warmup"), false);
      int n = 0;
      for (int instances : run.instanceCounts) {
        String url = createDatabase(postgres, "scale_" + instances + "_" + (n++));
        run.row(instances, url, true);
      }
    }
    System.exit(0); // HttpClient's and Jetty's threads
  }

  static String createDatabase(EmbeddedPostgres postgres, String name) throws Exception {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    }
    return postgres.getJdbcUrl("postgres", name);
  }

  /** Latencies in µs, appended by readers. */
  final List<Long> latencies = new ArrayList<>();

  final AtomicLong pulls = new AtomicLong();
  volatile boolean measuring;
  volatile boolean stopping;

  void row(int instances, String url, boolean report) throws Exception {
    latencies.clear();
    pulls.set(0);
    measuring = false;
    stopping = false;
    List<Database> databases = new ArrayList<>();
    List<Backend> backends = new ArrayList<>();
    List<TandemServer> servers = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try {
      for (int i = 0; i < instances; i++) {
        Database database = Database.postgres(url, pool);
        databases.add(database);
        Backend backend = ChatDomain.install(Backend.builder()).database(database).build();
        backends.add(backend);
        servers.add(TandemServer.builder(backend).port(0).start());
      }
      for (int i = 0; i < instances; i++) {
        for (int r = 0; r < readers; r++) {
          String base = "http://127.0.0.1:" + servers.get(i).port() + "/api/replicache";
          Thread reader = new Thread(() -> read(http, base, "reader"), "reader");
          reader.setDaemon(true);
          reader.start();
          threads.add(reader);
        }
      }
      AtomicLong pushed = new AtomicLong();
      for (int w = 0; w < writers; w++) {
        String base = "http://127.0.0.1:" + servers.get(w % instances).port() + "/api/replicache";
        int writer = w;
        Thread thread = new Thread(() -> write(http, base, writer, pushed), "writer");
        thread.setDaemon(true);
        thread.start();
        threads.add(thread);
      }
      Thread.sleep((long) (warmup * 1000)); // A bounded run: fixed-length rounds.
      long start = pushed.get();
      long pullsStart = pulls.get();
      measuring = true;
      long t0 = System.nanoTime();
      Thread.sleep((long) (seconds * 1000));
      double elapsed = (System.nanoTime() - t0) / 1e9;
      measuring = false;
      double pushesPerSecond = (pushed.get() - start) / elapsed;
      double pullsPerSecond = (pulls.get() - pullsStart) / elapsed;
      stopping = true;
      for (Thread thread : threads) if (thread.getName().equals("writer")) thread.join(10_000);

      double baseline = baseline(databases.get(0), elapsed);
      if (!report) return;
      long[] sorted;
      synchronized (latencies) {
        sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      }
      System.out.printf(
          Locale.ROOT,
          "| %d | %.0f | %.0f | %.2f | %.1f | %.1f | %.1f | %.0f |%n",
          instances,
          pushesPerSecond,
          baseline,
          pushesPerSecond / baseline,
          percentile(sorted, 0.5) / 1000.0,
          percentile(sorted, 0.99) / 1000.0,
          sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1000.0,
          pullsPerSecond);
    } finally {
      stopping = true;
      for (TandemServer server : servers) server.close();
      for (Backend backend : backends) backend.close();
      for (Database database : databases) database.close();
    }
  }

  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) return 0;
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
  }

  /** The bare transaction of {@link Scenario#baseline} in {@code writers} threads. */
  double baseline(Database database, double elapsed) throws Exception {
    try (Scenario scenario = new Scenario(database, writers, 1, "baseline")) {
      AtomicLong done = new AtomicLong();
      List<Thread> threads = new ArrayList<>();
      long deadline = System.nanoTime() + (long) (elapsed * 1e9);
      long[] startCount = new long[1];
      for (Scenario.Client client : scenario.clients) {
        Thread thread =
            new Thread(
                () -> {
                  try {
                    while (System.nanoTime() < deadline) {
                      scenario.baseline(client);
                      done.incrementAndGet();
                    }
                  } catch (Exception e) {
                    throw new RuntimeException(e);
                  }
                });
        thread.start();
        threads.add(thread);
      }
      for (Thread thread : threads) thread.join();
      return (done.get() - startCount[0]) / elapsed;
    }
  }

  /** A writer: closed-loop pushes of one message each, its send time in the content. */
  void write(HttpClient http, String base, int writer, AtomicLong pushed) {
    long id = 1;
    while (!stopping) {
      String body =
          "{\"pushVersion\":1,\"clientGroupID\":\"wg"
              + writer
              + "\",\"profileID\":\"p\",\"schemaVersion\":\"1\",\"mutations\":[{\"clientID\":\"wc"
              + writer
              + "\",\"id\":"
              + id
              + ",\"name\":\"createMessage\",\"args\":{\"id\":\"w"
              + writer
              + "-"
              + id
              + "\",\"from\":\"writer"
              + writer
              + "\",\"content\":\"t"
              + System.nanoTime()
              + "\",\"order\":"
              + id
              + "},\"timestamp\":1}]}";
      try {
        HttpResponse<String> response =
            http.send(
                post(base + "/push", "writer" + writer, body),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || !response.body().equals("{}")) {
          throw new IllegalStateException(
              "push answered " + response.statusCode() + " " + response.body());
        }
        id++;
        pushed.incrementAndGet();
      } catch (Exception e) {
        if (!stopping) throw new RuntimeException(e);
      }
    }
  }

  static HttpRequest post(String url, String user, String json) {
    return HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json")
        .header("Authorization", user)
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  /**
   * A reader: a poke stream, and a pull from its cookie after each poke (pokes that arrive during a
   * pull make one more pull). Records, for each message new in a pull, the time since it was sent.
   */
  void read(HttpClient http, String base, String name) {
    String group = name + "-" + System.identityHashCode(Thread.currentThread());
    String user = "reader";
    Object lock = new Object();
    boolean[] poked = {false};
    Thread puller =
        new Thread(
            () -> {
              String cookie = "null";
              try {
                while (!stopping) {
                  synchronized (lock) {
                    while (!poked[0] && !stopping) lock.wait(100);
                    poked[0] = false;
                  }
                  String json =
                      "{\"pullVersion\":1,\"clientGroupID\":\""
                          + group
                          + "\",\"profileID\":\"p\",\"schemaVersion\":\"1\",\"cookie\":"
                          + cookie
                          + "}";
                  String body =
                      http.send(
                              post(base + "/pull", user, json),
                              HttpResponse.BodyHandlers.ofString())
                          .body();
                  long now = System.nanoTime();
                  Matcher next = COOKIE.matcher(body);
                  if (!next.find()) throw new IllegalStateException("pull answered " + body);
                  boolean first = cookie.equals("null");
                  cookie = next.group(1);
                  if (!measuring) continue;
                  pulls.incrementAndGet();
                  if (first) continue;
                  Matcher sent = SENT.matcher(body);
                  List<Long> found = new ArrayList<>();
                  while (sent.find()) found.add((now - Long.parseLong(sent.group(1))) / 1000);
                  synchronized (latencies) {
                    latencies.addAll(found);
                  }
                }
              } catch (Exception e) {
                if (!stopping) throw new RuntimeException(e);
              }
            },
            "puller");
    puller.setDaemon(true);
    puller.start();
    try {
      HttpResponse<Stream<String>> stream =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/poke?clientGroupID=" + group))
                  .header("Authorization", user)
                  .build(),
              HttpResponse.BodyHandlers.ofLines());
      stream
          .body()
          .forEach(
              line -> {
                if (!line.startsWith("data:")) return;
                synchronized (lock) {
                  poked[0] = true;
                  lock.notifyAll();
                }
              });
    } catch (Exception e) {
      if (!stopping) throw new RuntimeException(e);
    }
  }
}
