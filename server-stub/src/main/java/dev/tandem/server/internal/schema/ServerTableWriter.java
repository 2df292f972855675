package dev.tandem.server.internal.schema;

import dev.tandem.TableWriter;
import dev.tandem.internal.app.JsonCodec;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code tx.table(name)} on the server: {@code insert}, {@code upsert}, {@code update} (merged over
 * the row as the mutation may read it) and {@code delete} of one table's rows, through the
 * transaction's {@link ServerWrites}.
 */
final class ServerTableWriter implements TableWriter {
  private final ServerWriteTransaction tx;
  private final ServerTable table;
  private final JsonCodec codec;
  private final ReadFilter filter;
  private final ServerReads reads;
  private final ServerWrites writes;

  ServerTableWriter(
      ServerWriteTransaction tx,
      ServerTable table,
      JsonCodec codec,
      ReadFilter filter,
      ServerReads reads,
      ServerWrites writes) {
    this.tx = tx;
    this.table = table;
    this.codec = codec;
    this.filter = filter;
    this.reads = reads;
    this.writes = writes;
  }

  @Override
  public void insert(Object row) {
    Map<String, Object> fields = table.byField(values(row));
    String key = table.keyOf(fields);
    try {
      // One statement: it writes over a deleted row, and changes nothing if a live one exists.
      if (writes.store(table, true, fields) == 0) {
        throw new IllegalStateException("table '" + table.table.name() + "' already has " + key);
      }
    } catch (SQLException e) {
      throw new ServerWriteTransaction.StorageException(e);
    }
  }

  @Override
  public void upsert(Object row) {
    Map<String, Object> fields = table.byField(values(row));
    write(fields);
  }

  @Override
  public void update(Object partialRow) {
    Map<String, Object> changes = table.byField(values(partialRow));
    String key = table.keyOf(changes);
    Object[] keyValues = table.parseKey(key);
    Map<String, Object> current;
    try {
      current = keyValues == null ? null : reads.visibleRow(table, keyValues);
    } catch (SQLException e) {
      throw new ServerWriteTransaction.StorageException(e);
    }
    if (current == null) {
      // A live row the user may not read: the client could not update it either (it does not
      // hold it), and the update would read it; refused as a permission matter.
      if (filter.filtered() && writes.liveKey(table, key)) {
        throw tx.refuse(new Access.Denied("permission denied: you may not update " + key));
      }
      throw new IllegalStateException("table '" + table.table.name() + "' has no row " + key);
    }
    Map<String, Object> fields = new LinkedHashMap<>(current);
    fields.putAll(changes);
    try {
      // The row just read is the row before, unless the read hid columns the client lacks:
      // then store reads the stored row, whose values those columns keep.
      writes.store(table, false, fields, filter.lacked(table).isEmpty() ? current : null);
    } catch (SQLException e) {
      throw new ServerWriteTransaction.StorageException(e);
    }
  }

  @Override
  public boolean delete(Object primaryKey) {
    return writes.del(table.keyOf(table.byField(values(primaryKey))));
  }

  private void write(Map<String, Object> fields) {
    try {
      writes.store(table, false, fields);
    } catch (SQLException e) {
      throw new ServerWriteTransaction.StorageException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> values(Object row) {
    Object value = row instanceof Map ? row : codec.toJsonValue(row);
    if (!(value instanceof Map)) {
      throw new IllegalArgumentException("a row is a Map or an object with fields, not " + row);
    }
    return (Map<String, Object>) value; // Read only: ServerTable.byField copies it.
  }
}
