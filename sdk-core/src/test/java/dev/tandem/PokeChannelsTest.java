package dev.tandem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One instance listens to several poke channels, each a stream of its own. */
class PokeChannelsTest {
  @TempDir Path directory;
  HttpServer server;
  ExecutorService threads = Executors.newCachedThreadPool();
  final Map<String, String> streams = new ConcurrentHashMap<>();
  final CountDownLatch bothAsked = new CountDownLatch(2);
  final CountDownLatch openSecond = new CountDownLatch(1);
  final CountDownLatch closeStreams = new CountDownLatch(1);
  final AtomicInteger generation = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(threads);
    // The first channel answers nothing (not even headers); the second opens when the test says
    // and sends one poke at once.
    server.createContext("/poke/user", exchange -> stream(exchange, null));
    server.createContext("/poke/list", exchange -> stream(exchange, openSecond));
    server.createContext(
        "/pull",
        exchange -> {
          try (InputStream request = exchange.getRequestBody()) {
            request.readAllBytes();
          }
          int gen = generation.get();
          byte[] body =
              ("{\"cookie\":"
                      + (gen + 1)
                      + ",\"lastMutationIDChanges\":{},\"patch\":[{\"op\":\"put\",\"key\":\"gen\","
                      + "\"value\":"
                      + gen
                      + "}]}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  private void stream(HttpExchange exchange, CountDownLatch open) throws IOException {
    streams.put(
        exchange.getRequestURI().getPath(),
        exchange.getRequestURI().getQuery()
            + " "
            + exchange.getRequestHeaders().getFirst("Authorization"));
    bothAsked.countDown();
    try {
      if (open == null || !open.await(20, TimeUnit.SECONDS)) {
        closeStreams.await(20, TimeUnit.SECONDS);
        return;
      }
      exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      out.write("data: poke\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      closeStreams.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      exchange.close();
    }
  }

  @AfterEach
  void stop() {
    closeStreams.countDown();
    server.stop(0);
    threads.shutdownNow();
  }

  @Test
  void aPokeOnTheSecondChannelPullsWhileTheFirstStaysSilent() throws Exception {
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    try (Tandem tandem =
        Tandem.builder()
            .databaseFile(new File(directory.toFile(), "pokes.db"))
            .pullUrl(base + "/pull")
            .pokeUrl(base + "/poke/user?user=ann")
            .addPokeUrl(base + "/poke/list?list=42")
            .pullInterval(0)
            .auth(AuthProvider.of("ann"))
            .build()) {
      assertTrue(bothAsked.await(20, TimeUnit.SECONDS));
      String group = "clientGroupID=" + tandem.clientGroupID();
      assertEquals("user=ann&" + group + " ann", streams.get("/poke/user"));
      assertEquals("list=42&" + group + " ann", streams.get("/poke/list"));
      // The start-up pull has landed; nothing else pulls until a channel says so.
      watchGeneration(tandem, 0);

      generation.set(1);
      openSecond.countDown();

      watchGeneration(tandem, 1);
    }
  }

  private static void watchGeneration(Tandem tandem, long want) {
    tandem
        .watch(tx -> tx.has("gen") ? tx.get("gen", Long.class) : -1L)
        .filter(gen -> gen == want)
        .timeout(20, TimeUnit.SECONDS)
        .blockingFirst();
  }
}
