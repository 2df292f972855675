package dev.tandem.server.internal;

import dev.tandem.server.Backend;
import dev.tandem.server.HandlerResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import okio.Buffer;
import okio.Okio;
import okio.Source;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The standalone server's endpoints on Jetty's core handler API. */
public final class HttpRoutes extends Handler.Abstract {
  public static final String PUSH = "/api/replicache/push";
  public static final String PULL = "/api/replicache/pull";
  public static final String POKE = "/api/replicache/poke";
  public static final String HEALTH = "/health";

  private final Backend backend;
  private final long maxBodyBytes;
  private final Set<SseStream> streams = ConcurrentHashMap.newKeySet();

  public HttpRoutes(Backend backend, long maxBodyBytes) {
    this.backend = backend;
    this.maxBodyBytes = maxBodyBytes;
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
          return answer(
              response,
              callback,
              413,
              "{\"message\":\"request body exceeds " + maxBodyBytes + " bytes\"}");
        }
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        // Read the whole body (up to the cap) before answering, even a 401: an answer sent before
        // the body is consumed makes Jetty drop the connection, which a client sees as a network
        // failure instead of the status.
        Buffer body;
        try {
          body = readBody(Content.Source.asInputStream(request));
        } catch (java.io.IOException e) {
          response.getHeaders().put(HttpHeader.CONNECTION, "close");
          return answer(
              response,
              callback,
              413,
              "{\"message\":\"request body exceeds " + maxBodyBytes + " bytes\"}");
        }
        java.io.InputStream in = body.inputStream();
        HandlerResponse result =
            path.equals(PUSH) ? backend.push(authorization, in) : backend.pull(authorization, in);
        return answer(response, callback, result.status(), result.body());
      case POKE:
        if (!method.equals("GET"))
          return answer(response, callback, 405, "{\"message\":\"use GET\"}");
        openStream(response, callback);
        return true;
      case HEALTH:
        if (!method.equals("GET"))
          return answer(response, callback, 405, "{\"message\":\"use GET\"}");
        return backend.healthy()
            ? answer(response, callback, 200, "{\"status\":\"ok\"}")
            : answer(response, callback, 503, "{\"status\":\"database unavailable\"}");
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

  /** The request body; IOException if it is larger than the cap (or cannot be read). */
  private Buffer readBody(java.io.InputStream in) throws java.io.IOException {
    Buffer body = new Buffer();
    Source source = Okio.source(in); // Reads straight into the buffer's segments.
    while (source.read(body, 8192) != -1) {
      if (body.size() > maxBodyBytes) throw new java.io.IOException("body over the cap");
    }
    return body;
  }

  private void openStream(Response response, Callback callback) {
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    AutoCloseable[] subscription = new AutoCloseable[1];
    SseStream stream =
        new SseStream(
            response,
            callback,
            () -> {
              try {
                if (subscription[0] != null) subscription[0].close();
              } catch (Exception ignored) {
                // Removing a listener does not fail.
              }
            });
    streams.add(stream);
    subscription[0] = backend.pokes().subscribe(version -> stream.poke());
    stream.open();
  }

  /** Sends a keep-alive comment on every stream, so idle timeouts and proxies leave them open. */
  public void heartbeat() {
    streams.removeIf(stream -> !stream.isOpen());
    for (SseStream stream : streams) stream.heartbeat();
  }

  /** Ends every open stream. */
  public void closeStreams() {
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
