package dev.tandem.server.internal;

import dev.tandem.server.Pokes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One server-sent-event stream. Jetty allows one write in flight per response, so events queue
 * here; pokes coalesce, because a poke carries no content and one "pull now" covers many.
 *
 * <p>The stream subscribes before it {@link #start starts}, so that the answer can still be a
 * refusal: pokes that come in between wait, and a revocation in between makes {@code start} fail.
 */
final class SseStream implements Pokes.StreamListener {
  private final Response response;
  private final Callback done;
  private AutoCloseable subscription;
  private boolean started;
  private boolean writing;
  private boolean closed;
  private boolean finished;
  private boolean pokePending;
  private boolean heartbeatPending;

  SseStream(Response response, Callback done) {
    this.response = response;
    this.done = done;
  }

  synchronized boolean isOpen() {
    return !closed;
  }

  /**
   * Opens the stream with a comment, so a client knows it is subscribed; false, and nothing
   * written, if it was revoked before it started (then the caller answers the request).
   */
  boolean start(AutoCloseable subscription) {
    synchronized (this) {
      this.subscription = subscription;
      if (!closed) {
        started = true;
        writing = true;
      }
    }
    if (!started) {
      closeQuietly(subscription);
      return false;
    }
    send(": connected\n\n");
    return true;
  }

  @Override
  public void poked() {
    synchronized (this) {
      if (closed) return;
      pokePending = true;
    }
    flush();
  }

  @Override
  public void revoked() {
    close();
  }

  void heartbeat() {
    synchronized (this) {
      if (closed) return;
      heartbeatPending = true;
    }
    flush();
  }

  /**
   * Ends the stream normally (server shutdown, or its group revoked). A write in flight finishes
   * first: Jetty wants the response's callback completed only once no write is pending.
   */
  void close() {
    boolean finishNow;
    synchronized (this) {
      if (closed) return;
      closed = true;
      finishNow = started && !writing;
    }
    closeQuietly(subscription);
    if (finishNow) finish(null);
  }

  private void flush() {
    String text;
    synchronized (this) {
      if (!started || writing || closed) return;
      if (pokePending) {
        text = "data: poke\n\n";
      } else if (heartbeatPending) {
        text = ": keepalive\n\n";
      } else {
        return;
      }
      pokePending = false;
      heartbeatPending = false;
      writing = true;
    }
    send(text);
  }

  private void send(String text) {
    response.write(
        false,
        ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)),
        Callback.from(this::written, this::failed));
  }

  private void written() {
    boolean finishNow;
    synchronized (this) {
      writing = false;
      finishNow = closed;
    }
    if (finishNow) finish(null);
    else flush();
  }

  private void failed(Throwable failure) {
    synchronized (this) {
      writing = false;
      closed = true;
    }
    finish(failure);
  }

  /** Completes the response, once: {@code failure} null for a normal end. */
  private void finish(Throwable failure) {
    synchronized (this) {
      if (finished) return;
      finished = true;
    }
    closeQuietly(subscription);
    if (failure == null) done.succeeded();
    else done.failed(failure);
  }

  private static void closeQuietly(AutoCloseable subscription) {
    if (subscription == null) return;
    try {
      subscription.close();
    } catch (Exception ignored) {
      // Removing a subscription does not fail.
    }
  }
}
