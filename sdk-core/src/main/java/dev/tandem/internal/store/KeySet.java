package dev.tandem.internal.store;

import dev.tandem.protocol.KeyOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A set of keys and key ranges: what a query read, or what a commit changed. Ranges are [from, to)
 * in UTF-8 order, {@code to == null} meaning unbounded. {@link #everything()} matches all. Not
 * thread-safe while being built; immutable once published.
 */
public final class KeySet {
  private static final int MAX_KEYS = 10_000;

  private final Set<String> keys = new HashSet<>();
  private final List<Range> ranges = new ArrayList<>();
  private final int maxKeys;
  private boolean all;

  /** A set that becomes {@link #everything()} past 10 000 keys (tracking each costs more). */
  public KeySet() {
    this(MAX_KEYS);
  }

  private KeySet(int maxKeys) {
    this.maxKeys = maxKeys;
  }

  /** A set that keeps up to {@code maxKeys} keys exactly, then becomes everything. */
  public static KeySet upTo(int maxKeys) {
    return new KeySet(maxKeys);
  }

  /** Keys in [from, to) in UTF-8 order; {@code to == null} is unbounded. */
  private static final class Range {
    final String from;
    final String to;

    Range(String from, String to) {
      this.from = from;
      this.to = to;
    }

    boolean contains(String key) {
      return KeyOrder.compare(key, from) >= 0 && (to == null || KeyOrder.compare(key, to) < 0);
    }

    boolean overlaps(Range other) {
      boolean startsBeforeOtherEnds = other.to == null || KeyOrder.compare(from, other.to) < 0;
      boolean otherStartsBeforeEnd = to == null || KeyOrder.compare(other.from, to) < 0;
      return startsBeforeOtherEnds && otherStartsBeforeEnd;
    }
  }

  public static KeySet everything() {
    KeySet set = new KeySet();
    set.all = true;
    return set;
  }

  public void addKey(String key) {
    if (all) return;
    keys.add(key);
    if (keys.size() > maxKeys) {
      // A first pull of a million rows: tracking each key costs more than re-running queries.
      all = true;
      keys.clear();
      ranges.clear();
    }
  }

  public void addRange(String from, String to) {
    if (!all) ranges.add(new Range(from, to));
  }

  public void addAll() {
    all = true;
    keys.clear();
    ranges.clear();
  }

  public void addAll(KeySet other) {
    if (other.all) {
      addAll();
      return;
    }
    for (String key : other.keys) addKey(key);
    for (Range range : other.ranges) addRange(range.from, range.to);
  }

  /** True if this set matches every key. */
  public boolean isEverything() {
    return all;
  }

  /** How many ranges it holds (checks against ranges cost one comparison each). */
  public int rangeCount() {
    return ranges.size();
  }

  public boolean isEmpty() {
    return !all && keys.isEmpty() && ranges.isEmpty();
  }

  /** True if a change to {@code changed} may change what this read set read. */
  public boolean intersects(KeySet changed) {
    if (changed.isEmpty() || isEmpty()) return false;
    if (all || changed.all) return true;
    for (String key : changed.keys) {
      if (contains(key)) return true;
    }
    for (String key : keys) {
      if (changed.contains(key)) return true;
    }
    for (Range range : changed.ranges) {
      for (Range mine : ranges) {
        if (range.overlaps(mine)) return true;
      }
    }
    return false;
  }

  /** True if {@code key} is in this set. */
  public boolean contains(String key) {
    if (all || keys.contains(key)) return true;
    for (Range range : ranges) {
      if (range.contains(key)) return true;
    }
    return false;
  }

  /**
   * The smallest string greater than every string starting with {@code prefix}, or null if there is
   * none (an empty prefix, or one made only of U+10FFFF).
   */
  public static String prefixEnd(String prefix) {
    int end = prefix.length();
    while (end > 0) {
      int codePoint = prefix.codePointBefore(end);
      int width = Character.charCount(codePoint);
      if (codePoint < Character.MAX_CODE_POINT) {
        int next = codePoint == 0xD7FF ? 0xE000 : codePoint + 1;
        return new StringBuilder(prefix.substring(0, end - width)).appendCodePoint(next).toString();
      }
      end -= width;
    }
    return null;
  }
}
