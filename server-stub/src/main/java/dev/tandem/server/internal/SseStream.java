package dev.tandem.server.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One server-sent-event stream. Jetty allows one write in flight per response, so events queue
 * here; pokes coalesce, because a poke carries no content and one "pull now" covers many.
 */
public final class SseStream {
  private final Response response;
  private final Callback done;
  private final Runnable onClose;
  private boolean writing;
  private boolean closed;
  private boolean pokePending;
  private boolean heartbeatPending;

  public SseStream(Response response, Callback done, Runnable onClose) {
    this.response = response;
    this.done = done;
    this.onClose = onClose;
  }

  public synchronized boolean isOpen() {
    return !closed;
  }

  /** Opens the stream with a comment, so a client knows it is subscribed. */
  public void open() {
    write(": connected\n\n");
  }

  public void poke() {
    synchronized (this) {
      if (closed) return;
      pokePending = true;
      if (writing) return;
    }
    flush();
  }

  public void heartbeat() {
    synchronized (this) {
      if (closed) return;
      heartbeatPending = true;
      if (writing) return;
    }
    flush();
  }

  /** Ends the stream normally (server shutdown). */
  public void close() {
    synchronized (this) {
      if (closed) return;
      closed = true;
    }
    onClose.run();
    done.succeeded();
  }

  private void flush() {
    String text;
    synchronized (this) {
      if (writing || closed) return;
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

  private void write(String text) {
    synchronized (this) {
      if (closed) return;
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
    synchronized (this) {
      writing = false;
    }
    flush();
  }

  private void failed(Throwable failure) {
    synchronized (this) {
      if (closed) return;
      closed = true;
    }
    onClose.run();
    done.failed(failure);
  }
}
