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
  private final List<String[]> ranges = new ArrayList<>();
  private boolean all;

  public static KeySet everything() {
    KeySet set = new KeySet();
    set.all = true;
    return set;
  }

  public void addKey(String key) {
    if (all) return;
    keys.add(key);
    if (keys.size() > MAX_KEYS) {
      // A first pull of a million rows: tracking each key costs more than re-running queries.
      all = true;
      keys.clear();
      ranges.clear();
    }
  }

  public void addRange(String from, String to) {
    if (!all) ranges.add(new String[] {from, to});
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
    for (String[] range : other.ranges) addRange(range[0], range[1]);
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
    for (String[] range : changed.ranges) {
      for (String[] mine : ranges) {
        if (overlap(range, mine)) return true;
      }
    }
    return false;
  }

  private boolean contains(String key) {
    if (all || keys.contains(key)) return true;
    for (String[] range : ranges) {
      if (KeyOrder.compare(key, range[0]) >= 0
          && (range[1] == null || KeyOrder.compare(key, range[1]) < 0)) {
        return true;
      }
    }
    return false;
  }

  private static boolean overlap(String[] a, String[] b) {
    boolean aStartsBeforeBEnds = b[1] == null || KeyOrder.compare(a[0], b[1]) < 0;
    boolean bStartsBeforeAEnds = a[1] == null || KeyOrder.compare(b[0], a[1]) < 0;
    return aStartsBeforeBEnds && bStartsBeforeAEnds;
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
