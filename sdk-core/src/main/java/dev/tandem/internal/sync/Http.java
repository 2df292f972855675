package dev.tandem.internal.sync;

import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Posts push and pull bodies with the headers the protocol names: {@code Content-Type}, {@code
 * Authorization} and {@code X-Replicache-RequestID: <clientID>-<sessionID>-<counter>}. Thread-safe.
 */
public final class Http {
  private static final MediaType JSON = MediaType.get("application/json");

  /** The app's client, or null until {@link #client()} makes a default one. */
  private volatile OkHttpClient client;

  private final String requestIDPrefix;
  private final AtomicLong counter = new AtomicLong();

  /**
   * @param client the app's OkHttp client, or null for a default one made on first use (on a sync
   *     thread: making one loads OkHttp, a few hundred milliseconds that {@code build()} need not
   *     wait for).
   */
  public Http(OkHttpClient client, String clientID, String sessionID) {
    this.client = client;
    this.requestIDPrefix = clientID + "-" + sessionID + "-";
  }

  /** Starts a POST; the caller executes the call and closes the response. */
  public Call post(String url, String authorization, String json) {
    Request request =
        new Request.Builder()
            .url(url)
            .header("Authorization", authorization == null ? "" : authorization)
            .header("X-Replicache-RequestID", requestIDPrefix + counter.getAndIncrement())
            .post(RequestBody.create(json, JSON))
            .build();
    return client().newCall(request);
  }

  public OkHttpClient client() {
    OkHttpClient current = client;
    if (current != null) return current;
    synchronized (this) {
      if (client == null) client = new OkHttpClient();
      return client;
    }
  }
}
