package dev.tandem.internal.store;

import dev.tandem.protocol.KeyOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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

  /** Of a change set's keys, those whose new value is known: key to JSON, or DELETED. */
  private final Map<String, String> values = new HashMap<>();

  /** What table queries read: their table's rows that match their conditions. */
  private final List<Rows> rows = new ArrayList<>();

  private static final String DELETED = new String("deleted");
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

    boolean same(Range other) {
      return from.equals(other.from) && (to == null ? other.to == null : to.equals(other.to));
    }

    boolean overlaps(Range other) {
      boolean startsBeforeOtherEnds = other.to == null || KeyOrder.compare(from, other.to) < 0;
      boolean otherStartsBeforeEnd = to == null || KeyOrder.compare(other.from, to) < 0;
      return startsBeforeOtherEnds && otherStartsBeforeEnd;
    }
  }

  /**
   * A table query's read: the rows of {@code table} its conditions may select, and the rows it
   * returned ({@code keys}). A change touches it if it changes a row it returned, or gives a row a
   * value the conditions may select; a change whose value is unknown, or a range, touches it if it
   * is in the table. Sound with a limit or a cursor too: a row that matched but was not returned
   * cannot enter the result without a new value that matches.
   */
  private static final class Rows {
    final Range range;
    final RowFilter filter;
    final Set<String> keys;

    Rows(Range range, RowFilter filter, Set<String> keys) {
      this.range = range;
      this.filter = filter;
      this.keys = keys;
    }

    boolean touchedBy(KeySet changed, boolean coarse) {
      for (Range other : changed.ranges) {
        if (range.overlaps(other)) return true;
      }
      for (String key : changed.keys) {
        if (!range.contains(key)) continue;
        if (coarse || keys.contains(key)) return true;
        String json = changed.values.get(key);
        if (json == null) return true; // Unknown.
        if (json != DELETED && filter.mayMatch(key, json)) return true;
      }
      return false;
    }
  }

  public static KeySet everything() {
    KeySet set = new KeySet();
    set.all = true;
    return set;
  }

  public void addKey(String key) {
    if (all) return;
    values.remove(key);
    add(key);
  }

  /** A changed key whose new value is {@code json} (null: deleted). */
  public void addChange(String key, String json) {
    if (all) return;
    values.put(key, json == null ? DELETED : json);
    add(key);
  }

  /**
   * What a table query read: the rows of {@code table} that {@code conditions} may select, and the
   * keys of the rows it returned.
   */
  public void addRows(TypedTable table, List<dev.tandem.Condition> conditions, Set<String> keys) {
    if (all) return;
    rows.add(
        new Rows(
            new Range(table.prefix, prefixEnd(table.prefix)),
            new RowFilter(table, conditions),
            keys));
  }

  private void add(String key) {
    keys.add(key);
    if (keys.size() > maxKeys) {
      // A first pull of a million rows: tracking each key costs more than re-running queries.
      all = true;
      keys.clear();
      ranges.clear();
      values.clear();
      rows.clear();
    }
  }

  public void addRange(String from, String to) {
    if (!all) ranges.add(new Range(from, to));
  }

  public void addAll() {
    all = true;
    keys.clear();
    ranges.clear();
    values.clear();
    rows.clear();
  }

  public void addAll(KeySet other) {
    if (other.all) {
      addAll();
      return;
    }
    for (String key : other.keys) {
      String json = other.values.get(key);
      if (json == null) {
        addKey(key);
      } else {
        addChange(key, json == DELETED ? null : json);
      }
    }
    for (Range range : other.ranges) addRange(range.from, range.to);
    if (!all) rows.addAll(other.rows);
  }

  /** Receives a change set's changes, key by key. */
  public interface Changes {
    /** {@code key} now holds {@code json}; null: it was deleted. */
    void changed(String key, String json);
  }

  /**
   * Calls back every change of this change set with its new value, in no particular order (a key is
   * changed once per set); false, with nothing called, if some change's value is unknown: a range,
   * everything, or a key recorded without its value.
   */
  public boolean changes(Changes sink) {
    if (all || !ranges.isEmpty() || !rows.isEmpty() || values.size() != keys.size()) return false;
    for (Map.Entry<String, String> change : values.entrySet()) {
      String json = change.getValue();
      sink.changed(change.getKey(), json == DELETED ? null : json);
    }
    return true;
  }

  /** Where an index of read sets files one: its keys and ranges. */
  public interface Anchors {
    void key(String key);

    /** Keys in [from, to), {@code to == null} unbounded. */
    void range(String from, String to);
  }

  /**
   * Calls back this set's keys and ranges, a table query's table range among them: a change can
   * touch this set only at one of them (nothing for {@link #everything()}, which is touched by
   * any).
   */
  public void anchors(Anchors sink) {
    if (all) return;
    for (String key : keys) sink.key(key);
    for (Range range : ranges) sink.range(range.from, range.to);
    for (Rows read : rows) sink.range(read.range.from, read.range.to);
  }

  /** True if {@code other} has the same keys and ranges ({@link #anchors}) as this set. */
  public boolean sameAnchors(KeySet other) {
    if (all != other.all) return false;
    if (all) return true;
    if (!keys.equals(other.keys)
        || ranges.size() != other.ranges.size()
        || rows.size() != other.rows.size()) return false;
    for (int i = 0; i < ranges.size(); i++) {
      if (!ranges.get(i).same(other.ranges.get(i))) return false;
    }
    for (int i = 0; i < rows.size(); i++) {
      if (!rows.get(i).range.same(other.rows.get(i).range)) return false;
    }
    return true;
  }

  /**
   * The keys of a change set made only of keys, or null if it holds ranges, table reads or
   * everything (then each read set is tested whole).
   */
  public java.util.Collection<String> keysOnly() {
    if (all || !ranges.isEmpty() || !rows.isEmpty()) return null;
    return java.util.Collections.unmodifiableSet(keys);
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
    return !all && keys.isEmpty() && ranges.isEmpty() && rows.isEmpty();
  }

  /** True if a change to {@code changed} may change what this read set read. */
  public boolean intersects(KeySet changed) {
    return intersects(changed, false);
  }

  /**
   * {@link #intersects(KeySet)}, with {@code coarse} counting any change to a table a table query
   * read (for a query whose re-run is under way: what it returned is about to change).
   */
  public boolean intersects(KeySet changed, boolean coarse) {
    if (changed.isEmpty() || isEmpty()) return false;
    if (all || changed.all) return true;
    for (Rows read : rows) {
      if (read.touchedBy(changed, coarse)) return true;
    }
    for (Rows read : changed.rows) {
      if (read.touchedBy(this, true)) return true;
    }
    if (ranges.isEmpty() && changed.ranges.isEmpty()) {
      // Keys alone on both sides: one lookup per key of the smaller side (a footprint of a key or
      // two against a patch of hundreds, under the write lock).
      Set<String> small = keys.size() <= changed.keys.size() ? keys : changed.keys;
      Set<String> large = small == keys ? changed.keys : keys;
      for (String key : small) {
        if (large.contains(key)) return true;
      }
      return false;
    }
    // A side without ranges contains exactly its keys: the other side's loop finds those.
    if (!ranges.isEmpty()) {
      for (String key : changed.keys) {
        if (contains(key)) return true;
      }
    }
    if (!changed.ranges.isEmpty()) {
      for (String key : keys) {
        if (changed.contains(key)) return true;
      }
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
