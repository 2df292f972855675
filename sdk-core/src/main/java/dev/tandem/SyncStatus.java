package dev.tandem;

/**
 * A snapshot of the sync state, as {@link Tandem#status()} streams it. Immutable.
 *
 * <ul>
 *   <li>{@code online}: false after a network failure, true again after a request gets an answer.
 *   <li>{@code pushing}, {@code pulling}: a request is in flight.
 *   <li>{@code pendingCount}: mutations the server has not confirmed yet.
 *   <li>{@code lastSyncMillis}: the injected clock's time of the last applied pull; 0 if none.
 *   <li>{@code lastError}: what the last failed request said, or null after a success.
 *   <li>{@code stopped}: syncing stopped (update needed, client state lost, or closed).
 * </ul>
 */
public final class SyncStatus {
  private final boolean online;
  private final boolean pushing;
  private final boolean pulling;
  private final long pendingCount;
  private final long lastSyncMillis;
  private final String lastError;
  private final boolean stopped;

  SyncStatus(
      boolean online,
      boolean pushing,
      boolean pulling,
      long pendingCount,
      long lastSyncMillis,
      String lastError,
      boolean stopped) {
    this.online = online;
    this.pushing = pushing;
    this.pulling = pulling;
    this.pendingCount = pendingCount;
    this.lastSyncMillis = lastSyncMillis;
    this.lastError = lastError;
    this.stopped = stopped;
  }

  public boolean online() {
    return online;
  }

  public boolean pushing() {
    return pushing;
  }

  public boolean pulling() {
    return pulling;
  }

  public long pendingCount() {
    return pendingCount;
  }

  public long lastSyncMillis() {
    return lastSyncMillis;
  }

  public String lastError() {
    return lastError;
  }

  public boolean stopped() {
    return stopped;
  }

  SyncStatus withOnline(boolean value) {
    return new SyncStatus(
        value, pushing, pulling, pendingCount, lastSyncMillis, lastError, stopped);
  }

  SyncStatus withPushing(boolean value) {
    return new SyncStatus(online, value, pulling, pendingCount, lastSyncMillis, lastError, stopped);
  }

  SyncStatus withPulling(boolean value) {
    return new SyncStatus(online, pushing, value, pendingCount, lastSyncMillis, lastError, stopped);
  }

  SyncStatus withPendingCount(long value) {
    return new SyncStatus(online, pushing, pulling, value, lastSyncMillis, lastError, stopped);
  }

  SyncStatus withLastSync(long value) {
    return new SyncStatus(online, pushing, pulling, pendingCount, value, lastError, stopped);
  }

  SyncStatus withLastError(String value) {
    return new SyncStatus(online, pushing, pulling, pendingCount, lastSyncMillis, value, stopped);
  }

  SyncStatus withStopped(boolean value) {
    return new SyncStatus(online, pushing, pulling, pendingCount, lastSyncMillis, lastError, value);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SyncStatus)) return false;
    SyncStatus other = (SyncStatus) o;
    return online == other.online
        && pushing == other.pushing
        && pulling == other.pulling
        && pendingCount == other.pendingCount
        && lastSyncMillis == other.lastSyncMillis
        && stopped == other.stopped
        && (lastError == null ? other.lastError == null : lastError.equals(other.lastError));
  }

  @Override
  public int hashCode() {
    return (int) (pendingCount * 31 + lastSyncMillis)
        + (online ? 1 : 0)
        + (pushing ? 2 : 0)
        + (pulling ? 4 : 0);
  }

  @Override
  public String toString() {
    return "SyncStatus{online="
        + online
        + ", pushing="
        + pushing
        + ", pulling="
        + pulling
        + ", pending="
        + pendingCount
        + ", lastSync="
        + lastSyncMillis
        + ", lastError="
        + lastError
        + ", stopped="
        + stopped
        + "}";
  }
}
