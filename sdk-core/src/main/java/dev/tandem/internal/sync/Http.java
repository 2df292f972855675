package dev.tandem.internal.sync;

import dev.tandem.internal.Ids;
import dev.tandem.internal.Tasks;
import dev.tandem.internal.store.Identity;
import dev.tandem.protocol.ProtocolJson;
import dev.tandem.protocol.PullRequest;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Call;
import okhttp3.ConnectionSpec;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Posts push and pull bodies with the headers the protocol names: {@code Content-Type}, {@code
 * Authorization} and {@code X-Replicache-RequestID: <clientID>-<sessionID>-<counter>}, set in one
 * place ({@link #headers}) for OkHttp's requests and for a first pull through the JDK ({@link
 * FirstPull}). Thread-safe.
 */
public final class Http {
  /** The {@code Content-Type} of every push and pull body. */
  static final String CONTENT_TYPE = "application/json; charset=utf-8";

  /**
   * OkHttp's form of {@link #CONTENT_TYPE}, made when a request first needs it: parsing a media
   * type loads Kotlin's regular expressions, 40-odd classes that a first pull through the JDK does
   * without.
   */
  private static final class Json {
    static final MediaType TYPE = MediaType.get(CONTENT_TYPE);
  }

  /** Where {@link #headers} sets a request's headers: OkHttp's request builder, or the JDK's. */
  interface Headers {
    void set(String name, String value);
  }

  /** The app's client, or null until {@link #client()} has the default one. */
  private volatile OkHttpClient client;

  /** The default client, made by whichever thread runs it first. */
  private final FutureTask<OkHttpClient> defaultClient;

  /** Where a new database's clientID comes from, when it is made on first use; else null. */
  private final Identity identity;

  private volatile String requestIDPrefix;
  private final AtomicLong counter = new AtomicLong();

  /**
   * @param client the app's OkHttp client, or null for the default one.
   * @param defaultClient the default client ({@link #defaultClient}), perhaps already being made on
   *     a thread of its own (making one loads OkHttp, a few hundred milliseconds that {@code
   *     build()} need not wait for), or null to make one on first use.
   */
  public Http(
      OkHttpClient client,
      FutureTask<OkHttpClient> defaultClient,
      String clientID,
      String sessionID) {
    this.client = client;
    this.defaultClient =
        client != null || defaultClient != null
            ? defaultClient
            : defaultClient(Collections.<String>emptyList());
    this.identity = null;
    this.requestIDPrefix = clientID + "-" + sessionID + "-";
  }

  /**
   * For a new database's first pull ({@link FirstPull}): the clientID is {@code identity}'s, and it
   * and the session ID are made by the first request, on its thread, not by the caller.
   */
  Http(OkHttpClient client, FutureTask<OkHttpClient> defaultClient, Identity identity) {
    this.client = client;
    this.defaultClient =
        client != null || defaultClient != null
            ? defaultClient
            : defaultClient(Collections.<String>emptyList());
    this.identity = identity;
  }

  private String requestIDPrefix() {
    String prefix = requestIDPrefix;
    if (prefix == null) {
      synchronized (this) {
        prefix = requestIDPrefix;
        if (prefix == null) {
          prefix = identity.clientID() + "-" + Ids.newId(8) + "-";
          requestIDPrefix = prefix;
        }
      }
    }
    return prefix;
  }

  /** Starts a POST; the caller executes the call and closes the response. */
  public Call post(String url, String authorization, String json) {
    Request.Builder request = new Request.Builder().url(url);
    headers(authorization, request::header);
    return client().newCall(request.post(RequestBody.create(json, Json.TYPE)).build());
  }

  /**
   * Sets the headers of the next request (a new request ID each call): {@code Content-Type}, {@code
   * Authorization} ({@code authorization} from the app's provider; empty if it gave none) and
   * {@code X-Replicache-RequestID}. Through OkHttp its body's type is the same {@link
   * #CONTENT_TYPE}.
   */
  void headers(String authorization, Headers request) {
    request.set("Content-Type", CONTENT_TYPE);
    request.set("Authorization", authorization == null ? "" : authorization);
    request.set("X-Replicache-RequestID", nextRequestID());
  }

  /** The next {@code X-Replicache-RequestID}: {@code <clientID>-<sessionID>-<counter>}. */
  private String nextRequestID() {
    return requestIDPrefix() + counter.getAndIncrement();
  }

  public OkHttpClient client() {
    OkHttpClient current = client;
    if (current != null) return current;
    current = Tasks.runOrAwait(defaultClient); // Made once, whichever thread asks first.
    client = current;
    return current;
  }

  /**
   * The default client for {@code urls}, to run once (on any thread). When every URL is plain
   * {@code http:} it speaks cleartext only: OkHttp then skips loading the platform's trust store
   * and TLS, the slowest part of making a client (an {@code https:} redirect would then fail; an
   * app whose server does that gives its own client). Otherwise OkHttp's defaults.
   */
  public static FutureTask<OkHttpClient> defaultClient(List<String> urls) {
    boolean cleartext = !urls.isEmpty();
    for (String url : urls) {
      if (!url.regionMatches(true, 0, "http:", 0, 5)) cleartext = false;
    }
    final boolean cleartextOnly = cleartext;
    return new FutureTask<>(
        () -> {
          OkHttpClient client =
              cleartextOnly
                  ? new OkHttpClient.Builder()
                      .connectionSpecs(Collections.singletonList(ConnectionSpec.CLEARTEXT))
                      .build()
                  : new OkHttpClient();
          // And the JSON adapter of the first request, on the same thread (class loading).
          ProtocolJson.moshi().adapter(PullRequest.class);
          return client;
        });
  }
}
