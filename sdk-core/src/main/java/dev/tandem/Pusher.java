package dev.tandem;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonReader;
import dev.tandem.internal.store.Store;
import dev.tandem.internal.sync.Backoff;
import dev.tandem.protocol.ErrorResponse;
import dev.tandem.protocol.Mutation;
import dev.tandem.protocol.ProtocolJson;
import dev.tandem.protocol.PushRequest;
import io.reactivex.rxjava3.core.Scheduler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The push loop (client rule 3): pending mutations in order, in batches capped by count and bytes,
 * one request in flight, looping until everything pending has been sent. A push confirms nothing;
 * mutations leave the queue when a pull says the server processed them.
 */
final class Pusher extends SyncLoop {
  private final LocalStore local;
  private final Transport transport;
  private final Config config;
  private Puller puller;

  /** The queue position sent last in this session; 0 sends from the start again. */
  private volatile long sentUpTo;

  /** Batch caps and the push URL. */
  static final class Config {
    final String url;
    final String schemaVersion;
    final int maxBatchCount;
    final long maxBatchBytes;

    Config(String url, String schemaVersion, int maxBatchCount, long maxBatchBytes) {
      this.url = url;
      this.schemaVersion = schemaVersion;
      this.maxBatchCount = maxBatchCount;
      this.maxBatchBytes = maxBatchBytes;
    }
  }

  Pusher(
      Scheduler scheduler,
      Backoff backoff,
      SyncState state,
      LocalStore local,
      Transport transport,
      Config config) {
    super(scheduler, backoff, state);
    this.local = local;
    this.transport = transport;
    this.config = config;
  }

  void setPuller(Puller puller) {
    this.puller = puller;
  }

  /** After a pull, what is still pending is what the server has not applied: resend it. */
  void resendFromStart() {
    sentUpTo = 0;
  }

  @Override
  long attempt() {
    if (state.stopped() || !state.networkAvailable()) return DONE;
    List<Store.Pending> batch = batch();
    if (batch.isEmpty()) {
      if (state.hasFlushWaiters()) puller.schedule(0);
      return DONE;
    }
    List<Mutation> mutations = new ArrayList<>(batch.size());
    for (Store.Pending pending : batch) {
      mutations.add(
          new Mutation(
              pending.clientID, pending.id, pending.name, pending.args, pending.timestamp));
    }
    String json =
        ProtocolJson.moshi()
            .adapter(PushRequest.class)
            .toJson(
                new PushRequest(
                    PushRequest.VERSION,
                    local.clientGroupID,
                    local.profileID,
                    config.schemaVersion,
                    mutations));
    state.update(s -> s.withPushing(true));
    try (Response response = transport.post(config.url, json)) {
      state.update(s -> s.withOnline(state.networkAvailable()));
      if (response.code() != 200) {
        sentUpTo = 0;
        String message = "push answered HTTP " + response.code();
        state.update(s -> s.withLastError(message));
        return backoff.failure();
      }
      ErrorResponse error = errorIn(response.body());
      if (error != null) {
        state.stop("push refused: " + error, error);
        return DONE;
      }
      sentUpTo = batch.get(batch.size() - 1).seq;
      backoff.success();
      state.update(s -> s.withLastError(null));
      return 0; // Send the next batch, or find there is none.
    } catch (IOException e) {
      sentUpTo = 0;
      String message = "push failed: " + e;
      state.update(s -> s.withOnline(false).withLastError(message));
      return backoff.failure();
    } finally {
      state.update(s -> s.withPushing(false));
    }
  }

  private List<Store.Pending> batch() {
    List<Store.Pending> candidates = local.pending(sentUpTo, config.maxBatchCount);
    List<Store.Pending> batch = new ArrayList<>(candidates.size());
    long bytes = 0;
    for (Store.Pending pending : candidates) {
      bytes += pending.args.toString().length() + pending.name.length() + 100;
      if (!batch.isEmpty() && bytes > config.maxBatchBytes) break;
      batch.add(pending);
    }
    return batch;
  }

  /** The error in a 200 push body, or null: any other body, JSON or not, means received. */
  private static ErrorResponse errorIn(ResponseBody body) {
    try {
      return ErrorResponse.readPushResponse(JsonReader.of(body.source()));
    } catch (IOException | JsonDataException e) {
      return null;
    }
  }
}
