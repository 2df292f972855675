package dev.tandem.internal.sync;

import dev.tandem.SyncError;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSink;
import okio.BufferedSource;
import okio.Okio;

/**
 * A pull's answer, read off the network in full before anything of it is applied, so the write lock
 * is never held across the network: a body of up to 1 MiB in memory, a larger one spooled to a
 * temporary file (deleted by {@link #close}); or, for a status other than 200, the failure to
 * report. Not thread-safe: one owner at a time.
 */
final class PullAnswer implements Closeable {
  private static final long MEMORY_SPOOL_BYTES = 1L << 20;

  /** Null for a 200; otherwise what the status reports (with an excerpt of the body). */
  final SyncError failure;

  /** The body of a 200, to read once; null otherwise. */
  final BufferedSource body;

  /** True if the body was larger than fits in memory (spooled to a file). */
  final boolean large;

  private final File spill;

  private PullAnswer(SyncError failure, BufferedSource body, boolean large, File spill) {
    this.failure = failure;
    this.body = body;
    this.large = large;
    this.spill = spill;
  }

  /**
   * Posts {@code json} to {@code url} and reads the answer in full. {@code answered} runs when the
   * response's headers are in (the server answered: the client is online).
   */
  static PullAnswer fetch(Transport transport, String url, String json, Runnable answered)
      throws IOException {
    return fetch(transport, url, json, false, answered);
  }

  /** {@link #fetch}, asking for a new token first if {@code refresh} (a 401 came before). */
  static PullAnswer fetch(
      Transport transport, String url, String json, boolean refresh, Runnable answered)
      throws IOException {
    try (Response response = transport.post(url, json, refresh)) {
      answered.run();
      if (response.code() != 200) {
        return new PullAnswer(Failures.http("pull", response), null, false, null);
      }
      return spool(response.body().source());
    }
  }

  /** A status other than 200, as {@code failure} reports it. */
  static PullAnswer failed(SyncError failure) {
    return new PullAnswer(failure, null, false, null);
  }

  /** The answer of a 200 whose body is {@code source}, read in full. */
  static PullAnswer spool(BufferedSource source) throws IOException {
    Buffer memory = new Buffer();
    while (memory.size() <= MEMORY_SPOOL_BYTES && source.read(memory, 8192) != -1) {
      // Small responses stay in memory.
    }
    if (source.exhausted()) return new PullAnswer(null, memory, false, null);
    File spill = File.createTempFile("tandem-pull", ".json");
    try {
      try (BufferedSink sink = Okio.buffer(Okio.sink(spill))) {
        sink.writeAll(memory);
        sink.writeAll(source);
      }
      return new PullAnswer(null, Okio.buffer(Okio.source(spill)), true, spill);
    } catch (IOException | RuntimeException | Error e) {
      delete(spill);
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      if (body != null) body.close();
    } catch (IOException e) {
      // Only read from: nothing to lose.
    }
    if (spill != null) delete(spill);
  }

  private static void delete(File file) {
    if (!file.delete()) file.deleteOnExit();
  }
}
