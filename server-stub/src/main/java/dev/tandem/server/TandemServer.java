package dev.tandem.server;

import dev.tandem.server.internal.HttpRoutes;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The standalone HTTP server (Jetty 12): {@code POST /api/replicache/push}, {@code POST
 * /api/replicache/pull}, {@code GET /api/replicache/poke} (server-sent events: a {@code data: poke}
 * event after each push that commits) and {@code GET /health}.
 *
 * <pre>{@code
 * try (TandemServer server = TandemServer.start(backend, 0)) {
 *   String base = "http://localhost:" + server.port();
 * }
 * }</pre>
 */
public final class TandemServer implements AutoCloseable {
  private static final long HEARTBEAT_SECONDS = 15;

  private final Server jetty;
  private final HttpRoutes routes;
  private final ScheduledExecutorService heartbeats;
  private final int port;

  private TandemServer(
      Server jetty, HttpRoutes routes, ScheduledExecutorService heartbeats, int port) {
    this.jetty = jetty;
    this.routes = routes;
    this.heartbeats = heartbeats;
    this.port = port;
  }

  /** Starts serving {@code backend} on {@code port} (0 picks a free port). */
  public static TandemServer start(Backend backend, int port, long maxBodyBytes) throws Exception {
    Server jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http()));
    connector.setPort(port);
    jetty.addConnector(connector);
    HttpRoutes routes = new HttpRoutes(backend, maxBodyBytes);
    jetty.setHandler(routes);
    jetty.setStopTimeout(2_000);
    jetty.start();
    ScheduledExecutorService heartbeats =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "tandem-sse-heartbeat");
              thread.setDaemon(true);
              return thread;
            });
    heartbeats.scheduleAtFixedRate(
        routes::heartbeat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    return new TandemServer(jetty, routes, heartbeats, connector.getLocalPort());
  }

  /**
   * Jetty's HTTP settings. Jetty keeps a per-connection cache of header fields that matched a later
   * value case-insensitively and handed back the earlier one: after {@code Authorization: ann}, a
   * request with {@code Authorization: ANN} on the same connection read as ann. The cache is off,
   * so each request's identity comes from its own bytes.
   */
  private static HttpConfiguration http() {
    HttpConfiguration http = new HttpConfiguration();
    http.setHeaderCacheSize(0);
    http.setHeaderCacheCaseSensitive(true);
    return http;
  }

  /** The port the server listens on. */
  public int port() {
    return port;
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    jetty.join();
  }

  /**
   * Stops the server: requests in progress get the stop timeout (2 s) to finish, then they are cut
   * off. Jetty reports a grace period that ran out as a {@link TimeoutException} after it has
   * stopped everything; that is the expected end of a busy server, not a failure to close.
   */
  @Override
  public void close() throws Exception {
    heartbeats.shutdownNow();
    routes.closeStreams();
    try {
      jetty.stop();
    } catch (TimeoutException e) {
      if (!jetty.isStopped()) throw e;
    }
  }
}
