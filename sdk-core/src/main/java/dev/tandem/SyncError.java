package dev.tandem;

/**
 * Why the last sync request failed, as {@link SyncStatus#lastError()} reports it. Immutable.
 *
 * <pre>{@code
 * tandem.status().subscribe(s -> {
 *   SyncError e = s.lastError();
 *   if (e != null && e.kind() == SyncError.Kind.AUTH) showSignIn();
 * });
 * }</pre>
 */
public final class SyncError {
  /** What kind of failure it was. */
  public enum Kind {
    /** The server could not be reached, or the connection broke (the client is offline). */
    NETWORK,
    /** The server answered with an HTTP status other than 200, 401 and 413. */
    HTTP,
    /** The server answered 401 even after the auth provider was asked for a fresh token. */
    AUTH,
    /** A push was refused as too large (HTTP 413) even with one mutation in it. */
    MUTATION_TOO_LARGE,
    /** The server's answer broke the protocol: malformed JSON, an older cookie, and the like. */
    PROTOCOL,
    /** The server does not support this client's push, pull or schema version. */
    VERSION_NOT_SUPPORTED,
    /**
     * The server is behind this client: it refused the client's schema version as newer than the
     * newest it serves (a Tandem server's {@code clientTooNew}). The app is fine; nothing is
     * dropped and syncing retries with backoff until the server is updated. The message names the
     * versions.
     */
    SERVER_BEHIND,
    /**
     * No longer reported: a forgotten client group goes on in a new one (kept for compatibility).
     */
    CLIENT_STATE_NOT_FOUND,
    /** Something failed on this device (the local database, a bug). */
    LOCAL
  }

  private final Kind kind;
  private final int httpStatus;
  private final String message;
  private final String serverMessage;

  /**
   * @param httpStatus the response's status, or 0 when there was none.
   * @param serverMessage an excerpt of what the server said (its error body), or null.
   */
  public SyncError(Kind kind, int httpStatus, String message, String serverMessage) {
    if (kind == null || message == null) throw new NullPointerException();
    this.kind = kind;
    this.httpStatus = httpStatus;
    this.message = message;
    this.serverMessage = serverMessage;
  }

  /** What kind of failure it was. */
  public Kind kind() {
    return kind;
  }

  /** The HTTP status of the answer, or 0 when there was no answer. */
  public int httpStatus() {
    return httpStatus;
  }

  /** What went wrong, in a sentence for logs. */
  public String message() {
    return message;
  }

  /** An excerpt of the server's error body (at most 200 characters), or null. */
  public String serverMessage() {
    return serverMessage;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SyncError)) return false;
    SyncError other = (SyncError) o;
    return kind == other.kind
        && httpStatus == other.httpStatus
        && message.equals(other.message)
        && (serverMessage == null
            ? other.serverMessage == null
            : serverMessage.equals(other.serverMessage));
  }

  @Override
  public int hashCode() {
    return (kind.hashCode() * 31 + httpStatus) * 31 + message.hashCode();
  }

  /** The message, and the server's words if any. */
  @Override
  public String toString() {
    return serverMessage == null ? message : message + ": " + serverMessage;
  }
}
