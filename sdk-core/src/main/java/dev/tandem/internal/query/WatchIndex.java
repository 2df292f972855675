package dev.tandem.internal.query;

import dev.tandem.internal.store.KeySet;
import dev.tandem.protocol.KeyOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What live queries read, indexed for a commit's keys: each watch under the exact keys it read, its
 * ranges sorted by start (with the greatest end so far, so a look-up walks back only while a range
 * may still reach the key), and the watches that read everything. Immutable; {@link LiveQueries}
 * builds a new one when a watch comes, goes, or reads other keys or ranges.
 */
final class WatchIndex<W extends WatchIndex.Watched> {
  /** A live query as the index sees it. */
  interface Watched {
    /** What its last run read. */
    KeySet reads();

    /** Whether {@code changes} may change its result. */
    boolean affectedBy(KeySet changes);
  }

  /** The version of the watches this index was built from. */
  final int version;

  private final List<W> everything = new ArrayList<>();
  private final Map<String, List<W>> byKey = new HashMap<>();

  /** Ranges sorted by start; {@code maxTo[i]} is the greatest end of ranges 0..i (null: none). */
  private final String[] from;

  private final String[] to;
  private final String[] maxTo;
  private final Object[] owner;

  WatchIndex(int version, List<W> all) {
    this.version = version;
    final List<Object[]> ranges = new ArrayList<>();
    for (final W watch : all) {
      KeySet reads = watch.reads();
      if (reads.isEverything()) {
        everything.add(watch);
        continue;
      }
      reads.anchors(
          new KeySet.Anchors() {
            @Override
            public void key(String key) {
              List<W> list = byKey.get(key);
              if (list == null) byKey.put(key, list = new ArrayList<>(1));
              list.add(watch);
            }

            @Override
            public void range(String start, String end) {
              ranges.add(new Object[] {start, end, watch});
            }
          });
    }
    Collections.sort(
        ranges,
        new Comparator<Object[]>() {
          @Override
          public int compare(Object[] a, Object[] b) {
            return KeyOrder.compare((String) a[0], (String) b[0]);
          }
        });
    int n = ranges.size();
    from = new String[n];
    to = new String[n];
    maxTo = new String[n];
    owner = new Object[n];
    for (int i = 0; i < n; i++) {
      Object[] r = ranges.get(i);
      from[i] = (String) r[0];
      to[i] = (String) r[1];
      owner[i] = r[2];
      String previous = i == 0 ? "" : maxTo[i - 1];
      maxTo[i] =
          previous == null || to[i] == null
              ? null
              : KeyOrder.compare(previous, to[i]) >= 0 ? previous : to[i];
    }
  }

  /** Adds to {@code touched} the watches not yet {@code seen} whose reads {@code changes} touch. */
  @SuppressWarnings("unchecked")
  void find(String key, Map<W, Boolean> seen, KeySet changes, List<W> touched) {
    for (W watch : everything) test(watch, seen, changes, touched);
    List<W> exact = byKey.get(key);
    if (exact != null) {
      for (W watch : exact) test(watch, seen, changes, touched);
    }
    // The last range starting at or before the key, then back while a range may still reach it.
    int low = 0;
    int high = from.length - 1;
    int last = -1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (KeyOrder.compare(from[mid], key) <= 0) {
        last = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    for (int i = last; i >= 0; i--) {
      if (maxTo[i] != null && KeyOrder.compare(maxTo[i], key) <= 0) break;
      if (to[i] == null || KeyOrder.compare(key, to[i]) < 0) {
        test((W) owner[i], seen, changes, touched);
      }
    }
  }

  private void test(W watch, Map<W, Boolean> seen, KeySet changes, List<W> touched) {
    if (seen.put(watch, Boolean.TRUE) != null) return;
    if (watch.affectedBy(changes)) touched.add(watch);
  }
}
