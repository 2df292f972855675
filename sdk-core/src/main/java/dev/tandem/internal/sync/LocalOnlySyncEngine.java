package dev.tandem.internal.sync;

import dev.tandem.SyncStoppedException;
import io.reactivex.rxjava3.core.Completable;

/** A {@link SyncEngine} with no server: nothing to push or pull. */
final class LocalOnlySyncEngine extends SyncEngine {

  LocalOnlySyncEngine(SyncState state) {
    super(state);
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
  public void close() {
    state.stop("closed", null);
  }
}
