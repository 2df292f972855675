package dev.tandem.benchmarks;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Arrays;

/**
 * How much of the durable commit's tail is SQLite's automatic WAL checkpoint: the bare transaction
 * of the side-by-side floor (upsert a row, insert a queue record, commit; WAL, {@code
 * synchronous=NORMAL}) on two files in one process, alternating per write, one with the automatic
 * checkpoint (every 1 000 WAL pages, run by the committing connection) and one with {@code
 * wal_autocheckpoint=0}. By name only: {@code ClientBenchmarks checkpoint}.
 */
final class CheckpointFloor {
  private CheckpointFloor() {}

  static void run(Path work) throws Exception {
    int warmup = 3_000;
    int count = 20_000;
    Connection[] db = new Connection[2];
    PreparedStatement[] upsert = new PreparedStatement[2];
    PreparedStatement[] queue = new PreparedStatement[2];
    Statement[] control = new Statement[2];
    long[][] nanos = new long[2][count];
    try {
      for (int k = 0; k < 2; k++) {
        db[k] = ClientBenchmarks.sqlite(work.resolve("checkpoint-" + k + ".db"));
        control[k] = db[k].createStatement();
        if (k == 1) control[k].execute("PRAGMA wal_autocheckpoint=0");
        control[k].execute(
            "CREATE TABLE kv (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID");
        control[k].execute(
            "CREATE TABLE pending (seq INTEGER PRIMARY KEY AUTOINCREMENT, client_id TEXT,"
                + " id INTEGER, name TEXT, args TEXT, timestamp REAL)");
        upsert[k] =
            db[k].prepareStatement(
                "INSERT INTO kv (key, value) VALUES (?, ?)"
                    + " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        queue[k] =
            db[k].prepareStatement(
                "INSERT INTO pending (client_id, id, name, args, timestamp) VALUES (?, ?, ?, ?, ?)");
      }
      for (int i = 0; i < warmup + count; i++) {
        String json = "{\"content\":\"message " + i + " of the checkpoint benchmark\"}";
        for (int side = 0; side < 2; side++) {
          int k = (side + i) % 2;
          long start = System.nanoTime();
          control[k].execute("BEGIN IMMEDIATE");
          upsert[k].setString(1, "message/m" + i);
          upsert[k].setString(2, json);
          upsert[k].executeUpdate();
          queue[k].setString(1, "client");
          queue[k].setLong(2, i + 1);
          queue[k].setString(3, "createMessage");
          queue[k].setString(4, json);
          queue[k].setDouble(5, i);
          queue[k].executeUpdate();
          control[k].execute("COMMIT");
          if (i >= warmup) nanos[k][i - warmup] = System.nanoTime() - start;
        }
      }
    } finally {
      for (Connection connection : db) {
        if (connection != null) connection.close();
      }
    }
    for (int k = 0; k < 2; k++) {
      long[] sorted = nanos[k].clone();
      Arrays.sort(sorted);
      long slow = Arrays.stream(sorted).filter(n -> n > 1_000_000).count();
      System.out.printf(
          "bare transaction, %s: p50 %.1f us, p99 %.1f us, p99.5 %.1f us, p99.9 %.2f ms, over 1 ms: %d of %d%n",
          k == 0 ? "automatic WAL checkpoint" : "wal_autocheckpoint=0",
          sorted[count / 2] / 1e3,
          sorted[count * 99 / 100] / 1e3,
          sorted[count * 995 / 1000] / 1e3,
          sorted[count * 999 / 1000] / 1e6,
          slow,
          count);
    }
  }
}
