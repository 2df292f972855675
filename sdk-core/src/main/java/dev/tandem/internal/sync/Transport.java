package dev.tandem.internal.sync;

import dev.tandem.AuthProvider;
import java.io.IOException;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Call;
import okhttp3.Response;

/** Sends push and pull requests with auth (asked again after a 401, up to 8 tries). */
final class Transport {
  private static final int MAX_AUTH_TRIES = 8;

  private final Http http;
  private final AuthProvider auth;
  private final Set<Call> inFlight =
      Collections.newSetFromMap(new ConcurrentHashMap<Call, Boolean>());
  private volatile boolean closed;

  Transport(Http http, AuthProvider auth) {
    this.http = http;
    this.auth = auth;
  }

  /**
   * Posts {@code json}; the caller closes the response. Any status is returned except a 401 that a
   * new token fixed.
   */
  Response post(String url, String json) throws IOException {
    return post(url, json, false);
  }

  /** {@link #post(String, String)}, asking for a new token first if {@code refresh}. */
  Response post(String url, String json, boolean refresh) throws IOException {
    for (int attempt = 1; ; attempt++) {
      if (closed) throw new IOException("closed");
      Call call = http.post(url, auth.authorization(refresh), json);
      inFlight.add(call);
      Response response;
      try {
        response = call.execute();
      } finally {
        inFlight.remove(call);
      }
      if (response.code() == 401 && attempt < MAX_AUTH_TRIES) {
        response.close();
        refresh = true;
        continue;
      }
      return response;
    }
  }

  /** The {@code Authorization} value from the app's provider (may block). */
  String authorization(boolean refresh) throws IOException {
    return auth.authorization(refresh);
  }

  Http http() {
    return http;
  }

  void close() {
    closed = true;
    for (Call call : inFlight) call.cancel();
  }
}
