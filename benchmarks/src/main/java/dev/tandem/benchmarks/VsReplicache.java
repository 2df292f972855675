package dev.tandem.benchmarks;

import com.squareup.moshi.Moshi;
import com.squareup.moshi.Types;
import dev.tandem.server.Backend;
import dev.tandem.server.ChatDomain;
import dev.tandem.server.Database;
import dev.tandem.server.HandlerResponse;
import dev.tandem.server.TandemServer;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The side-by-side benchmark: the real {@code replicache} 15.3.0 npm client (Node, {@code kvStore:
 * 'mem'}, {@code src/main/js/vs-replicache.mjs}) and Tandem ({@link TandemSide}, a fresh JVM)
 * against the same Tandem server, served in this process on embedded SQLite. Every workload runs in
 * pairs of child processes, alternating which side goes first; each figure is the median of its
 * side's runs and the ratio Replicache ÷ Tandem (above 1: Tandem ahead), with the range of the
 * per-pair ratios. Bounded: each child is killed after {@code --child-timeout} seconds.
 *
 * <p>{@code java … VsReplicache [--pairs 3] [--rows 100000] [--only mutate,drain,…] [--budget 900]
 * [--write ../BENCHMARKS.md]}: rows not started within {@code --budget} seconds are skipped; with
 * {@code --write}, the table replaces the text between the markers {@code <!-- vs-replicache:begin
 * -->} and {@code <!-- vs-replicache:end -->} of that file.
 */
public final class VsReplicache {
  private VsReplicache() {}

  private static final String BEGIN = "<!-- vs-replicache:begin -->";
  private static final String END = "<!-- vs-replicache:end -->";

  /** One row of the table: a workload, its arguments, the figures compared. */
  private static final class Row {
    final String label;
    final String workload;
    final List<String> args;
    final String[] metrics;
    final boolean seeded;

    Row(String label, String workload, boolean seeded, String[] metrics, String... args) {
      this.label = label;
      this.workload = workload;
      this.seeded = seeded;
      this.metrics = metrics;
      this.args = Arrays.asList(args);
    }
  }

  private static final class Server implements AutoCloseable {
    final Path file;
    final Database database;
    final Backend backend;
    final TandemServer http;

    Server(Path dir) throws Exception {
      file = Files.createTempFile(dir, "server-", ".db");
      Files.delete(file);
      database = Database.sqlite(file);
      backend = ChatDomain.install(Backend.builder()).database(database).build();
      http = TandemServer.start(backend, 0, 4L << 20);
    }

    String base() {
      return "http://127.0.0.1:" + http.port();
    }

    @Override
    public void close() throws Exception {
      http.close();
      for (String suffix : new String[] {"", "-wal", "-shm"}) {
        Files.deleteIfExists(Paths.get(file + suffix));
      }
    }
  }

  public static void main(String[] args) throws Exception {
    int pairs = 3;
    int rows = 100_000;
    int childTimeout = 180;
    int budget = 900;
    String write = null;
    String only = null;
    Path js = Paths.get("src/main/js");
    boolean serve = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--pairs":
          pairs = Integer.parseInt(args[++i]);
          break;
        case "--rows":
          rows = Integer.parseInt(args[++i]);
          break;
        case "--write":
          write = args[++i];
          break;
        case "--only":
          only = args[++i];
          break;
        case "--js":
          js = Paths.get(args[++i]);
          break;
        case "--child-timeout":
          childTimeout = Integer.parseInt(args[++i]);
          break;
        case "--budget":
          budget = Integer.parseInt(args[++i]);
          break;
        case "--serve":
          serve = true;
          break;
        default:
          throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path work = Files.createTempDirectory("vs-replicache-");
    if (serve) {
      // For profiling one side by hand: the seeded server until stdin closes.
      try (Server seeded = seed(new Server(work), rows)) {
        System.out.println(
            seeded.base() + " lastid=" + String.format(Locale.ROOT, "m%07d", rows - 1));
        while (System.in.read() >= 0) {}
      } finally {
        ClientBenchmarks.deleteRecursively(work);
      }
      return;
    }
    Path script = install(js, Paths.get("target/vs-replicache"));
    String lastID = String.format(Locale.ROOT, "m%07d", rows - 1);
    String rowsArg = "rows=" + rows;
    String lastArg = "lastid=" + lastID;
    String[] time2 = {"p50", "p99"};
    List<Row> table = new ArrayList<>();
    table.add(new Row("`mutate`, online (pushes, pulls on pokes)", "mutate", false, time2));
    table.add(new Row("`mutate`, offline", "mutate", false, time2, "online=false"));
    // The same online writes after 20 000 unmeasured ones: the JIT has compiled both sides' paths
    // (in the rows above, measured from the 2 001st write, part of Tandem's runs in C1 code).
    table.add(
        new Row(
            "`mutate`, online, warm (20 000 measured after 20 000)",
            "mutate",
            false,
            time2,
            "warmup=20000",
            "count=20000"));
    table.add(
        new Row(
            "first pull of " + rows + " rows, fresh process",
            "firstpull",
            true,
            new String[] {"median", "bootMs", "peakRssMiB"},
            "fresh=true",
            rowsArg,
            lastArg));
    table.add(
        new Row(
            "first pull of " + rows + " rows, warm (median of 2 after 1)",
            "firstpull",
            true,
            new String[] {"median", "peakHeapMiB"},
            "warmup=1",
            "runs=2",
            rowsArg,
            lastArg));
    table.add(
        new Row("drain of 5 000 offline mutations", "drain", false, m("median"), "count=5000"));
    table.add(
        new Row("drain of 10 000 offline mutations", "drain", false, m("median"), "count=10000"));
    table.add(new Row("A→B through a poke", "poke", false, new String[] {"p50", "p95"}));
    table.add(
        new Row(
            "reactive loop (100 subscriptions, a write changing 5)",
            "reactive",
            false,
            new String[] {"p50", "p95"}));

    long began = System.nanoTime();
    StringBuilder out = new StringBuilder();
    out.append(
            "| workload | figure | Replicache (median) | Tandem (median) | Replicache ÷ Tandem |")
        .append(" pair ratios |\n|---|---|---:|---:|---:|---:|\n");
    try (Server seeded = needsSeed(only) ? seed(new Server(work), rows) : null) {
      for (Row row : table) {
        if (only != null && !Arrays.asList(only.split(",")).contains(row.workload)) continue;
        if ((System.nanoTime() - began) / 1e9 > budget) {
          out.append("| ").append(row.label).append(" | not run: over the time budget | | | | |\n");
          continue;
        }
        List<Map<String, Object>> replicache = new ArrayList<>();
        List<Map<String, Object>> tandem = new ArrayList<>();
        List<Map<String, Object>> floor = new ArrayList<>();
        // The fresh first pull also runs the bare-JVM floor (FreshFloor); the sides rotate, so
        // each runs first, second and third once in three pairs.
        boolean withFloor = row.args.contains("fresh=true");
        for (int pair = 0; pair < pairs; pair++) {
          List<String> order =
              new ArrayList<>(
                  withFloor
                      ? Arrays.asList("replicache", "tandem", "floor")
                      : Arrays.asList("replicache", "tandem"));
          java.util.Collections.rotate(order, withFloor ? -pair : pair);
          for (String side : order) {
            Server server = row.seeded ? seeded : new Server(work);
            try {
              List<String> command = new ArrayList<>();
              if (side.equals("replicache")) {
                command.addAll(Arrays.asList("node", script.toString()));
              } else {
                command.addAll(
                    Arrays.asList(
                        "java",
                        "-Xmx512m",
                        "-cp",
                        clientClassPath(),
                        (side.equals("tandem") ? TandemSide.class : FreshFloor.class).getName()));
              }
              command.add(server.base());
              command.add(row.workload);
              command.addAll(row.args);
              Map<String, Object> result = run(command, childTimeout);
              System.err.println(row.label + ": " + result);
              (side.equals("replicache") ? replicache : side.equals("tandem") ? tandem : floor)
                  .add(result);
            } finally {
              if (server != seeded) server.close();
            }
          }
        }
        for (String metric : row.metrics) {
          out.append(line(row, metric, replicache, tandem));
          if (withFloor && metric.equals("median")) out.append(freshFloorLine(row, tandem, floor));
        }
        if (row.workload.equals("mutate")) {
          for (String p : new String[] {"p50", "p99"}) {
            out.append(floorLine(row, p, tandem, "bare SQLite transaction"));
          }
          for (String p : new String[] {"p50", "p99"}) {
            out.append(
                floorLine(
                    row,
                    p,
                    tandem,
                    "bare SQLite transaction, its checkpoints on a second connection as Tandem's",
                    "floorBg"));
          }
        }
        if (row.workload.equals("reactive")) {
          for (String p : new String[] {"p50", "p95"}) {
            out.append(
                floorLine(row, p, tandem, "the same commit + 5 raw JDBC prefix scans, inline"));
          }
        }
      }
    } finally {
      ClientBenchmarks.deleteRecursively(work);
    }
    String markdown =
        out.append(
                String.format(
                    Locale.ROOT,
                    "\n%d pairs per row, alternating which side runs first; %.0f s in all.%n",
                    pairs,
                    (System.nanoTime() - began) / 1e9))
            .toString();
    System.out.println(markdown);
    if (write != null) replaceSection(Paths.get(write), markdown);
  }

  /** What a client app's class path has: the client and its runtime dependencies. */
  private static final List<String> CLIENT_JARS =
      Arrays.asList(
          "tandem-sdk-core",
          "tandem-protocol",
          "tandem-app-definition",
          "tandem-benchmarks",
          "moshi",
          "okio",
          "okhttp",
          "kotlin-stdlib",
          "annotations",
          "rxjava",
          "reactive-streams",
          "sqlite-jdbc");

  private static final List<String> CLIENT_MODULES =
      Arrays.asList("sdk-core", "protocol", "app-definition", "benchmarks");

  /**
   * The JVM children's class path: the benchmark's own classes, Tandem's client and its runtime
   * dependencies, as an app has them; not the server's (Jetty, Postgres, slf4j …) that this harness
   * needs. Class loading searches the path in order, and a library that finds slf4j (as
   * sqlite-jdbc's logger does) scans it for providers: a fresh process would pay for jars no client
   * ships.
   */
  static String clientClassPath() {
    List<String> kept = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Paths.get(entry);
      String name = path.getFileName().toString();
      boolean keep = false;
      if (name.endsWith(".jar")) {
        for (String prefix : CLIENT_JARS) keep |= name.startsWith(prefix);
      } else if (path.getParent() != null && path.getParent().getParent() != null) {
        String module = path.getParent().getParent().getFileName().toString();
        keep = CLIENT_MODULES.contains(module); // …/<module>/target/classes
      }
      if (keep) kept.add(entry);
    }
    return String.join(File.pathSeparator, kept);
  }

  private static String[] m(String... metrics) {
    return metrics;
  }

  private static boolean needsSeed(String only) {
    return only == null || Arrays.asList(only.split(",")).contains("firstpull");
  }

  /** {@code rows} chat messages through the backend, in pushes of 1 000. */
  private static Server seed(Server server, int rows) {
    int batch = 1000;
    int id = 0;
    for (int from = 0; from < rows; from += batch) {
      StringBuilder body =
          new StringBuilder("{\"pushVersion\":1,\"clientGroupID\":\"seed-group\",")
              .append("\"profileID\":\"seed\",\"schemaVersion\":\"1\",\"mutations\":[");
      for (int i = from; i < Math.min(rows, from + batch); i++) {
        if (i > from) body.append(',');
        body.append("{\"clientID\":\"seed-client\",\"id\":")
            .append(++id)
            .append(",\"name\":\"createMessage\",\"args\":{\"id\":\"")
            .append(String.format(Locale.ROOT, "m%07d", i))
            .append("\",\"from\":\"seed\",\"content\":\"message ")
            .append(i)
            .append(" of the side-by-side benchmark\",\"order\":")
            .append(i)
            .append("},\"timestamp\":")
            .append(i)
            .append('}');
      }
      body.append("]}");
      HandlerResponse response =
          server.backend.push(
              "seed", new ByteArrayInputStream(body.toString().getBytes(StandardCharsets.UTF_8)));
      if (response.status() != 200) throw new IllegalStateException("seed: " + response.body());
    }
    return server;
  }

  private static String line(
      Row row,
      String metric,
      List<Map<String, Object>> replicache,
      List<Map<String, Object>> tandem) {
    double[] r = values(replicache, metric);
    double[] t = values(tandem, metric);
    double low = Double.MAX_VALUE;
    double high = 0;
    for (int i = 0; i < Math.min(r.length, t.length); i++) {
      double ratio = r[i] / t[i];
      low = Math.min(low, ratio);
      high = Math.max(high, ratio);
    }
    double rm = median(r);
    double tm = median(t);
    return String.format(
        Locale.ROOT,
        "| %s | %s | %s | %s | %.2f | %.2f–%.2f |%n",
        row.label,
        figureName(metric),
        format(metric, rm),
        format(metric, tm),
        rm / tm,
        low,
        high);
  }

  /**
   * Tandem beside the durable-commit floor measured in its own process (a bare SQLite transaction
   * of the same writes), as Tandem ÷ floor: how close {@code mutate} is to what any durable write
   * costs. Replicache's memory store has no such floor.
   */
  private static String floorLine(
      Row row, String metric, List<Map<String, Object>> tandem, String floorName) {
    return floorLine(row, metric, tandem, floorName, "floor");
  }

  private static String floorLine(
      Row row, String metric, List<Map<String, Object>> tandem, String floorName, String prefix) {
    String floorMetric = prefix + Character.toUpperCase(metric.charAt(0)) + metric.substring(1);
    double[] t = values(tandem, metric);
    double[] f = values(tandem, floorMetric);
    double low = Double.MAX_VALUE;
    double high = 0;
    for (int i = 0; i < t.length; i++) {
      low = Math.min(low, t[i] / f[i]);
      high = Math.max(high, t[i] / f[i]);
    }
    return String.format(
        Locale.ROOT,
        "| %s | %s: Tandem ÷ %s (same process, alternating) | %s (floor) | %s |"
            + " %.2f (Tandem ÷ floor) | %.2f–%.2f |%n",
        row.label,
        metric,
        floorName,
        format(metric, median(f)),
        format(metric, median(t)),
        median(t) / median(f),
        low,
        high);
  }

  /**
   * Tandem's fresh first pull beside the bare-JVM floor run in the same pairs ({@link FreshFloor}:
   * one HTTP request, a streaming parse, raw xerial batched inserts), as Tandem ÷ floor.
   */
  private static String freshFloorLine(
      Row row, List<Map<String, Object>> tandem, List<Map<String, Object>> floor) {
    double[] t = values(tandem, "median");
    double[] f = values(floor, "median");
    double low = Double.MAX_VALUE;
    double high = 0;
    for (int i = 0; i < Math.min(t.length, f.length); i++) {
      low = Math.min(low, t[i] / f[i]);
      high = Math.max(high, t[i] / f[i]);
    }
    return String.format(
        Locale.ROOT,
        "| %s | time: Tandem ÷ bare-JVM floor (one HTTP request, streaming parse, raw xerial"
            + " batched inserts; fresh process, same pairs) | %s (floor) | %s | %.2f (Tandem ÷"
            + " floor) | %.2f–%.2f |%n",
        row.label,
        format("median", median(f)),
        format("median", median(t)),
        median(t) / median(f),
        low,
        high);
  }

  private static String figureName(String metric) {
    switch (metric) {
      case "median":
        return "time";
      case "bootMs":
        return "runtime start before `main` (not in the time above)";
      case "peakRssMiB":
        return "peak RSS of the process";
      case "peakHeapMiB":
        return "peak heap in use (sampled)";
      default:
        return metric;
    }
  }

  private static String format(String metric, double value) {
    if (metric.endsWith("MiB")) return String.format(Locale.ROOT, "%.0f MiB", value);
    if (metric.equals("bootMs")) return String.format(Locale.ROOT, "%.0f ms", value);
    if (value >= 10_000) return String.format(Locale.ROOT, "%.0f ms", value / 1e3);
    if (value >= 1_000) return String.format(Locale.ROOT, "%.1f ms", value / 1e3);
    return String.format(Locale.ROOT, "%.0f µs", value);
  }

  private static double[] values(List<Map<String, Object>> results, String metric) {
    double[] values = new double[results.size()];
    for (int i = 0; i < values.length; i++) {
      Object value = results.get(i).get(metric);
      if (!(value instanceof Number)) {
        throw new IllegalStateException("no " + metric + " in " + results.get(i));
      }
      values[i] = ((Number) value).doubleValue();
    }
    return values;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** Runs a child, its stderr passed through, and parses the last line of its stdout. */
  private static Map<String, Object> run(List<String> command, int timeoutSeconds)
      throws Exception {
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String stdout;
    try (InputStream in = process.getInputStream()) {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("timed out after " + timeoutSeconds + " s: " + command);
      }
      stdout = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
    String last = stdout.substring(stdout.lastIndexOf('\n') + 1);
    Map<String, Object> result =
        new Moshi.Builder()
            .build()
            .<Map<String, Object>>adapter(
                Types.newParameterizedType(Map.class, String.class, Object.class))
            .fromJson(last);
    if (result == null || result.containsKey("error") || process.exitValue() != 0) {
      throw new IllegalStateException("failed: " + command.get(0) + " " + last);
    }
    return result;
  }

  /** Copies the Node side to {@code target} and installs replicache there with npm ci. */
  private static Path install(Path js, Path target) throws Exception {
    Files.createDirectories(target);
    for (String name : new String[] {"package.json", "package-lock.json", "vs-replicache.mjs"}) {
      Files.copy(js.resolve(name), target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
    if (!Files.exists(target.resolve("node_modules/replicache/package.json"))) {
      Process npm =
          new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
              .directory(target.toFile())
              .inheritIO()
              .start();
      if (!npm.waitFor(300, TimeUnit.SECONDS) || npm.exitValue() != 0) {
        npm.destroyForcibly();
        throw new IllegalStateException("npm ci failed in " + target);
      }
    }
    return target.resolve("vs-replicache.mjs").toAbsolutePath();
  }

  private static void replaceSection(Path file, String markdown) throws IOException {
    String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalStateException(file + " has no " + BEGIN + " … " + END + " section");
    }
    String updated =
        text.substring(0, begin + BEGIN.length()) + "\n" + markdown + text.substring(end);
    Files.write(file, updated.getBytes(StandardCharsets.UTF_8));
  }
}
