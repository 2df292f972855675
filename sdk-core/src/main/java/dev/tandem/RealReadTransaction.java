package dev.tandem;

import dev.tandem.internal.live.KeySet;
import dev.tandem.internal.store.SqlConnection;
import java.util.ArrayList;
import java.util.List;

/** Reads of {@code tandem_kv} through one connection, recording what it read. */
class RealReadTransaction implements ReadTransaction {
  final SqlConnection db;
  final DataStore data;
  final JsonCodec codec;
  final String clientID;

  /** What this transaction read, for live queries; null when nobody needs it. */
  final KeySet reads;

  RealReadTransaction(
      SqlConnection db, DataStore data, JsonCodec codec, String clientID, KeySet reads) {
    this.db = db;
    this.data = data;
    this.codec = codec;
    this.clientID = clientID;
    this.reads = reads;
  }

  @Override
  public String getJson(String key) {
    if (reads != null) reads.addKey(key);
    return data.get(db, key);
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
    return data.scan(db, "", false, null, 1).isEmpty();
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
    for (String[] entry : data.scan(db, from, exclusive, to, options.limit())) {
      result.add(new KeyValue(entry[0], entry[1], codec));
    }
    return result;
  }

  @Override
  public List<Row> query(Query query) {
    return new QueryRunner(db, data, codec, reads).run(query);
  }

  @Override
  public <T> List<T> query(Query query, Class<T> type) {
    List<Row> rows = query(query);
    List<T> mapped = new ArrayList<>(rows.size());
    for (Row row : rows) mapped.add(row.as(type));
    return mapped;
  }

  @Override
  public String clientID() {
    return clientID;
  }
}
