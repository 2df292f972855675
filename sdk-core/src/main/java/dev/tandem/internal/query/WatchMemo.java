package dev.tandem.internal.query;

import dev.tandem.ReadQuery;
import dev.tandem.internal.store.KeySet;
import io.reactivex.rxjava3.exceptions.Exceptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One watch's {@link ReadMemo}: what its last run read and found, and the change sets of the
 * commits that touched it since its current run began, kept in the order the store tells them
 * (commit order), for the next run to re-run from memory. The log is the committing threads'; the
 * memo and the log a run took are its runner's (one run of a watch at a time).
 */
final class WatchMemo {
  /** Change sets kept for the next run from memory; past this it runs in SQLite. */
  static final int MAX_LOG = 64;

  private final LiveQueries.Memos memos;

  /**
   * What the last run read and found; null when there is none to trust: a first run, a run that
   * failed or missed, or changes it could not follow.
   */
  private ReadMemo memo;

  /** False once a run read what a memo cannot hold (a schema query, too many entries). */
  private volatile boolean usable = true;

  /** Guarded by this: the change sets since the current run began, and whether some was lost. */
  private List<KeySet> log = new ArrayList<>();

  private boolean lost;

  /** The log the current run took when it began, and whether it was whole. */
  private List<KeySet> taken = Collections.emptyList();

  private boolean takenWhole;

  WatchMemo(LiveQueries.Memos memos) {
    this.memos = memos;
  }

  /**
   * A commit touched the watch: kept for the next run. A change set no memo could follow (a range,
   * everything) is not kept: the next run reads SQLite.
   */
  synchronized void changed(KeySet changes) {
    if (!usable || lost) return;
    if (log.size() >= MAX_LOG || changes.keysOnly() == null) {
      lost = true;
      log = new ArrayList<>();
    } else {
      log.add(changes);
    }
  }

  /** A run begins: it takes the changes so far; later ones are the next run's. */
  synchronized void starting() {
    taken = log;
    takenWhole = !lost;
    log = new ArrayList<>();
    lost = false;
  }

  /**
   * Runs {@code query} from the memo patched with the changes the run took, recording its reads in
   * {@code read}; null if it cannot (then it runs in SQLite, recording anew).
   */
  Object run(ReadQuery<?> query, KeySet read) {
    ReadMemo current = memo;
    memo = null; // Kept again only if this run succeeds.
    if (current == null || !takenWhole) return null;
    for (KeySet changes : taken) {
      if (!current.apply(changes, memos)) return null;
    }
    Object result;
    try {
      result = memos.fromMemo(query, read, current);
    } catch (Throwable e) {
      // A miss, or the query failed: SQLite tells which, and the error if any is the one its read
      // would give.
      Exceptions.throwIfFatal(e);
      return null;
    }
    if (result == null) return null; // SQLite's run reports it.
    current.keepUsed();
    memo = current;
    return result;
  }

  /** A memo for a run in SQLite to record into, or null if the watch keeps none. */
  ReadMemo recorder() {
    return usable ? new ReadMemo() : null;
  }

  /** What a run in SQLite recorded ({@link #recorder}), after it succeeded. */
  void recorded(ReadMemo record) {
    if (record == null) return;
    if (record.usable()) {
      memo = record;
    } else {
      usable = false; // A schema query, or too large: every run reads SQLite.
    }
  }
}
