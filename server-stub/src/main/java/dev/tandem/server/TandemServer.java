package dev.tandem.server;

import dev.tandem.server.internal.HttpRoutes;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * The standalone HTTP server (Jetty 12): {@code POST /api/replicache/push}, {@code POST
 * /api/replicache/pull}, {@code GET /api/replicache/poke?clientGroupID=…} (server-sent events, with
 * the same {@code Authorization} as push and pull: a {@code data: poke} event after each push that
 * commits, see {@link Backend#subscribePokes}), {@code GET /health} (the database answers), {@code
 * GET /health/live} (the process answers), {@code GET /health/ready} (started, not draining, the
 * database answers) and {@code GET /metrics} (Prometheus text, {@link Backend#metricsText}). It
 * listens on the loopback address unless told otherwise.
 *
 * <pre>{@code
 * try (TandemServer server = TandemServer.builder(backend).port(0).start()) {
 *   String base = "http://127.0.0.1:" + server.port();
 * }
 * }</pre>
 */
public final class TandemServer implements AutoCloseable {
  /** The address a server listens on unless {@link Builder#host} says otherwise. */
  public static final String LOOPBACK = "127.0.0.1";

  /**
   * Below the 10 s read timeout HTTP clients default to (OkHttp, sdk-core's client): a quiet stream
   * every 15 s was cut by the client every 10 s, and each reconnection cost a pull.
   */
  private static final long HEARTBEAT_SECONDS = 5;

  /** A poke stream's connection closes after this many heartbeats' time without a write. */
  private static final long STREAM_IDLE_HEARTBEATS = 3;

  private final Server jetty;
  private final HttpRoutes routes;
  private final ScheduledExecutorService heartbeats;
  private final String host;
  private final int port;
  private final CompletableFuture<Void> refusing;

  private TandemServer(
      Server jetty,
      HttpRoutes routes,
      ScheduledExecutorService heartbeats,
      String host,
      int port,
      CompletableFuture<Void> refusing) {
    this.jetty = jetty;
    this.routes = routes;
    this.heartbeats = heartbeats;
    this.host = host;
    this.port = port;
    this.refusing = refusing;
  }

  /**
   * A server for {@code backend}, configured by the builder and started by {@link Builder#start}.
   */
  public static Builder builder(Backend backend) {
    return new Builder(backend);
  }

  /** Starts serving {@code backend} on {@code port} of the loopback address (0 picks a port). */
  public static TandemServer start(Backend backend, int port, long maxBodyBytes) throws Exception {
    return builder(backend).port(port).maxBodyBytes(maxBodyBytes).start();
  }

  /**
   * Starts serving {@code backend} on {@code host} (an address or a name; {@code 0.0.0.0} is every
   * interface) and {@code port} (0 picks a port).
   */
  public static TandemServer start(Backend backend, String host, int port, long maxBodyBytes)
      throws Exception {
    return builder(backend).host(host).port(port).maxBodyBytes(maxBodyBytes).start();
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

  /** The address the server listens on, as configured. */
  public String host() {
    return host;
  }

  /** The port the server listens on. */
  public int port() {
    return port;
  }

  /**
   * Completes once a {@link #close} takes no new requests: from then on a request is refused or
   * answered 503, while those in progress run on.
   */
  CompletableFuture<Void> refusingRequests() {
    return refusing;
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    jetty.join();
  }

  /**
   * Starts draining: {@code /health/ready} answers 503 from now on, so a load balancer stops
   * sending new requests here, while everything is still served. Call {@link #close} after the load
   * balancer had time to notice. Idempotent.
   */
  public void drain() {
    routes.ready(false);
  }

  /**
   * Stops the server gracefully: not ready any more ({@link #drain}), poke streams closed (their
   * clients reconnect, through the load balancer, to another instance), no new connections or
   * requests; requests in progress (a push's transaction, say) get the {@link
   * Builder#shutdownTimeout} (default 30 s) to finish and be answered, then they are cut off. Jetty
   * reports a grace period that ran out as a {@link TimeoutException} after it has stopped
   * everything; that is the expected end of a busy server, not a failure to close.
   */
  @Override
  public void close() throws Exception {
    drain();
    heartbeats.shutdownNow();
    routes.closeStreams();
    try {
      jetty.stop();
    } catch (TimeoutException e) {
      if (!jetty.isStopped()) throw e;
    }
  }

  /** Configures and starts a {@link TandemServer}. Not thread-safe. */
  public static final class Builder {
    private final Backend backend;
    private String host = LOOPBACK;
    private int port = 8080;
    private long maxBodyBytes = 4L << 20;
    private Duration idleTimeout = Duration.ofSeconds(10);
    private int maxBodyReaders = 64;
    private Duration shutdownTimeout = Duration.ofSeconds(30);

    private Builder(Backend backend) {
      if (backend == null) throw new NullPointerException("backend == null");
      this.backend = backend;
    }

    /**
     * The address to listen on, default {@link #LOOPBACK}: only this machine can connect. Another
     * address (or {@code 0.0.0.0}, every interface) wants a real {@link Authenticator} and TLS in
     * front (SERVER.md, "Security model").
     */
    public Builder host(String host) {
      if (host == null || host.isEmpty()) throw new IllegalArgumentException("host is empty");
      this.host = host;
      return this;
    }

    /** The port, default 8080; 0 picks a free one ({@link TandemServer#port} says which). */
    public Builder port(int port) {
      if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port);
      this.port = port;
      return this;
    }

    /** Larger push and pull bodies get 413 before they are read. Default 4 MiB. */
    public Builder maxBodyBytes(long maxBodyBytes) {
      if (maxBodyBytes <= 0) throw new IllegalArgumentException("maxBodyBytes <= 0");
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /**
     * How long a connection may send nothing before the server gives up on it, default 10 s: a
     * request body stalled this long is answered 408 and its connection closed; a request head that
     * never ends, or a kept-alive connection with no next request, is closed. Bodies are read
     * without holding a thread while they wait, so this bounds how long a stalled client holds a
     * connection, not a thread. Poke streams are exempt (heartbeats every 5 s keep them busy).
     */
    public Builder idleTimeout(Duration idleTimeout) {
      if (idleTimeout.isNegative() || idleTimeout.isZero()) {
        throw new IllegalArgumentException("idleTimeout <= 0");
      }
      this.idleTimeout = idleTimeout;
      return this;
    }

    /**
     * How many request bodies may be in progress at once (from their first byte to their last),
     * default 64: together with {@link #maxBodyBytes} it bounds the memory bodies take while they
     * arrive. A body that finds the cap reached is answered 503 (with {@code Retry-After: 1}) at
     * once and its connection closed; a request that has not sent a body byte yet does not count.
     */
    public Builder maxBodyReaders(int maxBodyReaders) {
      if (maxBodyReaders <= 0) throw new IllegalArgumentException("maxBodyReaders <= 0");
      this.maxBodyReaders = maxBodyReaders;
      return this;
    }

    /**
     * How long {@link TandemServer#close} waits for requests in progress to finish before cutting
     * them off. Default 30 s.
     */
    public Builder shutdownTimeout(Duration shutdownTimeout) {
      if (shutdownTimeout.isNegative()) throw new IllegalArgumentException("shutdownTimeout < 0");
      this.shutdownTimeout = shutdownTimeout;
      return this;
    }

    /** Starts listening; the server runs until {@link TandemServer#close}. */
    public TandemServer start() throws Exception {
      Server jetty = new Server();
      ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http()));
      connector.setHost(host);
      connector.setPort(port);
      connector.setIdleTimeout(idleTimeout.toMillis());
      jetty.addConnector(connector);
      HttpRoutes routes =
          new HttpRoutes(
              backend,
              maxBodyBytes,
              maxBodyReaders,
              TimeUnit.SECONDS.toMillis(STREAM_IDLE_HEARTBEATS * HEARTBEAT_SECONDS));
      // Tracks requests in progress, so that stopping waits for them (and refuses new ones).
      CompletableFuture<Void> refusing = new CompletableFuture<>();
      jetty.setHandler(
          new GracefulHandler(routes) {
            @Override
            public CompletableFuture<Void> shutdown() {
              CompletableFuture<Void> drained = super.shutdown();
              refusing.complete(null);
              return drained;
            }
          });
      jetty.setStopTimeout(shutdownTimeout.toMillis());
      jetty.start();
      routes.ready(true);
      ScheduledExecutorService heartbeats =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread thread = new Thread(r, "tandem-sse-heartbeat");
                thread.setDaemon(true);
                return thread;
              });
      heartbeats.scheduleAtFixedRate(
          routes::heartbeat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
      return new TandemServer(jetty, routes, heartbeats, host, connector.getLocalPort(), refusing);
    }
  }
}
