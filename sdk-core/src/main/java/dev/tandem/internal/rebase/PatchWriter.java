package dev.tandem.internal.rebase;

import dev.tandem.internal.db.SqlConnection;
import dev.tandem.internal.store.ClientView;
import dev.tandem.internal.store.Entry;
import dev.tandem.internal.store.KeySet;
import dev.tandem.protocol.PatchOperation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes a pull's patch operations into the client view, batching runs of puts (a first pull is
 * mostly puts) and recording every key it changes: in the write's changes (for live queries), and
 * for the rebase exactly which optimistic keys it wrote, whether it cleared, and the keys it wrote
 * (exactly up to {@link #MAX_TRACKED}, then everything). Not thread-safe: one per pull.
 */
final class PatchWriter {
  private static final int BATCH = 512;
  static final int MAX_TRACKED = 50_000;
  private final SqlConnection db;
  private final ClientView view;
  private final KeySet changes;
  private final Set<String> optimistic;
  private final List<Entry> puts = new ArrayList<>(BATCH);

  /**
   * The batch's keys, filled only once they stop coming in ascending order: until then a key
   * greater than the last cannot be one of them (a first pull's patch is sorted by key).
   */
  private final Set<String> keys = new HashSet<>();

  private String lastKey;
  private boolean ascending = true;

  /** Of {@code optimistic}, the keys the patch wrote or deleted. */
  final Set<String> patchedOptimistic = new HashSet<>();

  /** Every key the patch wrote or deleted, exactly up to {@link #MAX_TRACKED}. */
  final KeySet patched = KeySet.upTo(MAX_TRACKED);

  boolean cleared;

  /** False when nothing is pending: no rebase will ask what the patch wrote. */
  private final boolean forRebase;

  PatchWriter(SqlConnection db, ClientView view, KeySet changes, Set<String> optimistic) {
    this(db, view, changes, optimistic, true);
  }

  /**
   * @param forRebase false if no mutation is pending and nothing is optimistic (under the write
   *     lock, so none can be made meanwhile): {@link #patched} and {@link #patchedOptimistic} are
   *     then left empty, saving a set of up to {@link #MAX_TRACKED} keys on a first pull.
   */
  PatchWriter(
      SqlConnection db,
      ClientView view,
      KeySet changes,
      Set<String> optimistic,
      boolean forRebase) {
    this.db = db;
    this.view = view;
    this.changes = changes;
    this.optimistic = optimistic;
    this.forRebase = forRebase;
  }

  private void track(String key, String json) {
    changes.addChange(key, json);
    if (!forRebase) return;
    patched.addKey(key);
    if (optimistic.contains(key)) patchedOptimistic.add(key);
  }

  void apply(PatchOperation op) {
    switch (op.op()) {
      case PUT:
        if (!added(op.key())) {
          flush(); // The same key twice: the later put must land after the earlier one.
          added(op.key());
        }
        String json = op.value().toString();
        puts.add(new Entry(op.key(), json));
        track(op.key(), json);
        if (puts.size() == BATCH) flush();
        break;
      case DEL:
        flush();
        view.del(db, op.key());
        track(op.key(), null);
        break;
      case CLEAR:
        puts.clear(); // Cleared before they were written.
        forgetKeys();
        view.clear(db);
        changes.addAll();
        cleared = true;
        break;
    }
  }

  /** Notes {@code key} in the batch; false if the batch has it already. */
  private boolean added(String key) {
    if (ascending) {
      if (lastKey == null || key.compareTo(lastKey) > 0) {
        lastKey = key;
        return true;
      }
      ascending = false; // From here on, a set of the batch's keys.
      for (Entry put : puts) keys.add(put.key);
    }
    return keys.add(key);
  }

  private void forgetKeys() {
    lastKey = null;
    if (!ascending) keys.clear();
    ascending = true;
  }

  void flush() {
    if (puts.isEmpty()) return;
    view.putAll(db, puts);
    puts.clear();
    forgetKeys();
  }
}
