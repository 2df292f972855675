package dev.tandem.internal.sync;

import dev.tandem.AuthProvider;
import dev.tandem.internal.store.Identity;
import dev.tandem.internal.store.LocalStore;
import dev.tandem.protocol.Cookie;
import dev.tandem.protocol.ProtocolJson;
import dev.tandem.protocol.PullRequest;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import okhttp3.OkHttpClient;

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
 * <p>Its {@link Transport} (the session's request IDs) becomes the engine's when the store has
 * these IDs. Thread-safe.
 */
public final class FirstPull implements Runnable {
  private final Identity identity;
  private final String url;
  private final String schemaVersion;
  private final Transport transport;
  private final CountDownLatch done = new CountDownLatch(1);

  // Guarded by this.
  private PullAnswer answer;
  private IOException failure;
  private RuntimeException crash;
  private boolean dropped;
  private boolean taken;

  /**
   * @param client the app's OkHttp client, or null for {@code defaultClient}.
   * @param defaultClient the default client, being made (or to be made) by this pull's thread.
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
    // The IDs (SecureRandom, slow to load) are made by the request, on the pull's thread.
    this.transport = new Transport(new Http(client, defaultClient, identity), auth);
  }

  /** Sends the request and reads its answer; run once, on a thread of its own. Never throws. */
  @Override
  public void run() {
    PullAnswer got = null;
    IOException io = null;
    RuntimeException other = null;
    try {
      if (!isDropped()) {
        String json =
            ProtocolJson.moshi()
                .adapter(PullRequest.class)
                .toJson(
                    new PullRequest(
                        PullRequest.VERSION,
                        identity.clientGroupID(),
                        identity.profileID(),
                        schemaVersion,
                        Cookie.NULL));
        got = PullAnswer.fetch(transport, url, json, () -> {});
      }
    } catch (IOException e) {
      io = e;
    } catch (RuntimeException e) {
      other = e;
    } catch (Error e) {
      other = new IllegalStateException(e); // Reported by the loop that applies it, as a failure.
    }
    synchronized (this) {
      if (dropped && got != null) {
        got.close();
        got = null;
      }
      answer = got;
      failure = io;
      crash = other;
    }
    done.countDown();
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
   * The answer, waiting for it; once only (then null). Throws the request's failure as a pull
   * attempt's would be.
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
      return answer;
    }
  }

  /**
   * Drops the answer unless it was taken: deleted now if it is in, or as soon as it is. With {@code
   * cancel}, the request in flight is cancelled too (nobody will use this transport).
   */
  public void drop(boolean cancel) {
    PullAnswer got;
    synchronized (this) {
      if (taken) return;
      dropped = true;
      got = answer;
      answer = null;
    }
    if (got != null) got.close();
    if (cancel) transport.close();
  }

  private synchronized boolean isDropped() {
    return dropped;
  }
}
