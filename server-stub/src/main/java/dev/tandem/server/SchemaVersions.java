package dev.tandem.server;

import dev.tandem.protocol.ErrorResponse;

/**
 * The client schema versions the server serves: every version, or an integer range {@code
 * MIN..MAX}. A client outside it gets {@code VersionNotSupported} with {@code versionType
 * "schema"}. A range admits only schema versions that are integers.
 */
public final class SchemaVersions {
  private static final SchemaVersions ALL =
      new SchemaVersions(Long.MIN_VALUE, Long.MAX_VALUE, true);

  private final long min;
  private final long max;
  private final boolean all;

  private SchemaVersions(long min, long max, boolean all) {
    this.min = min;
    this.max = max;
    this.all = all;
  }

  public static SchemaVersions all() {
    return ALL;
  }

  public static SchemaVersions range(long min, long max) {
    if (min > max)
      throw new IllegalArgumentException("empty schema version range " + min + ".." + max);
    return new SchemaVersions(min, max, false);
  }

  /** Parses {@code MIN..MAX} (either side may be omitted) or {@code all}. */
  public static SchemaVersions parse(String spec) {
    if (spec.equals("all")) return ALL;
    int dots = spec.indexOf("..");
    try {
      if (dots < 0) {
        long only = Long.parseLong(spec.trim());
        return range(only, only);
      }
      String low = spec.substring(0, dots).trim();
      String high = spec.substring(dots + 2).trim();
      return range(
          low.isEmpty() ? Long.MIN_VALUE : Long.parseLong(low),
          high.isEmpty() ? Long.MAX_VALUE : Long.parseLong(high));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "schema versions must be MIN..MAX with integers, got '" + spec + "'");
    }
  }

  public boolean supports(String schemaVersion) {
    if (all) return true;
    try {
      long version = Long.parseLong(schemaVersion.trim());
      return version >= min && version <= max;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * The answer to a client on {@code schemaVersion}: null if it is served, else {@code
   * VersionNotSupported} with {@code versionType "schema"}, Tandem's reason ({@code clientTooOld}
   * below the range, {@code clientTooNew} above it, none for a version that is no integer) and the
   * range.
   */
  public ErrorResponse refusal(String schemaVersion) {
    if (supports(schemaVersion)) return null;
    String low = min == Long.MIN_VALUE ? null : Long.toString(min);
    String high = max == Long.MAX_VALUE ? null : Long.toString(max);
    String reason = null;
    try {
      long version = Long.parseLong(schemaVersion.trim());
      reason = version < min ? ErrorResponse.CLIENT_TOO_OLD : ErrorResponse.CLIENT_TOO_NEW;
    } catch (NumberFormatException e) {
      // Not an integer: no side of the range to name.
    }
    return ErrorResponse.schemaNotSupported(reason, low, high);
  }

  @Override
  public String toString() {
    return all ? "all" : min + ".." + max;
  }
}
