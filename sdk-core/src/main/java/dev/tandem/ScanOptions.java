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

  /** Starts at {@code key}, inclusive. */
  public ScanOptions start(String key) {
    return new ScanOptions(prefix, key, false, limit);
  }

  /** Starts after {@code key}. */
  public ScanOptions startAfter(String key) {
    return new ScanOptions(prefix, key, true, limit);
  }

  public ScanOptions limit(int limit) {
    if (limit < 0) throw new IllegalArgumentException("limit < 0: " + limit);
    return new ScanOptions(prefix, start, exclusive, limit);
  }

  public String prefix() {
    return prefix;
  }

  /** The start key, or null. */
  public String start() {
    return start;
  }

  public boolean startExclusive() {
    return exclusive;
  }

  public int limit() {
    return limit;
  }
}
