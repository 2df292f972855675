package dev.tandem.internal.mutation;

import dev.tandem.TableWriter;
import dev.tandem.WriteTransaction;
import dev.tandem.internal.store.KeySet;
import dev.tandem.internal.store.LocalStore;
import dev.tandem.internal.store.TableRow;
import dev.tandem.internal.store.TypedTable;
import java.util.Map;

/**
 * Optimistic writes of one mutation on the writer connection: each key's value before the first
 * pending change to it goes to the undo log, so a rebase can revert it.
 */
final class RealWriteTransaction extends RealReadTransaction implements WriteTransaction {
  private final LocalStore.Write write;
  private final long mutationID;
  private final Reason reason;
  private final KeySet changes;
  private final KeySet footprint;

  /** Records what the mutator reads and writes in {@code footprint}. */
  RealWriteTransaction(
      LocalStore.Write write, String clientID, long mutationID, Reason reason, KeySet footprint) {
    super(write.db, write.view(), write.codec(), clientID, footprint);
    this.write = write;
    this.mutationID = mutationID;
    this.reason = reason;
    this.changes = write.changes;
    this.footprint = footprint;
  }

  @Override
  public void put(String key, Object value) {
    if (key == null) throw new NullPointerException("key == null");
    String json = value instanceof RawJsonValue ? ((RawJsonValue) value).json : codec.toJson(value);
    write.put(key, json);
    wrote(key, json);
  }

  /** {@code key} now holds {@code json}: a change for live queries, a write of this footprint. */
  private void wrote(String key, String json) {
    changes.addChange(key, json);
    footprint.addKey(key);
  }

  /** JSON text already encoded, passed through {@link #put} as is. */
  static final class RawJsonValue {
    final String json;

    private RawJsonValue(String json) {
      this.json = json;
    }

    static RawJsonValue of(String json) {
      return new RawJsonValue(json);
    }
  }

  @Override
  public void set(String key, Object value) {
    put(key, value);
  }

  @Override
  public boolean del(String key) {
    footprint.addKey(key);
    write.recordUndo(key);
    boolean existed = data.del(db, key);
    if (existed) changes.addChange(key, null);
    return existed;
  }

  @Override
  public TableWriter table(String name) {
    final TypedTable table = data.table(name);
    return new TableWriter() {
      @Override
      public void insert(Object row) {
        Map<String, Object> values = values(row);
        String key = table.keyOf(values);
        TableRow direct = prepare(table, key, values);
        if (direct != null) {
          footprint.addKey(key); // Read: is it there?
          if (!write.insertIfAbsent(direct)) throw alreadyHas(key);
          wrote(key, direct.json);
          return;
        }
        if (getJson(key) != null) throw alreadyHas(key);
        String json = table.encode(values);
        write.putAbsent(key, json); // Just read as absent: that is its undo entry.
        wrote(key, json);
      }

      private IllegalStateException alreadyHas(String key) {
        return new IllegalStateException("table '" + table.table.name() + "' already has " + key);
      }

      @Override
      public void upsert(Object row) {
        Map<String, Object> values = values(row);
        String key = table.keyOf(values);
        if (!putDirect(prepare(table, key, values))) {
          put(key, RawJsonValue.of(table.encode(values)));
        }
      }

      @Override
      public void update(Object partialRow) {
        Map<String, Object> changes = values(partialRow);
        String key = table.keyOf(changes);
        String json = getJson(key);
        if (json == null) {
          throw new IllegalStateException("table '" + table.table.name() + "' has no row " + key);
        }
        Map<String, Object> values = table.decode(key, json);
        values.putAll(changes);
        if (!putDirect(prepare(table, key, values))) {
          put(key, RawJsonValue.of(table.encode(values)));
        }
      }

      @Override
      public boolean delete(Object primaryKey) {
        return del(table.keyOf(values(primaryKey)));
      }
    };
  }

  /**
   * A new mutation's row ready to store without its JSON parsed again ({@link TableRow}), or null:
   * replays, and rows {@link TableRow} does not take, go through JSON text as pulls do.
   */
  private TableRow prepare(TypedTable table, String key, Map<String, Object> values) {
    return reason == Reason.INITIAL ? table.prepare(key, values) : null;
  }

  /** {@link #put} of {@code row} if not null; false if null. */
  private boolean putDirect(TableRow row) {
    if (row == null) return false;
    write.put(row);
    wrote(row.key, row.json);
    return true;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> values(Object row) {
    Object value = row instanceof Map ? row : codec.toJsonValue(row);
    if (!(value instanceof Map)) {
      throw new IllegalArgumentException("a row is a Map or an object with fields, not " + row);
    }
    return new java.util.LinkedHashMap<>((Map<String, Object>) value);
  }

  @Override
  public long mutationID() {
    return mutationID;
  }

  @Override
  public Reason reason() {
    return reason;
  }

  /** Null: the client does not know who the server will authenticate. */
  @Override
  public String userID() {
    return null;
  }
}
