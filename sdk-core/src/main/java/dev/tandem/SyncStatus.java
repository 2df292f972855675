package dev.tandem;

/**
 * A snapshot of the sync state, as {@link Tandem#status()} streams it. Immutable.
 *
 * <ul>
 *   <li>{@code online}: false after a network failure, true again after a request gets an answer.
 *   <li>{@code pushing}, {@code pulling}: a request is in flight.
 *   <li>{@code pendingCount}: mutations the server has not confirmed yet.
 *   <li>{@code lastSyncMillis}: the injected clock's time of the last applied pull; 0 if none.
 *   <li>{@code lastError}: why the last request failed ({@link SyncError}), or null after a
 *       success.
 *   <li>{@code stopped}: syncing stopped (update needed, client state lost, or closed).
 * </ul>
 */
public final class SyncStatus {
  private final boolean online;
  private final boolean pushing;
  private final boolean pulling;
  private final long pendingCount;
  private final long lastSyncMillis;
  private final SyncError lastError;
  private final boolean stopped;

  private SyncStatus(
      boolean online,
      boolean pushing,
      boolean pulling,
      long pendingCount,
      long lastSyncMillis,
      SyncError lastError,
      boolean stopped) {
    this.online = online;
    this.pushing = pushing;
    this.pulling = pulling;
    this.pendingCount = pendingCount;
    this.lastSyncMillis = lastSyncMillis;
    this.lastError = lastError;
    this.stopped = stopped;
  }

  /**
   * The status of a client that has not synced yet: online, idle, with {@code pendingCount}
   * mutations waiting.
   */
  public static SyncStatus initial(long pendingCount) {
    return new SyncStatus(true, false, false, pendingCount, 0, null, false);
  }

  /** False after a network failure or while the app says there is no network. */
  public boolean online() {
    return online;
  }

  /** A push request is in flight. */
  public boolean pushing() {
    return pushing;
  }

  /** A pull request is in flight. */
  public boolean pulling() {
    return pulling;
  }

  /** Mutations the server has not confirmed yet. */
  public long pendingCount() {
    return pendingCount;
  }

  /** The injected clock's time (ms) of the last applied pull; 0 if none. */
  public long lastSyncMillis() {
    return lastSyncMillis;
  }

  /** Why the last request failed, or null after a success. */
  public SyncError lastError() {
    return lastError;
  }

  /** Syncing has stopped: update needed, client state lost, or closed. */
  public boolean stopped() {
    return stopped;
  }

  /** A copy with {@code online} replaced (for the engine, and for an app's UI tests). */
  public SyncStatus withOnline(boolean value) {
    return new SyncStatus(
        value, pushing, pulling, pendingCount, lastSyncMillis, lastError, stopped);
  }

  /** A copy with {@code pushing} replaced (for the engine, and for an app's UI tests). */
  public SyncStatus withPushing(boolean value) {
    return new SyncStatus(online, value, pulling, pendingCount, lastSyncMillis, lastError, stopped);
  }

  /** A copy with {@code pulling} replaced (for the engine, and for an app's UI tests). */
  public SyncStatus withPulling(boolean value) {
    return new SyncStatus(online, pushing, value, pendingCount, lastSyncMillis, lastError, stopped);
  }

  /** A copy with {@code pendingCount} replaced (for the engine, and for an app's UI tests). */
  public SyncStatus withPendingCount(long value) {
    return new SyncStatus(online, pushing, pulling, value, lastSyncMillis, lastError, stopped);
  }

  /** A copy with {@code lastSyncMillis} replaced (for the engine, and for an app's UI tests). */
  public SyncStatus withLastSync(long value) {
    return new SyncStatus(online, pushing, pulling, pendingCount, value, lastError, stopped);
  }

  /** A copy with {@code lastError} replaced (for the engine, and for an app's UI tests). */
  public SyncStatus withLastError(SyncError value) {
    return new SyncStatus(online, pushing, pulling, pendingCount, lastSyncMillis, value, stopped);
  }

  /** A copy with {@code stopped} replaced (for the engine, and for an app's UI tests). */
  public SyncStatus withStopped(boolean value) {
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
