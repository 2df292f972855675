package dev.tandem.internal.sync;

import dev.tandem.SyncStoppedException;
import dev.tandem.internal.Ids;
import dev.tandem.internal.rebase.PullApplier;
import dev.tandem.internal.rebase.SchemaRecovery;
import dev.tandem.internal.store.LocalStore;
import dev.tandem.internal.store.Meta;
import dev.tandem.internal.store.Pending;
import dev.tandem.protocol.ErrorResponse;
import io.reactivex.rxjava3.core.Completable;
import java.util.ArrayList;
import java.util.List;

/**
 * Syncs with a Replicache-protocol server: owns the push loop, the pull loop and the poke stream,
 * and wires them to one another (a pull tells the pusher what is still pending; a flush with
 * nothing left to push asks for a pull). A loop whose URL is not configured is absent.
 */
public final class RealSyncEngine extends SyncEngine {
  private final LocalStore local;
  private final SyncConfig config;
  private final Transport transport;
  private final SchemaRecovery recovery;
  private final Pusher pusher;
  private final Puller puller;
  private final List<PokeStream> pokes = new ArrayList<>();

  /**
   * @param first a new database's first pull, sent before {@code local} opened, or null: its answer
   *     is applied by the first pull attempt if {@code local} has its IDs, and dropped otherwise.
   */
  public RealSyncEngine(
      SyncState state,
      LocalStore local,
      PullApplier applier,
      SchemaRecovery recovery,
      SyncConfig config,
      FirstPull first) {
    super(state);
    this.local = local;
    this.config = config;
    this.recovery = recovery;
    if (first != null && (config.pullUrl == null || !first.sentFor(local))) {
      first.cancel();
      first = null;
    }
    this.transport =
        first != null
            ? first.transport() // The same session: its request IDs go on counting.
            : new Transport(
                new Http(
                    config.httpClient, config.defaultHttpClient, local.clientID(), Ids.newId(8)),
                config.auth);
    this.puller =
        config.pullUrl == null
            ? null
            : new Puller(
                state,
                local,
                transport,
                applier,
                config,
                this::receivedUpTo,
                this::afterPull,
                this::groupLost);
    if (puller != null && first != null) puller.firstPull(first);
    this.pusher =
        config.pushUrl == null
            ? null
            : new Pusher(
                state, local, transport, config, recovery, () -> schedulePull(0), this::groupLost);
    if (puller != null) {
      for (String url : config.pokeUrls) {
        pokes.add(
            new PokeStream(
                transport, url, local, puller, config.scheduler, config.backoff(), state));
      }
    }
  }

  private long receivedUpTo() {
    return pusher == null ? 0 : pusher.receivedUpTo();
  }

  private void afterPull(long pending, long receivedBeforePull) {
    if (pusher == null || pending == 0) return;
    List<Pending> oldest = local.pending(0, 1);
    pusher.pulled(oldest.isEmpty() ? 0 : oldest.get(0).seq, receivedBeforePull);
    pusher.schedule(0);
  }

  private void schedulePull(long delayMillis) {
    if (puller != null) puller.schedule(delayMillis);
  }

  private void schedulePush(long delayMillis) {
    if (pusher != null) pusher.schedule(delayMillis);
  }

  /**
   * The server forgot this client group (client GC): go on in a new one. Everything pending is kept
   * and renumbered, flushes wait for the same mutations, the poke streams reopen for the new group,
   * and the next pull is a full one.
   */
  private synchronized void groupLost() {
    recovery.startNewGroup();
    state.groupRestarted();
    disconnectPokes();
    connectPokes();
    schedulePull(0);
    schedulePush(0);
  }

  @Override
  public void start() {
    // A database an earlier version left disabled by ClientStateNotFound goes on in a new group.
    if (ErrorResponse.Kind.CLIENT_STATE_NOT_FOUND.name().equals(local.meta(Meta.DISABLED))) {
      groupLost();
    }
    schedulePull(0);
    if (local.pendingCount() > 0) schedulePush(0);
    connectPokes();
  }

  private void connectPokes() {
    for (PokeStream stream : pokes) stream.connect();
  }

  private void disconnectPokes() {
    for (PokeStream stream : pokes) stream.disconnect();
  }

  @Override
  public void mutated(long pendingCount) {
    state.update(s -> s.withPendingCount(pendingCount));
    if (pusher != null) pusher.scheduleSpaced(config.pushDelayMillis);
  }

  @Override
  public Completable flush() {
    return Completable.create(
            emitter -> {
              if (pusher == null || puller == null) {
                emitter.onError(
                    new SyncStoppedException("no push and pull URLs: this instance cannot flush"));
                return;
              }
              state.addFlush(local.lastPendingSeq(), emitter);
              pusher.schedule(0);
            })
        .doFinally(this::pauseUnwantedPulls);
  }

  @Override
  public Completable pull() {
    return Completable.create(
            emitter -> {
              if (puller == null) {
                emitter.onError(new SyncStoppedException("no pull URL: this instance cannot pull"));
                return;
              }
              state.addPullWaiter(emitter);
              puller.schedule(0);
            })
        .doFinally(this::pauseUnwantedPulls);
  }

  /** A waiter left: in the background, a retry only it wanted is dropped. */
  private void pauseUnwantedPulls() {
    if (puller != null) puller.pauseIfUnwanted();
  }

  @Override
  public void setNetworkAvailable(boolean available) {
    state.setNetworkAvailable(available);
    if (!available) {
      if (puller != null) puller.dropFirstPull();
      disconnectPokes();
      return;
    }
    if (pusher != null) pusher.retryNow();
    if (puller != null) puller.retryNow();
    connectPokes();
  }

  @Override
  public void setForeground(boolean foreground) {
    if (!state.setForeground(foreground)) return;
    if (!foreground) {
      disconnectPokes();
      if (puller != null) puller.pauseIfUnwanted();
      return;
    }
    if (puller != null) puller.retryNow();
    connectPokes();
  }

  @Override
  public void close() {
    state.stop("closed", null);
    for (PokeStream stream : pokes) stream.close();
    if (pusher != null) pusher.close();
    if (puller != null) puller.close();
    transport.close();
  }
}
