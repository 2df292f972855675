package dev.tandem;

/**
 * What a {@link ReadTransaction#scan} returns: keys with a prefix, from a start key (inclusive, or
 * exclusive for paging after the last key seen), at most a limit. Immutable.
 *
 * <pre>{@code
 * tx.scan(ScanOptions.prefix("message/").startAfter(lastKey).limit(50));
 * }</pre>
 */
public final class ScanOptions {
  private static final ScanOptions ALL = new ScanOptions("", null, false, Integer.MAX_VALUE);

  private final String prefix;
  private final String start;
  private final boolean exclusive;
  private final int limit;

  private ScanOptions(String prefix, String start, boolean exclusive, int limit) {
    this.prefix = prefix;
    this.start = start;
    this.exclusive = exclusive;
    this.limit = limit;
  }

  /** Every key. */
  public static ScanOptions all() {
    return ALL;
  }

  /** Keys starting with {@code prefix}. */
  public static ScanOptions prefix(String prefix) {
    if (prefix == null) throw new NullPointerException("prefix == null");
    return new ScanOptions(prefix, null, false, Integer.MAX_VALUE);
  }

  /**
   * Starts at {@code key}, inclusive. A key before the prefix is ignored: the scan starts at the
   * prefix.
   */
  public ScanOptions start(String key) {
    return new ScanOptions(prefix, key, false, limit);
  }

  /**
   * Starts after {@code key}, the last key of the previous page. A key before the prefix is
   * ignored: the scan starts at the prefix.
   */
  public ScanOptions startAfter(String key) {
    return new ScanOptions(prefix, key, true, limit);
  }

  /**
   * Returns at most {@code limit} entries; 0 returns none. Default: no limit.
   *
   * @throws IllegalArgumentException if {@code limit} is negative.
   */
  public ScanOptions limit(int limit) {
    if (limit < 0) throw new IllegalArgumentException("limit < 0: " + limit);
    return new ScanOptions(prefix, start, exclusive, limit);
  }

  /** The prefix of the keys returned; empty for every key. */
  public String prefix() {
    return prefix;
  }

  /** The start key, or null. */
  public String start() {
    return start;
  }

  /** True if the scan starts after {@link #start()}, false if at it. */
  public boolean startExclusive() {
    return exclusive;
  }

  /** The maximum number of entries; {@link Integer#MAX_VALUE} for no limit. */
  public int limit() {
    return limit;
  }
}
