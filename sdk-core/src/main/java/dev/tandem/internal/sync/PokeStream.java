package dev.tandem.internal.sync;

import dev.tandem.AuthProvider;
import dev.tandem.internal.store.LocalStore;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.disposables.Disposable;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;

/**
 * Listens to the server's poke stream (server-sent events): every event means "pull now". The
 * request carries the same {@code Authorization} as push and pull, and the client group's ID as the
 * {@code clientGroupID} query parameter, so a server can scope the stream to the group's owner. A
 * dropped or refused stream reconnects with exponential backoff; after a 401 the next attempt asks
 * the {@link AuthProvider} for a fresh token.
 */
final class PokeStream extends EventSourceListener {
  private final Transport transport;
  private final String url;
  private final LocalStore local;
  private final Puller puller;
  private final Scheduler.Worker worker;
  private final Backoff backoff;
  private final SyncState state;
  private EventSource source;
  private Disposable reconnect;
  private boolean closed;
  private boolean refreshAuth;

  PokeStream(
      Transport transport,
      String url,
      LocalStore local,
      Puller puller,
      Scheduler scheduler,
      Backoff backoff,
      SyncState state) {
    this.transport = transport;
    this.url = url;
    this.local = local;
    this.puller = puller;
    this.worker = scheduler.createWorker();
    this.backoff = backoff;
    this.state = state;
  }

  /** Opens the stream on the sync worker (the auth provider may block), unless one is open. */
  synchronized void connect() {
    if (!wanted() || source != null) return;
    if (reconnect != null) reconnect.dispose();
    reconnect = worker.schedule(this::open);
  }

  private boolean wanted() {
    return !closed && !state.stopped() && state.networkAvailable() && state.foreground();
  }

  private void open() {
    boolean refresh;
    synchronized (this) {
      if (!wanted() || source != null) return;
      refresh = refreshAuth;
      refreshAuth = false;
    }
    String authorization;
    try {
      authorization = transport.authorization(refresh);
    } catch (IOException | RuntimeException e) {
      synchronized (this) {
        scheduleReconnect();
      }
      return;
    }
    Request request =
        new Request.Builder()
            .url(
                HttpUrl.get(url)
                    .newBuilder()
                    .addQueryParameter("clientGroupID", local.clientGroupID())
                    .build())
            .header("Accept", "text/event-stream")
            .header("Authorization", authorization == null ? "" : authorization)
            .build();
    synchronized (this) {
      if (!wanted() || source != null) return;
      source = EventSources.createFactory(transport.http().client()).newEventSource(request, this);
    }
  }

  // OkHttp calls these on its own threads, possibly before connect() has stored the new source:
  // checking under the lock makes them wait for it.

  private synchronized boolean current(EventSource eventSource) {
    return eventSource == source;
  }

  @Override
  public void onOpen(EventSource eventSource, Response response) {
    synchronized (this) {
      if (eventSource != source) return;
      backoff.success();
    }
    puller.schedule(0); // Anything poked while we were away.
  }

  @Override
  public void onEvent(EventSource eventSource, String id, String type, String data) {
    if (current(eventSource)) puller.poked();
  }

  @Override
  public synchronized void onClosed(EventSource eventSource) {
    if (eventSource == source) scheduleReconnect();
  }

  @Override
  public synchronized void onFailure(
      EventSource eventSource, Throwable failure, Response response) {
    if (eventSource != source) return;
    if (response != null && response.code() == 401) refreshAuth = true;
    scheduleReconnect();
  }

  /** Drops the stream (the network went away); {@link #connect} opens a new one. */
  synchronized void disconnect() {
    if (reconnect != null) reconnect.dispose();
    if (source != null) source.cancel();
    source = null;
  }

  private synchronized void scheduleReconnect() {
    source = null;
    if (closed || !state.networkAvailable() || !state.foreground()) return;
    long delay = backoff.failure();
    reconnect = worker.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  synchronized void close() {
    closed = true;
    if (reconnect != null) reconnect.dispose();
    if (source != null) source.cancel();
    worker.dispose();
  }
}
