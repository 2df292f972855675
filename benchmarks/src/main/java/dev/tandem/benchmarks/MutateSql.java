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
 * {@code AUTOINCREMENT}), first as it was, then as Tandem writes a new plain key now (the put tried
 * as {@code INSERT OR IGNORE}, which for a new key is the write and its "absent" entry at once), no
 * Java work around any of them, and the floor with {@code AUTOINCREMENT} as the floors ran before
 * the fourth round (xerial's generated keys, {@code BEGIN}/{@code COMMIT} parsed per write): seven
 * SQLite files in one process, rotating per write; each write a new key.
 *
 * <p>Run: {@code java -cp … dev.tandem.benchmarks.ClientBenchmarks mutatesql} (by name only).
 */
final class MutateSql {
  private MutateSql() {}

  /** What a variant's transaction writes besides the floor's upsert, queue record and commit. */
  private enum Shape {
    FLOOR("floor", false, false, false, false, false, false),
    FLOOR_AUTOINCREMENT("floor + AUTOINCREMENT", false, false, false, false, true, false),
    V2("store v2's SQL", true, true, false, false, true, false),
    V3("store v3's SQL", false, false, true, false, true, false),
    V4_READ_FIRST("store v4, prior read first", false, false, true, false, false, false),
    V4_INSERT_FIRST("store v4, insert first", false, false, true, true, false, false),
    FLOOR_DRIVER_DEFAULTS("floor + AI, driver defaults", false, false, false, false, true, true);

    final String name;

    /** An undo row in {@code tandem_undo} (store v2). */
    final boolean undoRow;

    /** The queue's {@code UNIQUE (client_id, id)} (store v2). */
    final boolean uniqueQueue;

    /** The prior value read by a {@code SELECT}, the entry kept in the record (v3, v4). */
    final boolean undoInQueue;

    /** The put tried as {@code INSERT OR IGNORE} first: for a new key, the write and the entry. */
    final boolean insertFirst;

    final boolean autoincrement;

    /**
     * The connection keeps xerial's generated keys and {@code BEGIN}/{@code COMMIT} are parsed on
     * every write: how the floors ran before issue 15's fourth round.
     */
    final boolean driverDefaults;

    Shape(
        String name,
        boolean undoRow,
        boolean uniqueQueue,
        boolean undoInQueue,
        boolean insertFirst,
        boolean autoincrement,
        boolean driverDefaults) {
      this.name = name;
      this.undoRow = undoRow;
      this.uniqueQueue = uniqueQueue;
      this.undoInQueue = undoInQueue;
      this.insertFirst = insertFirst;
      this.autoincrement = autoincrement;
      this.driverDefaults = driverDefaults;
    }
  }

  private static final class Variant {
    final Shape shape;
    final Connection db;
    final Statement control;
    final PreparedStatement begin;
    final PreparedStatement commit;
    final PreparedStatement recordUndo;
    final PreparedStatement readPrior;
    final PreparedStatement insertIfAbsent;
    final PreparedStatement upsert;
    final PreparedStatement queue;

    Variant(Path work, Shape shape) throws Exception {
      this.shape = shape;
      Properties properties = new Properties();
      properties.setProperty("journal_mode", "WAL");
      properties.setProperty("synchronous", "NORMAL");
      if (!shape.driverDefaults) {
        properties.setProperty("jdbc.get_generated_keys", "false"); // As Tandem.
      }
      db =
          org.sqlite.JDBC.createConnection(
              "jdbc:sqlite:" + work.resolve("mutatesql-" + shape.name() + ".db"), properties);
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
              + (shape.autoincrement ? " AUTOINCREMENT," : ",")
              + " client_id TEXT NOT NULL, id INTEGER NOT NULL, name TEXT NOT NULL,"
              + " args TEXT NOT NULL, timestamp REAL NOT NULL,"
              + " schema_version TEXT NOT NULL DEFAULT '', undo TEXT"
              + (shape.uniqueQueue ? ", UNIQUE (client_id, id))" : ")"));
      recordUndo =
          db.prepareStatement(
              "INSERT OR IGNORE INTO tandem_undo (key, prior)"
                  + " VALUES (?, (SELECT value FROM tandem_kv WHERE key = ?))");
      readPrior =
          db.prepareStatement(
              "SELECT EXISTS (SELECT 1 FROM tandem_undo WHERE key = ?),"
                  + " (SELECT value FROM tandem_kv WHERE key = ?)");
      insertIfAbsent =
          db.prepareStatement("INSERT OR IGNORE INTO tandem_kv (key, value) VALUES (?, ?)");
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
      if (shape.driverDefaults) {
        control.execute("BEGIN IMMEDIATE");
      } else {
        begin.execute();
      }
      if (shape.undoRow) {
        recordUndo.setString(1, key);
        recordUndo.setString(2, key);
        recordUndo.executeUpdate();
      }
      String undoEntry = null;
      boolean written = false;
      if (shape.insertFirst) {
        insertIfAbsent.setString(1, key);
        insertIfAbsent.setString(2, json);
        written = insertIfAbsent.executeUpdate() == 1;
        if (written) undoEntry = key.length() + ":" + key + "-";
      }
      if (shape.undoInQueue && !written) {
        readPrior.setString(1, key);
        readPrior.setString(2, key);
        try (java.sql.ResultSet prior = readPrior.executeQuery()) {
          prior.next();
          String value = prior.getInt(1) != 0 ? null : prior.getString(2);
          undoEntry =
              key.length() + ":" + key + (value == null ? "-" : value.length() + ":" + value);
        }
      }
      if (!written) {
        upsert.setString(1, key);
        upsert.setString(2, json);
        upsert.executeUpdate();
      }
      queue.setString(1, "d3mbj5n8fklb76n4ng00");
      queue.setLong(2, i + 1);
      queue.setString(3, "createMessage");
      queue.setString(4, json);
      queue.setDouble(5, i);
      queue.setString(6, "1");
      queue.setString(7, undoEntry);
      queue.executeUpdate();
      if (shape.driverDefaults) {
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
    Variant[] variants = new Variant[Shape.values().length];
    for (Shape shape : Shape.values()) variants[shape.ordinal()] = new Variant(work, shape);
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
          variants[v].shape.name,
          p50,
          ClientBenchmarks.percentile(nanos[v], 99) / 1e3,
          p50 / floor);
      variants[v].db.close();
    }
  }
}
