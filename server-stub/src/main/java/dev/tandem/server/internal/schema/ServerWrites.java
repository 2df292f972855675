package dev.tandem.server.internal.schema;

import dev.tandem.internal.app.JsonCodec;
import dev.tandem.server.MutationContext;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A mutation's writes on the server ({@code put}, {@code del}, and the table writer's rows): each
 * row validated, reconciled with the columns its schema version lacks, checked against the grants
 * and stamped with the push's version; deletes are soft; other keys go to {@code tandem_kv}.
 */
final class ServerWrites {
  private final ServerWriteTransaction tx;
  private final SchemaStorage storage;
  private final MutationContext context;
  private final JsonCodec codec;

  ServerWrites(
      ServerWriteTransaction tx, SchemaStorage storage, MutationContext context, JsonCodec codec) {
    this.tx = tx;
    this.storage = storage;
    this.context = context;
    this.codec = codec;
  }

  void put(String key, Object value) {
    if (key == null) throw new NullPointerException("key == null");
    ServerTable table = storage.tableOf(key);
    try {
      if (table == null) {
        kvPut(key, codec.toJson(value));
        return;
      }
      Object plain = codec.toJsonValue(value);
      if (!(plain instanceof Map)) {
        throw new IllegalArgumentException(
            "the value of "
                + key
                + " is not a JSON object, so it is no row of table '"
                + table.table.name()
                + "'");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> fields =
          table.withKeyFields(key, new LinkedHashMap<>((Map<String, Object>) plain));
      String rowKey = table.keyOf(fields);
      if (!rowKey.equals(key)) {
        throw new IllegalArgumentException(
            "key " + key + " does not match the row's primary key, whose key is " + rowKey);
      }
      store(table, false, fields);
    } catch (SQLException e) {
      throw new ServerWriteTransaction.StorageException(e);
    }
  }

  /**
   * Writes the row {@code fields} (by JSON field) with an upsert, or with an insert ({@code
   * insert}: it changes nothing over a live row, and returns 0): the columns the client's schema
   * version lacks keep their stored values, mirrored columns follow each other ({@link
   * SchemaStorage#reconcile}). With permissions, the grants' condition that needs the database
   * rides in the write itself ({@code INSERT … SELECT … WHERE}): no row written means refused.
   */
  int store(ServerTable table, boolean insert, Map<String, Object> fields) throws SQLException {
    return store(table, insert, fields, null);
  }

  /**
   * {@link #store}, where {@code read} is the live row (by JSON field) the caller has just read
   * under the same key, or null if it has not read it.
   */
  int store(ServerTable table, boolean insert, Map<String, Object> fields, Map<String, Object> read)
      throws SQLException {
    Access access = storage.access();
    // An insert is checked as one: over a live row it fails below, whatever the grants say.
    Map<String, Object> before =
        access == null || insert ? null : read != null ? read : live(table, fields);
    Map<String, Object> row;
    try {
      row =
          storage.reconcile(
              table,
              fields,
              context.schemaVersion(),
              () -> access == null || insert ? live(table, fields) : before);
    } catch (SQLException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    Verdict verdict = null;
    if (access != null) {
      try {
        verdict = access.writeVerdict(context, table, before, row);
      } catch (Access.Denied e) {
        throw tx.refuse(e);
      }
    }
    Object[] values = table.bind(row, codec);
    boolean guarded = verdict != null && verdict.sql != null;
    String sql =
        guarded ? table.guardedWrite(insert, verdict.sql) : insert ? table.insert : table.upsert;
    PreparedStatement write = storage.statement(context, sql);
    int next = table.setValues(write, 1, values);
    write.setLong(next, context.version());
    write.setBoolean(next + 1, false);
    if (guarded) GrantSql.bind(write, next + 2, verdict.args);
    int count = write.executeUpdate();
    // No row: refused, or (an insert) a live row has the key, which the condition alone tells.
    if (guarded && count == 0 && (!insert || !access.holds(context, verdict))) {
      throw tx.refuse(WriteChecks.denied(verdict, table.keyOf(row)));
    }
    return count;
  }

  /** The live row with the primary key {@code fields} hold, by JSON field; null if none. */
  private Map<String, Object> live(ServerTable table, Map<String, Object> fields)
      throws SQLException {
    Object[] keyValues = table.parseKey(table.keyOf(fields));
    if (keyValues == null) return null;
    return liveByKey(table, keyValues);
  }

  /** True if {@code key} names a live row of {@code table}, whoever may read it. */
  boolean liveKey(ServerTable table, String key) {
    Object[] keyValues = table.parseKey(key);
    try {
      return keyValues != null && liveByKey(table, keyValues) != null;
    } catch (SQLException e) {
      throw new ServerWriteTransaction.StorageException(e);
    }
  }

  private Map<String, Object> liveByKey(ServerTable table, Object[] keyValues) throws SQLException {
    PreparedStatement select = storage.statement(context, table.selectByKey);
    table.setKey(select, 1, keyValues);
    try (ResultSet rows = select.executeQuery()) {
      if (!rows.next() || rows.getBoolean(table.table.columns().size() + 1)) return null;
      return table.readFields(rows, 1, codec);
    }
  }

  private void kvPut(String key, String json) throws SQLException {
    if (storage.access() != null) {
      try {
        WriteChecks.denyKv(key);
      } catch (Access.Denied e) {
        throw tx.refuse(e);
      }
    }
    PreparedStatement upsert =
        storage.statement(
            context,
            "INSERT INTO "
                + SchemaStorage.KV
                + " (key, value, version, deleted) VALUES (?, ?, ?, ?) ON CONFLICT (key)"
                + " DO UPDATE SET value = excluded.value, version = excluded.version,"
                + " deleted = excluded.deleted");
    upsert.setString(1, key);
    upsert.setString(2, json);
    upsert.setLong(3, context.version());
    upsert.setBoolean(4, false);
    upsert.executeUpdate();
  }

  boolean del(String key) {
    if (key == null) throw new NullPointerException("key == null");
    try {
      ServerTable table = storage.tableOf(key);
      PreparedStatement delete;
      int next;
      Access access = storage.access();
      Verdict verdict = null;
      if (access != null) {
        try {
          if (table == null) WriteChecks.denyKv(key);
          Object[] keyValues = table.parseKey(key);
          Map<String, Object> before = keyValues == null ? null : liveByKey(table, keyValues);
          if (before == null) return false;
          verdict = access.deleteVerdict(context, table, before);
        } catch (Access.Denied e) {
          throw tx.refuse(e);
        }
      }
      boolean guarded = verdict != null && verdict.sql != null;
      if (table == null) {
        delete =
            storage.statement(
                context,
                "UPDATE "
                    + SchemaStorage.KV
                    + " SET deleted = ?, version = ? WHERE key = ? AND deleted = ?");
        delete.setBoolean(1, true);
        delete.setLong(2, context.version());
        delete.setString(3, key);
        next = 4;
      } else {
        Object[] keyValues = table.parseKey(key);
        if (keyValues == null) return false;
        delete =
            storage.statement(
                context, guarded ? table.guardedDelete(verdict.sql) : table.softDelete);
        delete.setBoolean(1, true);
        delete.setLong(2, context.version());
        next = table.setKey(delete, 3, keyValues);
      }
      delete.setBoolean(next, false);
      if (guarded) GrantSql.bind(delete, next + 1, verdict.args);
      int count = delete.executeUpdate();
      // The row was live (read above, under the push lock): no row deleted means refused.
      if (guarded && count == 0) throw tx.refuse(WriteChecks.denied(verdict, key));
      return count > 0;
    } catch (SQLException e) {
      throw new ServerWriteTransaction.StorageException(e);
    }
  }
}
