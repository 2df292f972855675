package dev.tandem;

import dev.tandem.internal.live.KeySet;
import dev.tandem.internal.store.SqlConnection;

/**
 * Optimistic writes of one mutation on the writer connection: each key's value before the first
 * pending change to it goes to the undo log, so a rebase can revert it.
 */
final class RealWriteTransaction extends RealReadTransaction implements WriteTransaction {
  private final long mutationID;
  private final Reason reason;
  private final KeySet changes;

  RealWriteTransaction(
      SqlConnection db,
      DataStore data,
      JsonCodec codec,
      String clientID,
      long mutationID,
      Reason reason,
      KeySet changes) {
    super(db, data, codec, clientID, null);
    this.mutationID = mutationID;
    this.reason = reason;
    this.changes = changes;
  }

  @Override
  public void put(String key, Object value) {
    if (key == null) throw new NullPointerException("key == null");
    String json = codec.toJson(value);
    data.recordUndo(db, key);
    data.put(db, key, json);
    changes.addKey(key);
  }

  @Override
  public void set(String key, Object value) {
    put(key, value);
  }

  @Override
  public boolean del(String key) {
    data.recordUndo(db, key);
    boolean existed = data.del(db, key);
    if (existed) changes.addKey(key);
    return existed;
  }

  @Override
  public long mutationID() {
    return mutationID;
  }

  @Override
  public Reason reason() {
    return reason;
  }
}
