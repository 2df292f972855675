package dev.tandem.benchmarks;

import static dev.tandem.Column.number;
import static dev.tandem.Column.string;
import static dev.tandem.benchmarks.ClientBenchmarks.deleteDatabase;
import static dev.tandem.benchmarks.ClientBenchmarks.median;

import dev.tandem.Schema;
import dev.tandem.Table;
import dev.tandem.Tandem;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * Issue 14's "done when": a 100 000-row local database upgraded by one additive schema version (a
 * new optional column, filled from each row's kept JSON) by opening it with the new schema, beside
 * a plain {@code ALTER TABLE … ADD COLUMN} on a copy of the same file, an {@code ALTER} plus an SQL
 * {@code UPDATE … json_extract} fill, and Tandem opening the same file with no schema change. Each
 * run copies the prepared file once per side; sides alternate; two warm-up rounds, then the median
 * of seven.
 */
final class UpgradeBenchmark {
  private static final int ROWS = 100_000;
  private static final int WARM_UP = 2;
  private static final int RUNS = 7;

  private UpgradeBenchmark() {}

  static Schema schema(int version) {
    Table item =
        version == 1
            ? Table.named("item").columns(string("id"), string("text"), number("n"))
            : Table.named("item")
                .columns(string("id"), string("text"), number("n"), number("score").optional());
    return Schema.builder().version(version).table(item.primaryKey("id")).build();
  }

  static void run(Path work) throws Exception {
    File prepared = work.resolve("upgrade.db").toFile();
    prepare(prepared);
    File copy = work.resolve("upgrade-copy.db").toFile();
    long[] tandem = new long[RUNS];
    long[] alter = new long[RUNS];
    long[] fill = new long[RUNS];
    long[] same = new long[RUNS];
    for (int run = -WARM_UP; run < RUNS; run++) {
      long t = timeTandem(prepared, copy, 2);
      long a = timeSql(prepared, copy, false);
      long f = timeSql(prepared, copy, true);
      long s = timeTandem(prepared, copy, 1);
      if (run >= 0) {
        tandem[run] = t;
        alter[run] = a;
        fill[run] = f;
        same[run] = s;
      }
    }
    double ms = 1e6;
    System.out.printf(
        "upgrade of a %,d-row database by one additive version (a new optional column, filled),"
            + " median of %d: tandem open with the new schema %.1f ms | plain ALTER TABLE ADD"
            + " COLUMN %.1f ms (%.0fx) | ALTER + UPDATE json_extract fill %.1f ms (%.2fx) |"
            + " tandem open, no schema change %.1f ms%n",
        ROWS,
        RUNS,
        median(tandem) / ms,
        median(alter) / ms,
        median(tandem) / (double) median(alter),
        median(fill) / ms,
        median(tandem) / (double) median(fill),
        median(same) / ms);
  }

  /** A database synced under version 1: every row as a pull leaves it, each value with a score. */
  private static void prepare(File file) throws Exception {
    deleteDatabase(file);
    Tandem.builder().databaseFile(file).schema(schema(1)).build().close();
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file.getPath())) {
      db.setAutoCommit(false);
      try (PreparedStatement insert =
          db.prepareStatement(
              "INSERT INTO t_item (_key, _json, c_id, c_text, c_n) VALUES (?, ?, ?, ?, ?)")) {
        for (int i = 0; i < ROWS; i++) {
          String id = String.format("%07d", i);
          insert.setString(1, "item/" + id);
          insert.setString(
              2,
              "{\"id\":\""
                  + id
                  + "\",\"n\":"
                  + i
                  + ",\"score\":"
                  + (i % 100)
                  + ",\"text\":\""
                  + ClientBenchmarks.TEXT
                  + "\"}");
          insert.setString(3, id);
          insert.setString(4, ClientBenchmarks.TEXT);
          insert.setDouble(5, i);
          insert.addBatch();
        }
        insert.executeBatch();
      }
      try (Statement statement = db.createStatement()) {
        statement.execute("INSERT OR REPLACE INTO tandem_meta (key, value) VALUES ('cookie', '1')");
      }
      db.commit();
    }
  }

  private static void copy(File from, File to) throws Exception {
    deleteDatabase(to);
    Files.copy(from.toPath(), to.toPath(), StandardCopyOption.REPLACE_EXISTING);
  }

  private static long timeTandem(File prepared, File copy, int version) throws Exception {
    copy(prepared, copy);
    long start = System.nanoTime();
    Tandem.builder().databaseFile(copy).schema(schema(version)).build().close();
    return System.nanoTime() - start;
  }

  private static long timeSql(File prepared, File copy, boolean fill) throws Exception {
    copy(prepared, copy);
    long start = System.nanoTime();
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + copy.getPath())) {
      db.setAutoCommit(false);
      try (Statement statement = db.createStatement()) {
        statement.execute("ALTER TABLE t_item ADD COLUMN c_score REAL");
        if (fill) statement.execute("UPDATE t_item SET c_score = json_extract(_json, '$.score')");
      }
      db.commit();
    }
    return System.nanoTime() - start;
  }
}
