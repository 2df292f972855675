package dev.tandem.benchmarks;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Arrays;

/**
 * How much of the durable commit's tail is SQLite's automatic WAL checkpoint: the bare transaction
 * of the side-by-side floor (upsert a row, insert a queue record, commit; WAL, {@code
 * synchronous=NORMAL}) on three files in one process, rotating per write: one with the automatic
 * checkpoint (every 1 000 WAL pages, run by the committing connection), one with {@code
 * wal_autocheckpoint=0}, and one checkpointed as Tandem's JVM driver does (a {@code PASSIVE}
 * checkpoint on a second connection and thread every 32 commits, the automatic one kept at 4 000
 * pages). By name only: {@code ClientBenchmarks checkpoint}. And {@link #mutate}: Tandem's own
 * {@code mutate} with and without the driver's background checkpoints.
 */
final class CheckpointFloor {
  private CheckpointFloor() {}

  static void run(Path work) throws Exception {
    int warmup = 3_000;
    int count = 20_000;
    int sides = 3;
    Connection[] db = new Connection[sides];
    PreparedStatement[] upsert = new PreparedStatement[sides];
    PreparedStatement[] queue = new PreparedStatement[sides];
    Statement[] control = new Statement[sides];
    PreparedStatement[] begin = new PreparedStatement[sides];
    PreparedStatement[] commit = new PreparedStatement[sides];
    long[][] nanos = new long[sides][count];
    // Side 2 checkpoints as Tandem's JVM driver does (WalCheckpointer): a PASSIVE checkpoint on a
    // second connection and thread every 32 commits, SQLite's own kept at 4 000 pages.
    java.util.concurrent.ExecutorService passes =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    java.util.concurrent.atomic.AtomicBoolean queued =
        new java.util.concurrent.atomic.AtomicBoolean();
    Connection checkpointer = null;
    int commits = 0;
    try {
      for (int k = 0; k < sides; k++) {
        db[k] = ClientBenchmarks.sqliteBare(work.resolve("checkpoint-" + k + ".db"));
        control[k] = db[k].createStatement();
        begin[k] = db[k].prepareStatement("BEGIN IMMEDIATE"); // Prepared once, as Tandem's are.
        commit[k] = db[k].prepareStatement("COMMIT");
        if (k == 1) control[k].execute("PRAGMA wal_autocheckpoint=0");
        if (k == 2) control[k].execute("PRAGMA wal_autocheckpoint=4000");
        control[k].execute(
            "CREATE TABLE kv (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID");
        control[k].execute(
            "CREATE TABLE pending (seq INTEGER PRIMARY KEY, client_id TEXT,"
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
        for (int side = 0; side < sides; side++) {
          int k = (side + i) % sides;
          long start = System.nanoTime();
          begin[k].execute();
          upsert[k].setString(1, "message/m" + i);
          upsert[k].setString(2, json);
          upsert[k].executeUpdate();
          queue[k].setString(1, "client");
          queue[k].setLong(2, i + 1);
          queue[k].setString(3, "createMessage");
          queue[k].setString(4, json);
          queue[k].setDouble(5, i);
          queue[k].executeUpdate();
          commit[k].execute();
          if (i >= warmup) nanos[k][i - warmup] = System.nanoTime() - start;
          if (k == 2 && ++commits >= 32 && queued.compareAndSet(false, true)) {
            commits = 0;
            if (checkpointer == null) {
              checkpointer = ClientBenchmarks.sqliteBare(work.resolve("checkpoint-2.db"));
            }
            Connection c = checkpointer;
            passes.execute(
                () -> {
                  queued.set(false);
                  try (Statement st = c.createStatement()) {
                    st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)").close();
                  } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                  }
                });
          }
        }
      }
    } finally {
      passes.shutdown();
      passes.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
      if (checkpointer != null) checkpointer.close();
      for (Connection connection : db) {
        if (connection != null) connection.close();
      }
    }
    for (int k = 0; k < sides; k++) {
      long[] sorted = nanos[k].clone();
      Arrays.sort(sorted);
      long slow = Arrays.stream(sorted).filter(n -> n > 1_000_000).count();
      System.out.printf(
          "bare transaction, %s: p50 %.1f us, p99 %.1f us, p99.5 %.1f us, p99.9 %.2f ms, over 1 ms: %d of %d%n",
          k == 0
              ? "automatic WAL checkpoint"
              : k == 1 ? "wal_autocheckpoint=0" : "background PASSIVE every 32, backstop 4 000",
          sorted[count / 2] / 1e3,
          sorted[count * 99 / 100] / 1e3,
          sorted[count * 995 / 1000] / 1e3,
          sorted[count * 999 / 1000] / 1e6,
          slow,
          count);
    }
  }

  /**
   * {@code mutate} on two Tandem instances in one process, alternating per write: one with the
   * driver's background checkpoints (the default), one with {@code
   * -Ddev.tandem.walCheckpoint=sqlite} (SQLite's automatic checkpoint in the writer's commits).
   * Offline, plain keys. By name only: {@code ClientBenchmarks checkpointmutate}.
   */
  static void mutate(Path work) throws Exception {
    int warmup = 5_000;
    int count = 20_000;
    long[][] nanos = new long[2][count];
    dev.tandem.Tandem[] tandem = new dev.tandem.Tandem[2];
    try {
      for (int k = 0; k < 2; k++) {
        if (k == 1) System.setProperty("dev.tandem.walCheckpoint", "sqlite");
        tandem[k] =
            ClientBenchmarks.localClient(work.resolve("checkpoint-mutate-" + k + ".db").toFile());
        System.clearProperty("dev.tandem.walCheckpoint");
      }
      for (int i = 0; i < warmup + count; i++) {
        for (int side = 0; side < 2; side++) {
          int k = (side + i) % 2;
          ClientBenchmarks.Item item = new ClientBenchmarks.Item("i" + i, ClientBenchmarks.TEXT, i);
          long start = System.nanoTime();
          tandem[k].mutate("putItem", item);
          if (i >= warmup) nanos[k][i - warmup] = System.nanoTime() - start;
        }
      }
    } finally {
      for (dev.tandem.Tandem t : tandem) {
        if (t != null) t.close();
      }
    }
    for (int k = 0; k < 2; k++) {
      long[] sorted = nanos[k].clone();
      Arrays.sort(sorted);
      long slow = Arrays.stream(sorted).filter(n -> n > 1_000_000).count();
      System.out.printf(
          "mutate, %s: p50 %.1f us, p99 %.1f us, p99.5 %.1f us, p99.9 %.2f ms, over 1 ms: %d of %d%n",
          k == 0 ? "background checkpoints" : "walCheckpoint=sqlite",
          sorted[count / 2] / 1e3,
          sorted[count * 99 / 100] / 1e3,
          sorted[count * 995 / 1000] / 1e3,
          sorted[count * 999 / 1000] / 1e6,
          slow,
          count);
    }
  }
}
