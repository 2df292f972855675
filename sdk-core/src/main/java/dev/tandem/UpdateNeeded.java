package dev.tandem;

/**
 * The server refused this client's protocol or schema version ({@code VersionNotSupported}):
 * syncing has stopped for this client group until the app updates. Pending mutations stay.
 * Immutable.
 */
public final class UpdateNeeded {
  private final String versionType;

  /**
   * @param versionType {@code "push"}, {@code "pull"}, {@code "schema"}, or null.
   */
  public UpdateNeeded(String versionType) {
    this.versionType = versionType;
  }

  /** {@code "push"}, {@code "pull"}, {@code "schema"}, or null when the server did not say. */
  public String versionType() {
    return versionType;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UpdateNeeded
        && (versionType == null
            ? ((UpdateNeeded) o).versionType == null
            : versionType.equals(((UpdateNeeded) o).versionType));
  }

  @Override
  public int hashCode() {
    return versionType == null ? 0 : versionType.hashCode();
  }

  @Override
  public String toString() {
    return "UpdateNeeded(" + versionType + ")";
  }
}
