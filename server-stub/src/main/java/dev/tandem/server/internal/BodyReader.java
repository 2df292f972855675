package dev.tandem.server.internal;

import dev.tandem.server.HandlerResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import okio.Buffer;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads one request body without holding a thread while it waits for bytes: it takes what has
 * arrived, asks Jetty to call back when more does ({@link Request#demand}), and hands the whole
 * body on only once the last byte is in. A client that stalls holds a connection, not one of
 * Jetty's request threads, and Jetty's idle timeout ends the wait.
 *
 * <p>From its first byte until its last, a body holds one of {@code readers}' permits: that caps
 * the bodies in memory at once. A body that finds none left is refused with 503 at once. A request
 * that has sent no body byte yet holds no permit and no memory, so clients that stall before their
 * body cannot keep others out.
 *
 * <p>Exactly one of {@link Outcome}'s methods is called, once, on a thread that may block.
 */
final class BodyReader implements Runnable {
  /** What became of the body. */
  interface Outcome {
    void read(Buffer body);

    /** The body was not read; answer {@code answer} and close the connection. */
    void refused(HandlerResponse answer, String reason);
  }

  private final Request request;
  private final long maxBodyBytes;
  private final Semaphore readers;
  private final Outcome outcome;
  private final Buffer body = new Buffer();
  private boolean permit;

  BodyReader(Request request, long maxBodyBytes, Semaphore readers, Outcome outcome) {
    this.request = request;
    this.maxBodyBytes = maxBodyBytes;
    this.readers = readers;
    this.outcome = outcome;
  }

  /** Reads what has arrived; called first by the handler, then by Jetty when more arrives. */
  @Override
  public void run() {
    while (true) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        request.demand(this);
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        failed(chunk.getFailure());
        return;
      }
      boolean last;
      try {
        ByteBuffer bytes = chunk.getByteBuffer();
        if (bytes.hasRemaining()) {
          if (!permit && !(permit = readers.tryAcquire())) {
            refuse(
                HandlerResponse.error(503, "too many request bodies in progress; retry shortly"),
                "over the cap of bodies read at once");
            return;
          }
          if (body.size() + bytes.remaining() > maxBodyBytes) {
            refuse(HandlerResponse.bodyTooLarge(maxBodyBytes), "body over " + maxBodyBytes);
            return;
          }
          append(bytes);
        }
        last = chunk.isLast();
      } finally {
        chunk.release();
      }
      if (last) {
        release();
        outcome.read(body);
        return;
      }
    }
  }

  private void append(ByteBuffer bytes) {
    try {
      body.write(bytes); // Into the buffer's segments: the body's one copy.
    } catch (IOException e) {
      throw new AssertionError(e); // A Buffer does not throw.
    }
  }

  private void failed(Throwable failure) {
    if (failure instanceof TimeoutException) {
      refuse(
          HandlerResponse.error(408, "the request body stalled: nothing arrived in time"),
          "body stalled after " + body.size() + " bytes");
    } else {
      refuse(
          HandlerResponse.error(
              400, "truncated request body: the connection ended before the whole body arrived"),
          "body truncated after " + body.size() + " bytes (" + failure + ")");
    }
  }

  private void refuse(HandlerResponse answer, String reason) {
    release();
    body.clear();
    outcome.refused(answer, reason);
  }

  private void release() {
    if (permit) readers.release();
    permit = false;
  }
}
