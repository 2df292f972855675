package dev.tandem.benchmarks;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Properties;

/**
 * Where {@code mutate}'s distance to the durable-commit floor is in SQL alone: the floor's bare
 * transaction (upsert the row, insert the queue record, commit; WAL, {@code synchronous=NORMAL};
 * the queue keyed by a plain {@code INTEGER PRIMARY KEY}) beside the same with the queue numbered
 * by {@code AUTOINCREMENT} (whose high-water mark in {@code sqlite_sequence} is a page of its own),
 * store version 2's SQL (an undo record in {@code tandem_undo}, a queue with {@code UNIQUE
 * (client_id, id)}, {@code AUTOINCREMENT}), version 3's (the undo entry read by a {@code SELECT}
 * and kept in the queue record, no index, {@code AUTOINCREMENT}) and version 4's (the same without
 * {@code AUTOINCREMENT}), no Java work around any of them, and the floor with {@code AUTOINCREMENT}
 * as the floors ran before the fourth round (xerial's generated keys, {@code BEGIN}/{@code COMMIT}
 * parsed per write): six SQLite files in one process, rotating per write; each write a new key.
 *
 * <p>Run: {@code java -cp … dev.tandem.benchmarks.ClientBenchmarks mutatesql} (by name only).
 */
final class MutateSql {
  private MutateSql() {}

  private static final class Variant {
    final String name;
    final boolean undo;
    final boolean undoInQueue;
    final boolean driverDefaults;
    final Connection db;
    final Statement control;
    final PreparedStatement begin;
    final PreparedStatement commit;
    final PreparedStatement recordUndo;
    final PreparedStatement readPrior;
    final PreparedStatement upsert;
    final PreparedStatement queue;

    /**
     * With {@code driverDefaults}, the connection keeps xerial's generated keys and {@code
     * BEGIN}/{@code COMMIT} are parsed on every write: how the floors ran before issue 15's fourth
     * round.
     */
    Variant(
        Path work,
        String name,
        boolean undo,
        boolean tandemQueue,
        boolean undoInQueue,
        boolean driverDefaults,
        boolean autoincrement)
        throws Exception {
      this.name = name;
      this.undo = undo;
      this.undoInQueue = undoInQueue;
      this.driverDefaults = driverDefaults;
      Properties properties = new Properties();
      properties.setProperty("journal_mode", "WAL");
      properties.setProperty("synchronous", "NORMAL");
      if (!driverDefaults) properties.setProperty("jdbc.get_generated_keys", "false"); // As Tandem.
      db =
          org.sqlite.JDBC.createConnection(
              "jdbc:sqlite:" + work.resolve("mutatesql-" + name.replace(' ', '-') + ".db"),
              properties);
      control = db.createStatement();
      begin = db.prepareStatement("BEGIN IMMEDIATE"); // Prepared once, as Tandem's driver keeps it.
      commit = db.prepareStatement("COMMIT");
      control.execute(
          "CREATE TABLE tandem_kv (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)"
              + " WITHOUT ROWID");
      control.execute(
          "CREATE TABLE tandem_undo (key TEXT PRIMARY KEY NOT NULL, prior TEXT) WITHOUT ROWID");
      control.execute(
          "CREATE TABLE tandem_pending (seq INTEGER PRIMARY KEY"
              + (autoincrement ? " AUTOINCREMENT," : ",")
              + " client_id TEXT NOT NULL, id INTEGER NOT NULL, name TEXT NOT NULL,"
              + " args TEXT NOT NULL, timestamp REAL NOT NULL,"
              + " schema_version TEXT NOT NULL DEFAULT '', undo TEXT"
              + (tandemQueue ? ", UNIQUE (client_id, id))" : ")"));
      recordUndo =
          db.prepareStatement(
              "INSERT OR IGNORE INTO tandem_undo (key, prior)"
                  + " VALUES (?, (SELECT value FROM tandem_kv WHERE key = ?))");
      readPrior =
          db.prepareStatement(
              "SELECT EXISTS (SELECT 1 FROM tandem_undo WHERE key = ?),"
                  + " (SELECT value FROM tandem_kv WHERE key = ?)");
      upsert = db.prepareStatement("INSERT OR REPLACE INTO tandem_kv (key, value) VALUES (?, ?)");
      queue =
          db.prepareStatement(
              "INSERT INTO tandem_pending"
                  + " (client_id, id, name, args, timestamp, schema_version, undo)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?)");
    }

    long write(int i, String json) throws Exception {
      String key = "message/m-" + i;
      long start = System.nanoTime();
      if (driverDefaults) {
        control.execute("BEGIN IMMEDIATE");
      } else {
        begin.execute();
      }
      if (undo) {
        recordUndo.setString(1, key);
        recordUndo.setString(2, key);
        recordUndo.executeUpdate();
      }
      String undoEntry = null;
      if (undoInQueue) {
        readPrior.setString(1, key);
        readPrior.setString(2, key);
        try (java.sql.ResultSet prior = readPrior.executeQuery()) {
          prior.next();
          String value = prior.getInt(1) != 0 ? null : prior.getString(2);
          undoEntry =
              key.length() + ":" + key + (value == null ? "-" : value.length() + ":" + value);
        }
      }
      upsert.setString(1, key);
      upsert.setString(2, json);
      upsert.executeUpdate();
      queue.setString(1, "d3mbj5n8fklb76n4ng00");
      queue.setLong(2, i + 1);
      queue.setString(3, "createMessage");
      queue.setString(4, json);
      queue.setDouble(5, i);
      queue.setString(6, "1");
      queue.setString(7, undoEntry);
      queue.executeUpdate();
      if (driverDefaults) {
        control.execute("COMMIT");
      } else {
        commit.execute();
      }
      return System.nanoTime() - start;
    }
  }

  static void run(Path work) throws Exception {
    int warmup = 3_000;
    int count = 12_000;
    Variant[] variants = {
      new Variant(work, "floor", false, false, false, false, false),
      new Variant(work, "floor + AUTOINCREMENT", false, false, false, false, true),
      new Variant(work, "store v2's SQL", true, true, false, false, true),
      new Variant(work, "store v3's SQL", false, false, true, false, true),
      new Variant(work, "store v4's SQL", false, false, true, false, false),
      new Variant(work, "floor + AI, driver defaults", false, false, false, true, true)
    };
    long[][] nanos = new long[variants.length][count];
    for (int i = 0; i < warmup + count; i++) {
      String json =
          "{\"from\":\"bench\",\"content\":\"message "
              + i
              + " of the side-by-side benchmark\",\"order\":"
              + i
              + "}";
      for (int k = 0; k < variants.length; k++) {
        int v = (k + i) % variants.length; // Each variant in each place in turn.
        long elapsed = variants[v].write(i, json);
        if (i >= warmup) nanos[v][i - warmup] = elapsed;
      }
    }
    double floor = ClientBenchmarks.percentile(nanos[0], 50) / 1e3;
    System.out.printf("mutate's SQL against the floor (%d writes each, rotating):%n", count);
    for (int v = 0; v < variants.length; v++) {
      double p50 = ClientBenchmarks.percentile(nanos[v], 50) / 1e3;
      System.out.printf(
          "  %-28s p50 %6.1f us  p99 %7.1f us  ÷ floor %.2f%n",
          variants[v].name, p50, ClientBenchmarks.percentile(nanos[v], 99) / 1e3, p50 / floor);
      variants[v].db.close();
    }
  }
}
