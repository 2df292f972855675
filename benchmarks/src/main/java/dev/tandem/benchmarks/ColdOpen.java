package dev.tandem.benchmarks;

import static dev.tandem.benchmarks.ClientBenchmarks.median;

import dev.tandem.KeyValue;
import dev.tandem.ScanOptions;
import dev.tandem.Tandem;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;

/**
 * Cold open: a fresh JVM opens a 100 000-row database and reads the first 100 rows, with Tandem
 * (local only, and with a server URL) and with a bare xerial connection running the same read. Each
 * side runs in its own process, alternating, five times; the child prints its own elapsed time from
 * its first line of {@code main} (JVM start-up itself is left out of both sides).
 */
final class ColdOpen {
  private static final int ROWS = 100_000;
  private static final int RUNS = 5;

  private ColdOpen() {}

  static void run(Path work) throws Exception {
    File database = work.resolve("cold.db").toFile();
    try (Tandem tandem =
        Tandem.builder().databaseFile(database).mutator("put", Row.class, ColdOpen::put).build()) {
      // Rows as a pull would leave them: plain keys in the client view.
      tandem.mutate("put", new Row(ROWS));
    }
    String[] sides = {"jdbc", "local", "server"};
    long[][] millis = new long[sides.length][RUNS];
    for (int run = 0; run < RUNS; run++) {
      for (int side = 0; side < sides.length; side++) {
        millis[side][run] = child(sides[side], database);
      }
    }
    long jdbc = median(millis[0]);
    System.out.printf(
        "cold open of a %,d-row database + first 100 rows, fresh process, median of %d:"
            + " bare xerial connection %d ms | tandem local %d ms (%.2fx) | tandem with a server URL"
            + " %d ms (%.2fx)%n",
        ROWS,
        RUNS,
        jdbc,
        median(millis[1]),
        median(millis[1]) / (double) jdbc,
        median(millis[2]),
        median(millis[2]) / (double) jdbc);
  }

  /** The args of the mutator that fills the database. */
  static final class Row {
    int count;

    Row(int count) {
      this.count = count;
    }
  }

  private static void put(dev.tandem.WriteTransaction tx, Row row) {
    for (int i = 0; i < row.count; i++) {
      tx.put(String.format("item/%07d", i), "value " + i);
    }
  }

  private static long child(String side, File database) throws Exception {
    Process process =
        new ProcessBuilder(
                System.getProperty("java.home") + "/bin/java",
                "-cp",
                VsReplicache.clientClassPath(), // A client's class path, not the harness's.
                ColdOpen.class.getName(),
                side,
                database.getPath())
            .redirectErrorStream(true)
            .start();
    String last = null;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) last = line;
    }
    if (process.waitFor() != 0 || last == null) throw new IllegalStateException(side + ": " + last);
    return Long.parseLong(last.trim());
  }

  /** In the child: open, read the first 100 rows, print the elapsed milliseconds. */
  public static void main(String[] args) throws Exception {
    long start = System.nanoTime();
    File database = new File(args[1]);
    int read = 0;
    if (args[0].equals("jdbc")) {
      try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + database);
          PreparedStatement query =
              db.prepareStatement("SELECT key, value FROM tandem_kv ORDER BY key LIMIT 100");
          ResultSet rows = query.executeQuery()) {
        while (rows.next()) read++;
      }
    } else {
      Tandem.Builder builder = Tandem.builder().databaseFile(database);
      if (args[0].equals("server")) {
        builder.serverUrl("http://127.0.0.1:9/api").networkAvailable(false);
      }
      try (Tandem tandem = builder.build()) {
        List<KeyValue> rows = tandem.query(tx -> tx.scan(ScanOptions.prefix("item/").limit(100)));
        read = rows.size();
      }
    }
    if (read != 100) throw new IllegalStateException("read " + read + " rows");
    System.out.println((System.nanoTime() - start) / 1_000_000);
  }
}
