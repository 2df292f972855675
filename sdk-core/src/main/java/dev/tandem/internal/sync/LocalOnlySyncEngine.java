package dev.tandem.internal.sync;

import dev.tandem.SyncStatus;
import dev.tandem.SyncStoppedException;
import dev.tandem.UpdateNeeded;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Observable;

/** A {@link SyncEngine} with no server: nothing to push or pull. */
final class LocalOnlySyncEngine implements SyncEngine {
  private final SyncState state;

  LocalOnlySyncEngine(SyncState state) {
    this.state = state;
  }

  @Override
  public void start() {}

  @Override
  public void mutated(long pendingCount) {
    state.update(s -> s.withPendingCount(pendingCount));
  }

  @Override
  public Completable flush() {
    return Completable.error(
        new SyncStoppedException("no push and pull URLs: this instance is local only"));
  }

  @Override
  public Completable pull() {
    return Completable.error(new SyncStoppedException("no pull URL: this instance is local only"));
  }

  @Override
  public void setNetworkAvailable(boolean available) {
    state.setNetworkAvailable(available);
  }

  @Override
  public void setForeground(boolean foreground) {
    state.setForeground(foreground);
  }

  @Override
  public Observable<SyncStatus> status() {
    return state.status().hide();
  }

  @Override
  public Observable<UpdateNeeded> updateNeeded() {
    return state.updateNeeded().hide();
  }

  @Override
  public Observable<Boolean> clientStateNotFound() {
    return state.clientStateNotFound().hide();
  }

  @Override
  public void close() {
    state.stop("closed", null);
  }
}
