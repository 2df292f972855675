package dev.tandem.internal.sync;

import com.squareup.moshi.JsonDataException;
import dev.tandem.internal.rebase.PullApplier;
import dev.tandem.internal.store.LocalStore;
import dev.tandem.protocol.Cookie;
import dev.tandem.protocol.ErrorResponse;
import dev.tandem.protocol.ProtocolJson;
import dev.tandem.protocol.PullRequest;
import java.io.File;
import java.io.IOException;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSink;
import okio.BufferedSource;
import okio.Okio;
import okio.Source;

/**
 * The pull loop (client rules 4 and 5): on start, every {@code pullInterval}, on a poke and on
 * demand, one request in flight. The response is spooled (to memory when small, to a temp file when
 * large) before the write lock is taken, then applied as a stream by {@link PullApplier}; a large
 * one is parsed on a second thread while the first writes it.
 */
final class Puller extends SyncLoop {
  private static final long MEMORY_SPOOL_BYTES = 1L << 20;

  private final LocalStore local;
  private final Transport transport;
  private final PullApplier applier;
  private final SyncConfig config;
  private final Runnable groupLost;
  private final AfterPull afterPull;
  private final Position received;

  /** Told after each applied (or no-op) pull what is still pending. */
  interface AfterPull {
    /**
     * @param pending how many mutations are still pending.
     * @param receivedBeforePull the queue position the server had acknowledged when the pull was
     *     requested ({@link Position#at()} then).
     */
    void pulled(long pending, long receivedBeforePull);
  }

  /** A queue position read when a pull is requested: how far the server had received pushes. */
  interface Position {
    long at();
  }

  Puller(
      SyncState state,
      LocalStore local,
      Transport transport,
      PullApplier applier,
      SyncConfig config,
      Position received,
      AfterPull afterPull,
      Runnable groupLost) {
    super(config.scheduler, config.backoff(), state);
    this.local = local;
    this.transport = transport;
    this.applier = applier;
    this.config = config;
    this.groupLost = groupLost;
    this.received = received;
    this.afterPull = afterPull;
  }

  /**
   * A poke: pulls at once when no pull is out (the end-to-end latency of a lone change); pokes that
   * come while a pull is out are answered by one pull {@code pullDelay} after it started, so a
   * burst of the server's changes takes fewer pulls, each holding the write lock once.
   */
  void poked() {
    scheduleBehindRun(config.pullDelayMillis);
  }

  /** In the background nothing polls: only a pull someone waits for is retried. */
  @Override
  boolean retryWanted() {
    return state.foreground() || state.someoneWaits();
  }

  @Override
  void afterSuccess() {
    if (config.pullIntervalMillis > 0 && state.foreground()) schedule(config.pullIntervalMillis);
  }

  @Override
  long attempt() {
    if (state.stopped() || !state.networkAvailable()) return DONE;
    long receivedBeforePull = received.at(); // Before the request: pushes after it may race it.
    Cookie base = local.cookie();
    String json =
        ProtocolJson.moshi()
            .adapter(PullRequest.class)
            .toJson(
                new PullRequest(
                    PullRequest.VERSION,
                    local.clientGroupID(),
                    local.profileID(),
                    config.schemaVersion,
                    base));
    state.update(s -> s.withPulling(true));
    File spill = null;
    try {
      PullApplier.Outcome outcome;
      try (Response response = transport.post(config.pullUrl, json)) {
        state.update(s -> s.withOnline(state.networkAvailable()));
        if (response.code() != 200) {
          state.failed(Failures.http("pull", response));
          return backoff.failure();
        }
        Buffer memory = new Buffer();
        BufferedSource source = response.body().source();
        while (memory.size() <= MEMORY_SPOOL_BYTES && source.read(memory, 8192) != -1) {
          // Small responses stay in memory.
        }
        BufferedSource body;
        boolean large = !source.exhausted();
        if (!large) {
          body = memory;
        } else {
          spill = File.createTempFile("tandem-pull", ".json");
          try (BufferedSink sink = Okio.buffer(Okio.sink(spill))) {
            sink.writeAll(memory);
            sink.writeAll(source);
          }
          Source file = Okio.source(spill);
          body = Okio.buffer(file);
        }
        try {
          outcome = applier.apply(body, base, large);
        } catch (IOException e) {
          // The body is already here in full: failing to read it means it is not JSON.
          throw new JsonDataException(e.getMessage(), e);
        } finally {
          body.close();
        }
      }
      return handle(outcome, receivedBeforePull);
    } catch (JsonDataException | com.squareup.moshi.JsonEncodingException e) {
      state.failed(Failures.protocol("malformed pull response: " + e.getMessage()));
      return backoff.failure();
    } catch (IOException e) {
      state.failed(Failures.network("pull", e));
      return backoff.failure();
    } finally {
      if (spill != null && !spill.delete()) spill.deleteOnExit();
      state.update(s -> s.withPulling(false));
    }
  }

  private long handle(PullApplier.Outcome outcome, long receivedBeforePull) {
    switch (outcome.kind) {
      case APPLIED:
      case NO_OP:
        backoff.success();
        long now = scheduler.now(java.util.concurrent.TimeUnit.MILLISECONDS);
        long pending = local.pendingCount();
        state.update(s -> s.withLastError(null).withLastSync(now).withPendingCount(pending));
        state.refused(outcome.refused);
        state.pendingFrom(local.oldestPendingSeq());
        state.pulled();
        afterPull.pulled(pending, receivedBeforePull);
        return DONE;
      case DISCARDED:
        return 0; // Our cookie moved on while this pull was out: ask again from the new one.
      case REJECTED:
        state.failed(Failures.protocol(outcome.message));
        return backoff.failure();
      case ERROR:
      default:
        if (Failures.serverBehind(outcome.error)) {
          state.failed(Failures.serverBehind("pull", outcome.error, config.schemaVersion));
          return backoff.failure(); // The app is fine; the server is behind: keep trying.
        }
        if (outcome.error.kind() == ErrorResponse.Kind.CLIENT_STATE_NOT_FOUND) {
          groupLost.run(); // Go on in a new group; its first pull is a full one.
          return backoff.failure();
        }
        state.stop("pull refused: " + outcome.error, outcome.error);
        return DONE;
    }
  }
}
