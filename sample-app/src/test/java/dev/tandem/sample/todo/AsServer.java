package dev.tandem.sample.todo;

import dev.tandem.KeyValue;
import dev.tandem.Query;
import dev.tandem.Row;
import dev.tandem.ScanOptions;
import dev.tandem.TableWriter;
import dev.tandem.WriteTransaction;
import java.util.List;

/**
 * A client transaction that says it runs on the server for {@code userID}: the mutators then take
 * their authoritative path (ownership checks) against a real local store.
 */
final class AsServer implements WriteTransaction {
  private final WriteTransaction tx;
  private final String userID;

  AsServer(WriteTransaction tx, String userID) {
    this.tx = tx;
    this.userID = userID;
  }

  @Override
  public Reason reason() {
    return Reason.AUTHORITATIVE;
  }

  @Override
  public String userID() {
    return userID;
  }

  @Override
  public void put(String key, Object value) {
    tx.put(key, value);
  }

  @Override
  public void set(String key, Object value) {
    tx.set(key, value);
  }

  @Override
  public boolean del(String key) {
    return tx.del(key);
  }

  @Override
  public TableWriter table(String name) {
    return tx.table(name);
  }

  @Override
  public long mutationID() {
    return tx.mutationID();
  }

  @Override
  public Object get(String key) {
    return tx.get(key);
  }

  @Override
  public <T> T get(String key, Class<T> type) {
    return tx.get(key, type);
  }

  @Override
  public String getJson(String key) {
    return tx.getJson(key);
  }

  @Override
  public boolean has(String key) {
    return tx.has(key);
  }

  @Override
  public boolean isEmpty() {
    return tx.isEmpty();
  }

  @Override
  public List<KeyValue> scan(ScanOptions options) {
    return tx.scan(options);
  }

  @Override
  public List<Row> query(Query query) {
    return tx.query(query);
  }

  @Override
  public <T> List<T> query(Query query, Class<T> type) {
    return tx.query(query, type);
  }

  @Override
  public String clientID() {
    return tx.clientID();
  }
}
