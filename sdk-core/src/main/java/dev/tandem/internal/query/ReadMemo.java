package dev.tandem.internal.query;

import dev.tandem.internal.store.Entry;
import dev.tandem.internal.store.KeySet;
import dev.tandem.protocol.KeyOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a live query's last run read, with what it found: the value of each key it got and the
 * entries of each range it scanned. Patched with the change sets of the commits since (in commit
 * order), it answers the same reads again without SQLite, so the query re-runs in memory. It
 * refuses (a {@link Miss}, or {@link #apply} false) whatever it cannot answer exactly: a read it
 * did not record, a change of a schema table's key in a recorded read (a row is read back in its
 * table's form, not as written), a change whose value is unknown, and a deletion inside a scan
 * window that was cut at its limit (the entry that would move up is not known). Used by one watch's
 * runner at a time.
 */
public final class ReadMemo {
  /**
   * A read the memo cannot answer; the query then runs in a read transaction. Shared, without a
   * stack trace: it is control flow.
   */
  public static final class Miss extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public static final Miss INSTANCE = new Miss();

    private Miss() {
      super("not in the live query's memo");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this; // Control flow: no stack trace to fill (API 21 lacks the constructor for it).
    }
  }

  /** Tells schema tables' keys from plain ones. */
  public interface Keys {
    /** Whether {@code key} is a plain key: its value reads back exactly as it was written. */
    boolean isPlain(String key);
  }

  /** Recorded entries past which a run keeps no memo: it would cost more memory than it saves. */
  static final int MAX_ENTRIES = 10_000;

  private static final String ABSENT = new String("absent");

  /** A scan: [from, to) (from excluded if {@code exclusive}; to null: unbounded), at most limit. */
  private static final class Scan {
    final String from;
    final boolean exclusive;
    final String to;
    final int limit;
    final List<Entry> entries;
    boolean used;

    Scan(String from, boolean exclusive, String to, int limit, List<Entry> entries) {
      this.from = from;
      this.exclusive = exclusive;
      this.to = to;
      this.limit = limit;
      this.entries = entries;
    }

    boolean same(String from, boolean exclusive, String to, int limit) {
      return this.from.equals(from)
          && this.exclusive == exclusive
          && (this.to == null ? to == null : this.to.equals(to))
          && this.limit == limit;
    }

    boolean contains(String key) {
      int start = KeyOrder.compare(key, from);
      return (start > 0 || (start == 0 && !exclusive))
          && (to == null || KeyOrder.compare(key, to) < 0);
    }
  }

  private final Map<String, String> gets = new HashMap<>();
  private final Set<String> usedGets = new HashSet<>();
  private final List<Scan> scans = new ArrayList<>();
  private int entries;
  private boolean refused;

  /** Records that the run read {@code key} and found {@code json} (null: absent). */
  public void recordGet(String key, String json) {
    if (gets.put(key, json == null ? ABSENT : json) == null) count(1);
  }

  /** Records that the run scanned a range and found {@code found} (the memo's own from now on). */
  public void recordScan(String from, boolean exclusive, String to, int limit, List<Entry> found) {
    scans.add(new Scan(from, exclusive, to, limit, found));
    count(found.size() + 1);
  }

  /** The run read something a memo cannot answer (a schema query): keep none. */
  public void refuse() {
    refused = true;
  }

  private void count(int n) {
    entries += n;
    if (entries > MAX_ENTRIES) refused = true;
  }

  /** Whether the recording run left a memo worth keeping. */
  boolean usable() {
    return !refused;
  }

  /** The value of {@code key} (null: absent), if recorded. */
  public String get(String key) {
    String json = gets.get(key);
    if (json == null) throw Miss.INSTANCE;
    usedGets.add(key);
    return json == ABSENT ? null : json;
  }

  /**
   * The entries of a scan recorded with the same bounds, as now: the memo's own list, to read
   * before the next {@link #apply}.
   */
  public List<Entry> scan(String from, boolean exclusive, String to, int limit) {
    for (Scan scan : scans) {
      if (scan.same(from, exclusive, to, limit)) {
        scan.used = true;
        return scan.entries;
      }
    }
    throw Miss.INSTANCE;
  }

  /**
   * Keeps only the reads the last run from memory made: the watch hears only of changes to those,
   * so the others would go stale.
   */
  void keepUsed() {
    gets.keySet().retainAll(usedGets);
    usedGets.clear();
    for (Iterator<Scan> it = scans.iterator(); it.hasNext(); ) {
      Scan scan = it.next();
      if (!scan.used) it.remove();
      scan.used = false;
    }
  }

  /**
   * Patches the recorded reads with a commit's changes; false if some change cannot be applied
   * exactly (the memo is then unusable).
   */
  boolean apply(KeySet changes, final Keys keys) {
    final boolean[] exact = {true};
    boolean known =
        changes.changes(
            (key, json) -> {
              if (exact[0]) exact[0] = apply(key, json, keys);
            });
    return known && exact[0];
  }

  private boolean apply(String key, String json, Keys keys) {
    boolean plain = false; // Asked once, and only for a key some recorded read holds.
    if (gets.containsKey(key)) {
      if (!keys.isPlain(key)) return false;
      plain = true;
      gets.put(key, json == null ? ABSENT : json);
    }
    for (Scan scan : scans) {
      if (!scan.contains(key)) continue;
      if (!plain && !keys.isPlain(key)) return false;
      plain = true;
      if (!patch(scan, key, json)) return false;
    }
    return true;
  }

  /** One change in one scan's window; false if the window's new contents are not known. */
  private static boolean patch(Scan scan, String key, String json) {
    List<Entry> list = scan.entries;
    // Whole: the scan found fewer than its limit, so its range holds nothing else.
    boolean whole = list.size() < scan.limit;
    int at = find(list, key);
    if (json == null) {
      if (at < 0) return true; // Not in the window: beyond it, or it was not there.
      if (!whole) return false; // The entry past the cut would move up: not known.
      list.remove(at);
      return true;
    }
    if (at >= 0) {
      list.set(at, new Entry(key, json));
      return true;
    }
    int insert = -at - 1;
    if (whole) {
      list.add(insert, new Entry(key, json));
    } else if (insert < list.size()) {
      list.add(insert, new Entry(key, json));
      list.remove(list.size() - 1); // Pushed past the cut.
    } // Else past the cut: not in the window.
    return true;
  }

  /** Binary search by key in UTF-8 order: the index, or -(insertion point) - 1. */
  private static int find(List<Entry> list, String key) {
    int low = 0;
    int high = list.size() - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int c = KeyOrder.compare(list.get(mid).key, key);
      if (c < 0) {
        low = mid + 1;
      } else if (c > 0) {
        high = mid - 1;
      } else {
        return mid;
      }
    }
    return -(low + 1);
  }
}
