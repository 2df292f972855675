package dev.tandem;

/**
 * The server refused this client's protocol or schema version ({@code VersionNotSupported}):
 * syncing has stopped for this client group until the app updates. Pending mutations stay, and the
 * updated app pushes them under the schema version they were made with (mutation recovery), or
 * hands them to {@link Tandem#refusedMutations()} if the server no longer serves that version.
 * Immutable.
 *
 * <pre>{@code
 * tandem.onUpdateNeeded(u -> {
 *   if (u.reason() == UpdateNeeded.Reason.SCHEMA_TOO_OLD) {
 *     showUpdateBanner("this version (" + u.clientSchemaVersion() + ") is no longer served; the"
 *         + " server serves " + u.minSchemaVersion() + " to " + u.maxSchemaVersion());
 *   }
 * });
 * }</pre>
 *
 * <p>A client newer than the server (a Tandem server's {@code clientTooNew}) is not told to update:
 * the server is behind, and {@link SyncStatus#lastError()} says so with {@link
 * SyncError.Kind#SERVER_BEHIND} while syncing retries.
 */
public final class UpdateNeeded {
  /** Why the app must update. */
  public enum Reason {
    /** The server does not speak this client's push or pull protocol version. */
    PROTOCOL,
    /** The app's schema version is older than the oldest the server serves. */
    SCHEMA_TOO_OLD,
    /** The server refused the schema version without saying why (not a Tandem server, say). */
    SCHEMA_NOT_SUPPORTED,
    /** The server refused a version without saying which. */
    UNKNOWN
  }

  private final String versionType;
  private final Reason reason;
  private final String clientSchemaVersion;
  private final String minSchemaVersion;
  private final String maxSchemaVersion;

  /**
   * An update needed for {@code versionType} alone, with no versions: the reason follows from it
   * ({@code push}/{@code pull}: {@link Reason#PROTOCOL}, {@code schema}: {@link
   * Reason#SCHEMA_NOT_SUPPORTED}, else {@link Reason#UNKNOWN}).
   *
   * @param versionType {@code "push"}, {@code "pull"}, {@code "schema"}, or null.
   */
  public UpdateNeeded(String versionType) {
    this(versionType, reasonOf(versionType), null, null, null);
  }

  /**
   * @param versionType {@code "push"}, {@code "pull"}, {@code "schema"}, or null.
   * @param reason why; not null.
   * @param clientSchemaVersion the schema version this client sent, or null.
   * @param minSchemaVersion the oldest schema version the server serves, or null if it did not say.
   * @param maxSchemaVersion the newest schema version the server serves, or null if it did not say.
   */
  public UpdateNeeded(
      String versionType,
      Reason reason,
      String clientSchemaVersion,
      String minSchemaVersion,
      String maxSchemaVersion) {
    if (reason == null) throw new NullPointerException("reason == null");
    this.versionType = versionType;
    this.reason = reason;
    this.clientSchemaVersion = clientSchemaVersion;
    this.minSchemaVersion = minSchemaVersion;
    this.maxSchemaVersion = maxSchemaVersion;
  }

  private static Reason reasonOf(String versionType) {
    if ("push".equals(versionType) || "pull".equals(versionType)) return Reason.PROTOCOL;
    return "schema".equals(versionType) ? Reason.SCHEMA_NOT_SUPPORTED : Reason.UNKNOWN;
  }

  /** {@code "push"}, {@code "pull"}, {@code "schema"}, or null when the server did not say. */
  public String versionType() {
    return versionType;
  }

  /** Why the app must update. */
  public Reason reason() {
    return reason;
  }

  /** The schema version this client sent ({@code schemaVersion}), or null. */
  public String clientSchemaVersion() {
    return clientSchemaVersion;
  }

  /** The oldest schema version the server serves, or null when it did not say. */
  public String minSchemaVersion() {
    return minSchemaVersion;
  }

  /** The newest schema version the server serves, or null when it did not say. */
  public String maxSchemaVersion() {
    return maxSchemaVersion;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof UpdateNeeded)) return false;
    UpdateNeeded other = (UpdateNeeded) o;
    return same(versionType, other.versionType)
        && reason == other.reason
        && same(clientSchemaVersion, other.clientSchemaVersion)
        && same(minSchemaVersion, other.minSchemaVersion)
        && same(maxSchemaVersion, other.maxSchemaVersion);
  }

  private static boolean same(String a, String b) {
    return a == null ? b == null : a.equals(b);
  }

  @Override
  public int hashCode() {
    return (versionType == null ? 0 : versionType.hashCode()) * 31 + reason.hashCode();
  }

  @Override
  public String toString() {
    return "UpdateNeeded("
        + versionType
        + ", "
        + reason
        + (clientSchemaVersion == null ? "" : ", client schema " + clientSchemaVersion)
        + (minSchemaVersion == null && maxSchemaVersion == null
            ? ""
            : ", server serves " + minSchemaVersion + ".." + maxSchemaVersion)
        + ")";
  }
}
