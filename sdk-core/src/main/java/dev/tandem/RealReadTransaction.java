package dev.tandem;

import dev.tandem.internal.live.KeySet;
import dev.tandem.internal.store.SqlConnection;
import dev.tandem.internal.store.SqlCursor;
import dev.tandem.internal.store.Store;
import java.util.ArrayList;
import java.util.List;

/** Reads of {@code tandem_kv} through one connection, recording what it read. */
class RealReadTransaction implements ReadTransaction {
  final SqlConnection db;
  final JsonCodec codec;
  final String clientID;

  /** What this transaction read, for live queries; null when nobody needs it. */
  final KeySet reads;

  RealReadTransaction(SqlConnection db, JsonCodec codec, String clientID, KeySet reads) {
    this.db = db;
    this.codec = codec;
    this.clientID = clientID;
    this.reads = reads;
  }

  @Override
  public String getJson(String key) {
    if (reads != null) reads.addKey(key);
    return Store.get(db, key);
  }

  @Override
  public Object get(String key) {
    String json = getJson(key);
    return json == null ? null : codec.fromJson(json, Object.class);
  }

  @Override
  public <T> T get(String key, Class<T> type) {
    String json = getJson(key);
    return json == null ? null : codec.fromJson(json, type);
  }

  @Override
  public boolean has(String key) {
    return getJson(key) != null;
  }

  @Override
  public boolean isEmpty() {
    if (reads != null) reads.addRange("", null);
    try (SqlCursor cursor = db.query("SELECT 1 FROM tandem_kv LIMIT 1")) {
      return !cursor.next();
    }
  }

  @Override
  public List<KeyValue> scan(ScanOptions options) {
    String prefix = options.prefix();
    String from = prefix;
    boolean exclusive = false;
    if (options.start() != null
        && dev.tandem.protocol.KeyOrder.compare(options.start(), prefix) >= 0) {
      from = options.start();
      exclusive = options.startExclusive();
    }
    String to = KeySet.prefixEnd(prefix);
    if (reads != null) reads.addRange(from, to);
    List<KeyValue> result = new ArrayList<>();
    if (options.limit() == 0) return result;
    StringBuilder sql = new StringBuilder("SELECT key, value FROM tandem_kv WHERE key ");
    sql.append(exclusive ? "> ?" : ">= ?");
    List<Object> args = new ArrayList<>();
    args.add(from);
    if (to != null) {
      sql.append(" AND key < ?");
      args.add(to);
    }
    sql.append(" ORDER BY key LIMIT ?");
    args.add((long) options.limit());
    try (SqlCursor cursor = db.query(sql.toString(), args.toArray())) {
      while (cursor.next())
        result.add(new KeyValue(cursor.getString(0), cursor.getString(1), codec));
    }
    return result;
  }

  @Override
  public String clientID() {
    return clientID;
  }
}
