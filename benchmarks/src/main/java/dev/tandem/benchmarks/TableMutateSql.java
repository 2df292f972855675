package dev.tandem.benchmarks;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;

/**
 * Where a schema table's insert ({@code tablemutate}) stands against its raw row transaction in SQL
 * alone, no Java around it: the raw side of {@code tablemutate} (insert the row into a table of
 * Tandem's shape for it, insert the queue record, commit), Tandem's statements before branch {@code
 * tablemut} (the row's existence read from its table and from {@code tandem_kv}, {@code INSERT OR
 * REPLACE}, the removal of an earlier plain value, the queue record with its undo entry) and now
 * (one {@code INSERT OR IGNORE … SELECT … WHERE NOT EXISTS} in {@code tandem_kv}, the record), and
 * now with the pragmas Tandem's writer runs with ({@code cache_size=-16384}, {@code
 * wal_autocheckpoint=4000}; its background checkpoints are not run here). Four SQLite files in one
 * process, rotating per write; each write a new row.
 *
 * <p>Run: {@code java -cp … dev.tandem.benchmarks.ClientBenchmarks tablemutatesql} (by name only).
 */
final class TableMutateSql {
  private TableMutateSql() {}

  private enum Shape {
    RAW("raw row + queue tx"),
    BEFORE("Tandem's SQL before"),
    NOW("Tandem's SQL now"),
    NOW_WRITER("now, writer's pragmas");

    final String name;

    Shape(String name) {
      this.name = name;
    }
  }

  private static final class Variant {
    final Shape shape;
    final Connection db;
    final PreparedStatement begin;
    final PreparedStatement commit;
    final PreparedStatement readRow;
    final PreparedStatement readPlain;
    final PreparedStatement replace;
    final PreparedStatement removePlain;
    final PreparedStatement insert;
    final PreparedStatement queue;

    Variant(Path work, Shape shape) throws Exception {
      this.shape = shape;
      Properties properties = new Properties();
      properties.setProperty("journal_mode", "WAL");
      properties.setProperty("synchronous", "NORMAL");
      properties.setProperty("jdbc.get_generated_keys", "false"); // As Tandem.
      if (shape == Shape.NOW_WRITER) properties.setProperty("cache_size", "-16384");
      db =
          org.sqlite.JDBC.createConnection(
              "jdbc:sqlite:" + work.resolve("tablemutatesql-" + shape.name() + ".db"), properties);
      try (Statement control = db.createStatement()) {
        if (shape == Shape.NOW_WRITER) control.execute("PRAGMA wal_autocheckpoint=4000");
        control.execute(
            "CREATE TABLE tandem_kv (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)"
                + " WITHOUT ROWID");
        control.execute(
            "CREATE TABLE t_item (_key TEXT PRIMARY KEY NOT NULL, _json TEXT NOT NULL, c_id TEXT,"
                + " c_text TEXT, c_n REAL) WITHOUT ROWID");
        control.execute(
            shape == Shape.RAW
                ? "CREATE UNIQUE INDEX i_item_pk ON t_item (c_id)"
                : "CREATE INDEX i_item_pk ON t_item (c_id)");
        control.execute(
            shape == Shape.RAW
                ? "CREATE TABLE tandem_pending (seq INTEGER PRIMARY KEY, client_id TEXT, id INTEGER,"
                    + " name TEXT, args TEXT, timestamp REAL)"
                : "CREATE TABLE tandem_pending (seq INTEGER PRIMARY KEY, client_id TEXT NOT NULL,"
                    + " id INTEGER NOT NULL, name TEXT NOT NULL, args TEXT NOT NULL, timestamp REAL"
                    + " NOT NULL, schema_version TEXT NOT NULL DEFAULT '', undo TEXT)");
      }
      begin = db.prepareStatement("BEGIN IMMEDIATE"); // Prepared once, as Tandem's driver keeps it.
      commit = db.prepareStatement("COMMIT");
      String columns = "(_key, _json, c_id, c_text, c_n)";
      readRow = db.prepareStatement("SELECT _json FROM t_item WHERE _key = ?");
      readPlain = db.prepareStatement("SELECT value FROM tandem_kv WHERE key = ?");
      replace =
          db.prepareStatement(
              "INSERT OR REPLACE INTO t_item " + columns + " VALUES (?, ?, ?, ?, ?)");
      removePlain = db.prepareStatement("DELETE FROM tandem_kv WHERE key = ?");
      insert =
          db.prepareStatement(
              shape == Shape.RAW
                  ? "INSERT INTO t_item " + columns + " VALUES (?, ?, ?, ?, ?)"
                  : "INSERT OR IGNORE INTO t_item "
                      + columns
                      + " SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS"
                      + " (SELECT 1 FROM tandem_kv WHERE key = ?)");
      queue =
          db.prepareStatement(
              shape == Shape.RAW
                  ? "INSERT INTO tandem_pending (client_id, id, name, args, timestamp)"
                      + " VALUES (?, ?, ?, ?, ?)"
                  : "INSERT INTO tandem_pending"
                      + " (seq, client_id, id, name, args, timestamp, schema_version, undo)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    }

    private static void bindRow(PreparedStatement row, String key, String json, int i)
        throws Exception {
      row.setString(1, key);
      row.setString(2, json);
      row.setString(3, "i" + i);
      row.setString(4, ClientBenchmarks.TEXT);
      row.setDouble(5, i);
    }

    private static boolean exists(PreparedStatement read, String key) throws Exception {
      read.setString(1, key);
      try (ResultSet rows = read.executeQuery()) {
        return rows.next();
      }
    }

    long write(int i, String json) throws Exception {
      String key = "item/i" + i;
      long start = System.nanoTime();
      begin.execute();
      switch (shape) {
        case RAW:
          bindRow(insert, key, json, i);
          insert.executeUpdate();
          break;
        case BEFORE:
          if (exists(readRow, key) || exists(readPlain, key)) throw new AssertionError(key);
          bindRow(replace, key, json, i);
          replace.executeUpdate();
          removePlain.setString(1, key);
          removePlain.executeUpdate();
          break;
        default:
          bindRow(insert, key, json, i);
          insert.setString(6, key);
          if (insert.executeUpdate() != 1) throw new AssertionError(key);
      }
      if (shape == Shape.RAW) {
        queue.setString(1, "client");
        queue.setLong(2, i + 1);
        queue.setString(3, "insertItem");
        queue.setString(4, json);
        queue.setDouble(5, i);
      } else {
        queue.setLong(1, i + 1);
        queue.setString(2, "d3mbj5n8fklb76n4ng00");
        queue.setLong(3, i + 1);
        queue.setString(4, "insertItem");
        queue.setString(5, json);
        queue.setDouble(6, i);
        queue.setString(7, "1");
        queue.setString(8, key.length() + ":" + key + "-");
      }
      queue.executeUpdate();
      commit.execute();
      return System.nanoTime() - start;
    }
  }

  static void run(Path work) throws Exception {
    int warmup = 5_000;
    int count = 20_000;
    Variant[] variants = new Variant[Shape.values().length];
    for (Shape shape : Shape.values()) variants[shape.ordinal()] = new Variant(work, shape);
    long[][] nanos = new long[variants.length][count];
    for (int i = 0; i < warmup + count; i++) {
      String json =
          "{\"id\":\"i" + i + "\",\"text\":\"" + ClientBenchmarks.TEXT + "\",\"n\":" + i + "}";
      for (int k = 0; k < variants.length; k++) {
        int v = (k + i) % variants.length; // Each variant in each place in turn.
        long elapsed = variants[v].write(i, json);
        if (i >= warmup) nanos[v][i - warmup] = elapsed;
      }
    }
    double raw = ClientBenchmarks.percentile(nanos[0], 50) / 1e3;
    System.out.printf(
        "a table row's SQL against its raw transaction (%d writes each, rotating):%n", count);
    for (int v = 0; v < variants.length; v++) {
      double p50 = ClientBenchmarks.percentile(nanos[v], 50) / 1e3;
      System.out.printf(
          "  %-24s p50 %6.1f us  p99 %7.1f us  ÷ raw %.2f%n",
          variants[v].shape.name, p50, ClientBenchmarks.percentile(nanos[v], 99) / 1e3, p50 / raw);
      variants[v].db.close();
    }
  }
}
