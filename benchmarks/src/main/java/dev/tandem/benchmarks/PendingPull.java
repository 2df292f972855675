package dev.tandem.benchmarks;

import static dev.tandem.benchmarks.ClientBenchmarks.*;

import com.sun.net.httpserver.HttpServer;
import dev.tandem.AuthProvider;
import dev.tandem.Tandem;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 15's write latency while syncing: a pull (100 rows changed by someone else, nothing of ours
 * confirmed) with 0, 1 000 and 10 000 mutations pending, replaying only what the patch could affect
 * (footprints) beside replaying everything (system property {@code dev.tandem.fullRebase}, the
 * behaviour before), alternating; and {@code mutate} latency while such pulls run back to back with
 * 1 000 pending, beside {@code mutate} with no pull running.
 */
final class PendingPull {
  private PendingPull() {}

  private static final String FULL = "dev.tandem.fullRebase";

  /** Answers every pull with a newer cookie and 100 puts of keys no local mutation touches. */
  static HttpServer server() throws Exception {
    // The JDK server writes headers and body apart: without TCP_NODELAY, Nagle's algorithm and
    // the client's delayed ACK add about 40 ms to every pull.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    AtomicLong cookie = new AtomicLong();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (InputStream request = exchange.getRequestBody()) {
            request.readAllBytes();
          }
          long next = cookie.incrementAndGet();
          StringBuilder body =
              new StringBuilder("{\"cookie\":")
                  .append(next)
                  .append(",\"lastMutationIDChanges\":{},\"patch\":[");
          for (int i = 0; i < 100; i++) {
            if (i > 0) body.append(',');
            body.append("{\"op\":\"put\",\"key\":\"other/")
                .append(i)
                .append("\",\"value\":")
                .append(next)
                .append('}');
          }
          byte[] bytes = body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, bytes.length);
          try (OutputStream response = exchange.getResponseBody()) {
            response.write(bytes);
          }
        });
    server.start();
    return server;
  }

  static Tandem client(File file, HttpServer server) {
    return Tandem.builder()
        .databaseFile(file)
        .pullUrl("http://127.0.0.1:" + server.getAddress().getPort() + "/pull")
        .pullInterval(0)
        .auth(AuthProvider.of("bench"))
        .mutator("putItem", Item.class, (tx, item) -> tx.put("item/" + item.id, item))
        .build();
  }

  static void run(Path work) throws Exception {
    HttpServer server = server();
    try {
      for (int pending : new int[] {0, 1_000, 10_000}) pull(work, server, pending, 9);
      mutateWhilePulling(work, server, 1_000);
    } finally {
      server.stop(0);
      System.clearProperty(FULL);
    }
  }

  /** {@code rounds} pulls each way, alternating; medians and the per-pair ratio range. */
  static void pull(Path work, HttpServer server, int pending, int rounds) throws Exception {
    File file = work.resolve("pending-" + pending + ".db").toFile();
    try (Tandem tandem = client(file, server)) {
      for (int i = 0; i < pending; i++) tandem.mutate("putItem", new Item("p" + i, TEXT, i));
      long[] footprint = new long[rounds];
      long[] full = new long[rounds];
      for (int warm = 0; warm < 4; warm++) {
        System.setProperty(FULL, String.valueOf(warm % 2 == 0));
        tandem.pull().blockingAwait(); // Records every footprint (a full replay), and JIT.
      }
      double low = Double.MAX_VALUE;
      double high = 0;
      for (int round = 0; round < rounds; round++) {
        for (int side = 0; side < 2; side++) {
          boolean fullNow = (side == 0) == (round % 2 == 0);
          System.setProperty(FULL, String.valueOf(fullNow));
          long start = System.nanoTime();
          tandem.pull().blockingAwait();
          (fullNow ? full : footprint)[round] = System.nanoTime() - start;
        }
        double ratio = (double) full[round] / footprint[round];
        low = Math.min(low, ratio);
        high = Math.max(high, ratio);
      }
      if (tandem.pendingMutations().size() != pending) throw new IllegalStateException("lost");
      System.out.printf(
          "pull (100 rows changed by others) with %d pending: footprints %.1f ms | replay all %.1f ms | ratio %.2f (pairs %.2f-%.2f)%n",
          pending,
          median(footprint) / 1e6,
          median(full) / 1e6,
          (double) median(full) / median(footprint),
          low,
          high);
    } finally {
      System.clearProperty(FULL);
      deleteDatabase(file);
    }
  }

  /** mutate p50/p99 with pulls running back to back (each way) and with none, alternating. */
  static void mutateWhilePulling(Path work, HttpServer server, int pending) throws Exception {
    int count = 3_000;
    String[] modes = {"none", "footprints", "full", "none", "footprints", "full"};
    long[][] p99 = new long[3][2];
    long[][] p50 = new long[3][2];
    for (int m = 0; m < modes.length; m++) {
      String mode = modes[m];
      File file = work.resolve("busy-" + m + ".db").toFile();
      try (Tandem tandem = client(file, server)) {
        for (int i = 0; i < pending; i++) tandem.mutate("putItem", new Item("p" + i, TEXT, i));
        tandem.pull().blockingAwait();
        System.setProperty(FULL, String.valueOf(mode.equals("full")));
        AtomicBoolean stop = new AtomicBoolean();
        Thread puller =
            new Thread(
                () -> {
                  while (!stop.get() && !mode.equals("none")) tandem.pull().blockingAwait();
                },
                "bench-puller");
        puller.start();
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
          Item item = new Item("m" + i, TEXT, i);
          long start = System.nanoTime();
          tandem.mutate("putItem", item);
          nanos[i] = System.nanoTime() - start;
        }
        stop.set(true);
        puller.join();
        int index = m % 3;
        p50[index][m / 3] = percentile(nanos, 50);
        p99[index][m / 3] = percentile(nanos, 99);
      } finally {
        System.clearProperty(FULL);
        deleteDatabase(file);
      }
    }
    for (int i = 0; i < 3; i++) {
      System.out.printf(
          "mutate while pulls with %d pending run back to back (%s): p50 %.1f / %.1f us, p99 %.2f / %.2f ms (two rounds)%n",
          pending,
          new String[] {"no pulls", "footprints", "replay all"}[i],
          p50[i][0] / 1e3,
          p50[i][1] / 1e3,
          p99[i][0] / 1e6,
          p99[i][1] / 1e6);
    }
  }
}
