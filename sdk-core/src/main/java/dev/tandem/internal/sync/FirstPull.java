package dev.tandem.internal.sync;

import dev.tandem.AuthProvider;
import dev.tandem.internal.store.Identity;
import dev.tandem.internal.store.LocalStore;
import dev.tandem.protocol.PullRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import okhttp3.OkHttpClient;
import okio.Okio;

/**
 * A new database's first pull, sent before its store has opened: the IDs are made first ({@link
 * Identity}), the request ({@code cookie: null}) goes out and its answer is read in full on a
 * thread of its own while the store opens, and the pull loop's first attempt applies that answer
 * instead of sending one ({@link Puller}). The store records the same IDs ({@link
 * LocalStore#open}); an answer is only ever applied into a store that has them, with no cookie yet,
 * under the write lock ({@code PullApplier}): otherwise it is dropped and the loop pulls as usual.
 * Nothing is written anywhere before the store opens, so a crash or a failed open in between leaves
 * nothing to undo: the server only answered a read, and the next start (a new database again, or
 * one with these IDs and no cookie) pulls in full.
 *
 * <p>With the app's own OkHttp client the request goes through it, like any other. Without one it
 * goes through the JDK's {@link HttpURLConnection}, whose classes a fresh process has at hand,
 * instead of waiting for OkHttp to load (the default OkHttp client is then made by the first
 * request that needs it): a plain POST with the same headers and body, no redirects followed, 10 s
 * timeouts. Any answer but a 200, or a failure, is not reported: the pull loop's first attempt then
 * pulls through OkHttp as it always does, with its retries, auth refresh and error reports.
 *
 * <p>Its {@link Transport} (the session's request IDs) becomes the engine's when the store has
 * these IDs. Thread-safe.
 */
public final class FirstPull implements Runnable {
  private static final int TIMEOUT_MILLIS = 10_000;

  private final Identity identity;
  private final String url;
  private final String schemaVersion;
  private final Transport transport;
  private final boolean viaJdk;
  private final CountDownLatch done = new CountDownLatch(1);

  // Guarded by this.
  private PullAnswer answer;
  private IOException failure;
  private RuntimeException crash;
  private HttpURLConnection connection;
  private boolean dropped;
  private boolean cancelled;
  private boolean taken;
  private boolean unauthorized;

  /**
   * @param client the app's OkHttp client, or null: then the request goes through the JDK, and
   *     later ones through {@code defaultClient}.
   * @param defaultClient the default OkHttp client for later requests, made on first use.
   */
  public FirstPull(
      Identity identity,
      String url,
      String schemaVersion,
      AuthProvider auth,
      OkHttpClient client,
      FutureTask<OkHttpClient> defaultClient) {
    this.identity = identity;
    this.url = url;
    this.schemaVersion = schemaVersion;
    this.viaJdk = client == null;
    // The IDs (SecureRandom, slow to load) are made by the request, on the pull's thread.
    this.transport = new Transport(new Http(client, defaultClient, identity), auth);
  }

  /**
   * True if the request goes through the JDK (no app client): nothing needs the default OkHttp
   * client before the first attempt has applied this pull's answer.
   */
  public boolean viaJdk() {
    return viaJdk;
  }

  /** Sends the request and reads its answer; run once, on a thread of its own. Never throws. */
  @Override
  public void run() {
    PullAnswer got = null;
    IOException io = null;
    RuntimeException other = null;
    try {
      if (!isDropped()) {
        // Written without Moshi: its writer's classes would load first, on the request's path.
        byte[] json =
            PullRequest.firstPullJson(
                identity.clientGroupID(), identity.profileID(), schemaVersion);
        got =
            viaJdk
                ? sendViaJdk(json)
                : PullAnswer.fetch(
                    transport, url, new String(json, StandardCharsets.UTF_8), () -> {});
      }
    } catch (IOException e) {
      if (!viaJdk) io = e; // Through the JDK: the first attempt pulls again, through OkHttp.
    } catch (RuntimeException e) {
      if (!viaJdk) other = e;
    } catch (Error e) {
      if (!viaJdk) other = new IllegalStateException(e); // Reported by the attempt, as a failure.
    }
    synchronized (this) {
      if (dropped && got != null) {
        got.close();
        got = null;
      }
      answer = got;
      failure = io;
      crash = other;
      connection = null;
    }
    done.countDown();
  }

  /**
   * The answer through the JDK's HTTP client: a 200's body, or another status's failure; null for a
   * 401 or a redirect, which the pull loop's OkHttp client handles (a new token, following).
   */
  private PullAnswer sendViaJdk(byte[] json) throws IOException {
    String authorization = transport.authorization(false);
    HttpURLConnection http = (HttpURLConnection) new URL(url).openConnection();
    synchronized (this) {
      if (cancelled) return null;
      connection = http;
    }
    try {
      http.setRequestMethod("POST");
      http.setDoOutput(true);
      http.setInstanceFollowRedirects(false);
      http.setUseCaches(false);
      http.setConnectTimeout(TIMEOUT_MILLIS);
      http.setReadTimeout(TIMEOUT_MILLIS);
      transport.http().headers(authorization, http::setRequestProperty);
      http.setFixedLengthStreamingMode(json.length);
      try (OutputStream out = http.getOutputStream()) {
        out.write(json);
      }
      int code = http.getResponseCode();
      if (code == 401) {
        synchronized (this) {
          unauthorized = true;
        }
      }
      if (code == 401 || (code >= 300 && code < 400)) {
        return null; // Left to the pull loop, through OkHttp: a new token, or a redirect.
      }
      if (code != 200) {
        InputStream error = http.getErrorStream();
        String excerpt = null;
        if (error != null) {
          try (okio.BufferedSource body = Okio.buffer(Okio.source(error))) {
            excerpt = Failures.excerpt(body);
          }
        }
        return PullAnswer.failed(Failures.http("pull", code, excerpt));
      }
      try (InputStream in = http.getInputStream()) {
        return PullAnswer.spool(Okio.buffer(Okio.source(in)));
      }
    } finally {
      http.disconnect();
    }
  }

  /** True if the server answered 401: the next request asks the auth provider for a new token. */
  synchronized boolean unauthorized() {
    return unauthorized;
  }

  /** The IDs the request carries. */
  public Identity identity() {
    return identity;
  }

  /** True if {@code local} has this pull's IDs: its answer may be applied there. */
  public boolean sentFor(LocalStore local) {
    return local.has(identity);
  }

  /** The transport the request went through: the engine's own when the store has these IDs. */
  Transport transport() {
    return transport;
  }

  /**
   * The answer, waiting for it; once only. Null if there is none to apply (dropped, or the JDK's
   * request failed or was not answered 200): the caller pulls as usual. Throws the failure of a
   * request through the app's client as a pull attempt's would be.
   */
  PullAnswer take() throws IOException {
    synchronized (this) {
      if (taken || dropped) return null;
      taken = true;
    }
    boolean interrupted = false;
    while (true) {
      try {
        done.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // The answer must not be left behind half-seen.
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
    synchronized (this) {
      if (failure != null) throw failure;
      if (crash != null) throw crash;
      PullAnswer got = answer;
      answer = null;
      return got;
    }
  }

  /**
   * Drops the answer unless it was taken: deleted now if it is in, or as soon as it is; a request
   * not yet sent is not sent.
   */
  public void drop() {
    PullAnswer got;
    synchronized (this) {
      if (taken) return;
      dropped = true;
      got = answer;
      answer = null;
    }
    if (got != null) got.close();
  }

  /**
   * Drops the answer (if not taken) and cancels the request in flight, whoever waits for it: the
   * instance is closing, or nobody will use this pull.
   */
  public void cancel() {
    drop();
    HttpURLConnection http;
    synchronized (this) {
      cancelled = true;
      http = connection;
    }
    if (http != null) http.disconnect(); // The reading thread fails at once.
    transport.close();
  }

  private synchronized boolean isDropped() {
    return dropped;
  }
}
