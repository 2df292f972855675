package dev.tandem.server.internal;

import dev.tandem.server.Backend;
import dev.tandem.server.HandlerResponse;
import dev.tandem.server.Pokes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import okio.Buffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The standalone server's endpoints on Jetty's core handler API. */
public final class HttpRoutes extends Handler.Abstract {
  public static final String PUSH = "/api/replicache/push";
  public static final String PULL = "/api/replicache/pull";
  public static final String POKE = "/api/replicache/poke";
  public static final String HEALTH = "/health";
  public static final String LIVE = "/health/live";
  public static final String READY = "/health/ready";
  public static final String METRICS = "/metrics";

  /** The request ID header the Replicache clients (and sdk-core) send. */
  static final String REQUEST_ID_HEADER = "X-Replicache-RequestID";

  private static final Logger log = LoggerFactory.getLogger("dev.tandem.server.http");

  private final Backend backend;
  private final long maxBodyBytes;
  private final Semaphore bodyReaders;
  private final long streamIdleTimeoutMillis;
  private final Set<SseStream> streams = ConcurrentHashMap.newKeySet();
  private volatile boolean closing;
  private volatile boolean ready;

  /**
   * Routes for {@code backend}: bodies up to {@code maxBodyBytes}, at most {@code maxBodyReaders}
   * of them in progress at once; a poke stream's connection idles out after {@code
   * streamIdleTimeoutMillis} (heartbeats keep a live one busy).
   */
  public HttpRoutes(
      Backend backend, long maxBodyBytes, int maxBodyReaders, long streamIdleTimeoutMillis) {
    this.backend = backend;
    this.maxBodyBytes = maxBodyBytes;
    this.bodyReaders = new Semaphore(maxBodyReaders);
    this.streamIdleTimeoutMillis = streamIdleTimeoutMillis;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    String method = request.getMethod();
    allowCrossOrigin(response);
    if (method.equals("OPTIONS")) {
      // A browser's CORS preflight: the Replicache tutorial's client is served from another origin.
      response.setStatus(204);
      callback.succeeded();
      return true;
    }
    switch (path) {
      case PUSH:
      case PULL:
        if (!method.equals("POST"))
          return answer(response, callback, 405, "{\"message\":\"use POST\"}");
        long length = request.getLength();
        if (length > maxBodyBytes) {
          return refuse(
              request,
              response,
              callback,
              HandlerResponse.bodyTooLarge(maxBodyBytes),
              "Content-Length " + length + " over " + maxBodyBytes,
              true);
        }
        // The whole body is read before answering, even a 401: an answer sent before the body is
        // consumed makes Jetty drop the connection, which a client sees as a network failure.
        new BodyReader(request, maxBodyBytes, bodyReaders, syncCall(request, response, callback))
            .run();
        return true;
      case POKE:
        if (!method.equals("GET"))
          return answer(response, callback, 405, "{\"message\":\"use GET\"}");
        openStream(request, response, callback);
        return true;
      case HEALTH:
        if (!method.equals("GET"))
          return answer(response, callback, 405, "{\"message\":\"use GET\"}");
        return backend.healthy()
            ? answer(response, callback, 200, "{\"status\":\"ok\"}")
            : answer(response, callback, 503, "{\"status\":\"database unavailable\"}");
      case LIVE:
        if (!method.equals("GET"))
          return answer(response, callback, 405, "{\"message\":\"use GET\"}");
        return answer(response, callback, 200, "{\"status\":\"live\"}");
      case READY:
        if (!method.equals("GET"))
          return answer(response, callback, 405, "{\"message\":\"use GET\"}");
        if (!ready) return answer(response, callback, 503, "{\"status\":\"not ready\"}");
        return backend.healthy()
            ? answer(response, callback, 200, "{\"status\":\"ready\"}")
            : answer(response, callback, 503, "{\"status\":\"database unavailable\"}");
      case METRICS:
        if (!method.equals("GET"))
          return answer(response, callback, 405, "{\"message\":\"use GET\"}");
        response.setStatus(200);
        response
            .getHeaders()
            .put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        response.write(
            true,
            ByteBuffer.wrap(backend.metricsText().getBytes(StandardCharsets.UTF_8)),
            callback);
        return true;
      default:
        return answer(response, callback, 404, "{\"message\":\"no such endpoint\"}");
    }
  }

  private static void allowCrossOrigin(Response response) {
    response.getHeaders().put("Access-Control-Allow-Origin", "*");
    response.getHeaders().put("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
    response
        .getHeaders()
        .put("Access-Control-Allow-Headers", "Content-Type, Authorization, X-Replicache-RequestID");
    response.getHeaders().put("Access-Control-Max-Age", "600");
  }

  /** A push or pull once its body is in: the backend answers. */
  private BodyReader.Outcome syncCall(Request request, Response response, Callback callback) {
    return new BodyReader.Outcome() {
      @Override
      public void read(Buffer body) {
        try {
          String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
          if (!isJson(contentType)) {
            refuse(
                request,
                response,
                callback,
                HandlerResponse.error(
                    415, "send the body as application/json (UTF-8), not " + contentType),
                "Content-Type " + contentType,
                false);
            return;
          }
          String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
          String requestID = requestID(request);
          HandlerResponse result =
              Request.getPathInContext(request).equals(PUSH)
                  ? backend.push(authorization, requestID, body.inputStream())
                  : backend.pull(authorization, requestID, body.inputStream());
          answer(response, callback, result.status(), result.body());
        } catch (RuntimeException | Error e) {
          callback.failed(e);
        }
      }

      @Override
      public void refused(HandlerResponse answer, String reason) {
        refuse(request, response, callback, answer, reason, true);
      }
    };
  }

  /**
   * The request's {@code X-Replicache-RequestID} as it may go in a log line: at most 128 of its
   * characters from {@code [A-Za-z0-9._:-]}, others replaced by {@code _} (no log injection);
   * {@code -} if there is none.
   */
  static String requestID(Request request) {
    return safeRequestID(request.getHeaders().get(REQUEST_ID_HEADER));
  }

  /** {@code id} as it may go in a log line (see {@link #requestID(Request)}). */
  public static String safeRequestID(String id) {
    if (id == null || id.isEmpty()) return "-";
    StringBuilder safe = new StringBuilder(Math.min(id.length(), 128));
    for (int i = 0; i < id.length() && i < 128; i++) {
      char c = id.charAt(i);
      boolean plain =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == ':'
              || c == '-';
      safe.append(plain ? c : '_');
    }
    return safe.toString();
  }

  /**
   * True for {@code application/json}, with any parameters but a charset other than UTF-8 (JSON is
   * UTF-8). The {@code replicache} client sends {@code application/json}, OkHttp (the Tandem
   * client) {@code application/json; charset=utf-8}.
   */
  static boolean isJson(String contentType) {
    if (contentType == null) return false;
    String[] parts = contentType.split(";");
    if (!parts[0].trim().equalsIgnoreCase("application/json")) return false;
    for (int i = 1; i < parts.length; i++) {
      String[] parameter = parts[i].split("=", 2);
      if (!parameter[0].trim().equalsIgnoreCase("charset")) continue;
      String charset = parameter.length < 2 ? "" : parameter[1].trim().replace("\"", "");
      if (!charset.equalsIgnoreCase("utf-8")) return false;
    }
    return true;
  }

  /**
   * Answers a request refused before the backend saw it and says why in the log at WARN; {@code
   * close} closes the connection, for a request whose body was not (all) read.
   */
  private static boolean refuse(
      Request request,
      Response response,
      Callback callback,
      HandlerResponse answer,
      String reason,
      boolean close) {
    log.warn(
        "refused {} {} request={} from {}: {} ({})",
        request.getMethod(),
        Request.getPathInContext(request),
        requestID(request),
        Request.getRemoteAddr(request),
        answer.status(),
        reason);
    if (close) response.getHeaders().put(HttpHeader.CONNECTION, "close");
    if (answer.status() == 503) response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
    return answer(response, callback, answer.status(), answer.body());
  }

  /**
   * {@code GET /poke?clientGroupID=…}: authenticated like push and pull, scoped to a group of the
   * user's (or not claimed yet), then a server-sent-event stream of that group's pokes.
   */
  private void openStream(Request request, Response response, Callback callback) {
    SseStream stream = new SseStream(response, callback);
    Pokes.Subscription subscription =
        backend.subscribePokes(
            request.getHeaders().get(HttpHeader.AUTHORIZATION),
            Request.extractQueryParameters(request).getValue("clientGroupID"),
            stream);
    HandlerResponse refusal = subscription.refusal();
    if (refusal != null) {
      answer(response, callback, refusal.status(), refusal.body());
      return;
    }
    // The connector's idle timeout is short, for bodies; a stream is kept busy by heartbeats.
    request
        .getConnectionMetaData()
        .getConnection()
        .getEndPoint()
        .setIdleTimeout(streamIdleTimeoutMillis);
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    streams.add(stream); // Before it starts: a close that sees the stream's first bytes ends it.
    if (!stream.start(subscription)) {
      // Another user claimed the group between the check and now.
      streams.remove(stream);
      answer(
          response, callback, 403, "{\"message\":\"this client group belongs to another user\"}");
      return;
    }
    if (closing) stream.close(); // The server began to stop while this stream was opening.
  }

  /** Whether {@code /health/ready} may answer 200 (started, not draining). */
  public void ready(boolean ready) {
    this.ready = ready;
  }

  /** Sends a keep-alive comment on every stream, so idle timeouts and proxies leave them open. */
  public void heartbeat() {
    streams.removeIf(stream -> !stream.isOpen());
    for (SseStream stream : streams) stream.heartbeat();
  }

  /** Ends every open stream, and any that opens from now on. */
  public void closeStreams() {
    closing = true;
    for (SseStream stream : streams) stream.close();
    streams.clear();
  }

  private static boolean answer(Response response, Callback callback, int status, String json) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
    response.write(true, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }
}
