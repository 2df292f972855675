package dev.tandem.internal.sync;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonReader;
import dev.tandem.RefusedMutation;
import dev.tandem.SyncError;
import dev.tandem.internal.rebase.SchemaRecovery;
import dev.tandem.internal.store.LocalStore;
import dev.tandem.internal.store.Pending;
import dev.tandem.protocol.ErrorResponse;
import dev.tandem.protocol.Mutation;
import dev.tandem.protocol.ProtocolJson;
import dev.tandem.protocol.PushRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The push loop (client rule 3): pending mutations in order, in batches capped by count and bytes,
 * one request in flight, looping until everything pending has been sent. A push confirms nothing;
 * mutations leave the queue when a pull says the server processed them.
 *
 * <p>A 413 (the server found the request too large) halves the batch and tries again at once, down
 * to a single mutation; a single mutation the server still refuses stays first in the queue and is
 * retried with backoff, with {@link SyncError.Kind#MUTATION_TOO_LARGE} in the status. {@code
 * mutate} refuses mutations over {@code maxMutationBytes}, so that takes a server whose limit is
 * below the client's.
 */
final class Pusher extends SyncLoop {
  private final LocalStore local;
  private final Transport transport;
  private final SyncConfig config;
  private final SchemaRecovery recovery;
  private final Runnable pullForFlush;
  private final Runnable groupLost;

  /** The queue position sent last in this session; 0 sends from the start again. */
  private volatile long sentUpTo;

  /** The queue position a 200 answered last: the server has received everything up to it. */
  private volatile long receivedUpTo;

  /** The batch count after a 413; the configured cap otherwise. */
  private volatile int batchCount;

  Pusher(
      SyncState state,
      LocalStore local,
      Transport transport,
      SyncConfig config,
      SchemaRecovery recovery,
      Runnable pullForFlush,
      Runnable groupLost) {
    super(config.scheduler, config.backoff(), state);
    this.local = local;
    this.transport = transport;
    this.config = config;
    this.recovery = recovery;
    this.pullForFlush = pullForFlush;
    this.groupLost = groupLost;
    this.batchCount = config.maxPushBatchCount;
  }

  /** Where the server had received everything up to when this is called (queue position). */
  long receivedUpTo() {
    return receivedUpTo;
  }

  /**
   * After a pull: if a mutation the server had answered 200 for before the pull was requested is
   * still pending, the server did not keep it (it lost state, or it processes pushes later): send
   * everything unconfirmed again. Otherwise keep going from where the pusher is, so nothing in
   * flight or already received is sent twice.
   */
  void pulled(long oldestPendingSeq, long receivedBeforePull) {
    if (oldestPendingSeq > 0 && oldestPendingSeq <= receivedBeforePull) {
      sentUpTo = 0;
      receivedUpTo = 0;
    }
  }

  @Override
  long attempt() {
    if (state.stopped() || !state.networkAvailable()) return DONE;
    List<Pending> batch = batch();
    if (batch.isEmpty()) {
      if (state.hasFlushWaiters()) pullForFlush.run();
      return DONE;
    }
    batch = oneVersion(batch);
    final String schemaVersion = batch.get(0).schemaVersion;
    List<Mutation> mutations = new ArrayList<>(batch.size());
    for (Pending pending : batch) {
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
                    local.clientGroupID(),
                    local.profileID(),
                    schemaVersion,
                    mutations));
    state.update(s -> s.withPushing(true));
    try (Response response = transport.post(config.pushUrl, json)) {
      state.update(s -> s.withOnline(state.networkAvailable()));
      if (response.code() != 200) {
        sentUpTo = 0;
        if (response.code() == 413 && batch.size() > 1) {
          batchCount = Math.max(1, batch.size() / 2);
          return 0; // Smaller, at once.
        }
        SyncError error = Failures.http("push", response);
        if (response.code() == 413) {
          Pending first = batch.get(0);
          error =
              new SyncError(
                  SyncError.Kind.MUTATION_TOO_LARGE,
                  413,
                  "the server refused mutation "
                      + first.id
                      + " ('"
                      + first.name
                      + "', about "
                      + first.approximateBytes()
                      + " bytes) as too large",
                  error.serverMessage());
        }
        state.failed(error);
        return backoff.failure();
      }
      ErrorResponse error = errorIn(response.body());
      if (error != null) return refused(error, schemaVersion);
      sentUpTo = batch.get(batch.size() - 1).seq;
      receivedUpTo = sentUpTo;
      batchCount = config.maxPushBatchCount;
      backoff.success();
      state.update(s -> s.withLastError(null));
      return 0; // Send the next batch, or find there is none.
    } catch (IOException e) {
      sentUpTo = 0;
      state.failed(Failures.network("push", e));
      return backoff.failure();
    } finally {
      state.update(s -> s.withPushing(false));
    }
  }

  /**
   * A push carries one {@code schemaVersion}: the batch's first mutations that share the first
   * one's (mutation recovery pushes an older version's mutations under that version).
   */
  private static List<Pending> oneVersion(List<Pending> batch) {
    String version = batch.get(0).schemaVersion;
    int same = 1;
    while (same < batch.size() && batch.get(same).schemaVersion.equals(version)) same++;
    return same == batch.size() ? batch : batch.subList(0, same);
  }

  /**
   * A 200 whose body is an error. A server behind this client (clientTooNew) is retried with
   * backoff. An older version's mutations the server no longer serves are recovered: removed,
   * reverted and handed to the app as refusals; then the queue goes on. A forgotten group
   * (ClientStateNotFound) goes on in a new group. Anything else stops syncing (onUpdateNeeded).
   */
  private long refused(ErrorResponse error, String schemaVersion) {
    if (Failures.serverBehind(error)) {
      sentUpTo = 0;
      state.failed(Failures.serverBehind("push", error, schemaVersion));
      return backoff.failure();
    }
    if (!schemaVersion.equals(config.schemaVersion) && Failures.schemaTooOld(error)) {
      List<RefusedMutation> refused =
          recovery.abandon(
              schemaVersion,
              "the server no longer serves schema version "
                  + schemaVersion
                  + ", which this mutation was made with ("
                  + error
                  + ")");
      long pending = local.pendingCount();
      state.update(s -> s.withPendingCount(pending));
      state.refused(refused);
      return 0; // On with the next version's mutations.
    }
    if (error.kind() == ErrorResponse.Kind.CLIENT_STATE_NOT_FOUND) {
      // The server forgot this group (client GC): go on in a new one, everything pending kept and
      // renumbered, and send it again from the start.
      sentUpTo = 0;
      receivedUpTo = 0;
      groupLost.run();
      return backoff.failure();
    }
    state.stop("push refused: " + error, error);
    return DONE;
  }

  private List<Pending> batch() {
    List<Pending> candidates = local.pending(sentUpTo, batchCount);
    List<Pending> batch = new ArrayList<>(candidates.size());
    long bytes = 0;
    for (Pending pending : candidates) {
      bytes += pending.approximateBytes();
      if (!batch.isEmpty() && bytes > config.maxPushBatchBytes) break;
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
