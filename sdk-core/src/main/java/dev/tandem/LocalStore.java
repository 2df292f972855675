package dev.tandem;

import dev.tandem.internal.Ids;
import dev.tandem.internal.live.KeySet;
import dev.tandem.internal.store.SqlConnection;
import dev.tandem.internal.store.SqlDriver;
import dev.tandem.internal.store.Store;
import dev.tandem.protocol.Cookie;
import dev.tandem.protocol.RawJson;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The local half of the engine: identity, mutations, reads, and applying pulls, on one database.
 * Every write holds {@link #lock} and runs in one SQLite transaction on the writer connection;
 * reads use reader connections. Listeners hear of commits after the lock is released.
 */
final class LocalStore {
  /** Hears what each commit changed, after the write lock is released. */
  interface CommitListener {
    void committed(KeySet changes);
  }

  final ReentrantLock lock = new ReentrantLock();
  final SqlDriver driver;
  final DataStore data;
  final JsonCodec codec;
  final Mutators mutators;
  final String clientID;
  final String clientGroupID;
  final String profileID;
  private CommitListener listener = changes -> {};
  private long lastMutationID;

  /** Rows in tandem_pending, kept here so a mutation does not count them. Guarded by lock. */
  private long pendingCount;

  private LocalStore(
      SqlDriver driver,
      DataStore data,
      JsonCodec codec,
      Mutators mutators,
      String clientID,
      String clientGroupID,
      String profileID,
      long lastMutationID) {
    this.driver = driver;
    this.data = data;
    this.codec = codec;
    this.mutators = mutators;
    this.clientID = clientID;
    this.clientGroupID = clientGroupID;
    this.profileID = profileID;
    this.lastMutationID = lastMutationID;
  }

  /** Opens the store, creating its tables and this database's client identity on first use. */
  static LocalStore open(SqlDriver driver, DataStore data, JsonCodec codec, Mutators mutators) {
    Store store = new Store(driver);
    store.migrate();
    SqlConnection db = driver.writer();
    db.begin();
    List<String[]> violations;
    try {
      data.migrate(db);
      violations = data.takeViolations();
      String clientID = identity(db, Store.CLIENT_ID);
      String clientGroupID = identity(db, Store.CLIENT_GROUP_ID);
      String profileID = identity(db, Store.PROFILE_ID);
      long last = Store.lastMutationID(db, clientID);
      long pending = Store.pendingCount(db);
      db.commit();
      LocalStore local =
          new LocalStore(driver, data, codec, mutators, clientID, clientGroupID, profileID, last);
      local.pendingCount = pending;
      data.report(violations);
      return local;
    } catch (RuntimeException e) {
      db.rollback();
      data.takeViolations();
      throw e;
    }
  }

  private static String identity(SqlConnection db, String key) {
    String value = Store.meta(db, key);
    if (value == null) {
      value = Ids.newId();
      Store.setMeta(db, key, value);
    }
    return value;
  }

  void setListener(CommitListener listener) {
    this.listener = listener;
  }

  /**
   * Runs mutator {@code name} now and records it as pending, in one transaction (rule 1).
   *
   * @return the mutation's ID.
   */
  long mutate(String name, Object args, double timestamp) {
    RawJson json = mutators.encode(name, args); // Fails fast on an unknown mutator.
    KeySet changes = new KeySet();
    long id;
    List<String[]> violations;
    lock.lock();
    try {
      SqlConnection db = driver.writer();
      id = lastMutationID + 1;
      db.begin();
      try {
        mutators.run(
            name,
            new RealWriteTransaction(
                db, data, codec, clientID, id, WriteTransaction.Reason.INITIAL, changes),
            json);
        Store.addPending(db, new Store.Pending(0, clientID, id, name, json, timestamp));
        db.commit();
      } catch (Exception e) {
        db.rollback();
        data.takeViolations();
        throw new MutationException("mutator '" + name + "' failed: " + e, e);
      }
      violations = data.takeViolations();
      lastMutationID = id;
      pendingCount++;
    } finally {
      lock.unlock();
    }
    data.report(violations);
    listener.committed(changes);
    return id;
  }

  /** Runs {@code query} in a read transaction on a reader connection, recording its reads. */
  <T> T read(ReadQuery<T> query, KeySet reads) throws Exception {
    SqlConnection db = driver.acquireReader();
    try {
      db.begin();
      try {
        return query.query(new RealReadTransaction(db, data, codec, clientID, reads));
      } finally {
        db.rollback();
      }
    } finally {
      driver.releaseReader(db);
    }
  }

  Cookie cookie() {
    SqlConnection db = driver.acquireReader();
    try {
      return Store.cookie(db);
    } finally {
      driver.releaseReader(db);
    }
  }

  List<Store.Pending> pending(long afterSeq, int limit) {
    SqlConnection db = driver.acquireReader();
    try {
      return Store.pending(db, afterSeq, limit);
    } finally {
      driver.releaseReader(db);
    }
  }

  long pendingCount() {
    lock.lock();
    try {
      return pendingCount;
    } finally {
      lock.unlock();
    }
  }

  /** After a pull dropped confirmed mutations, in its transaction, under the lock. */
  void recountPending(SqlConnection db) {
    pendingCount = Store.pendingCount(db);
  }

  /**
   * This client's newest mutation ID; the server has confirmed it once its lastMutationID is here.
   */
  long lastMutationID() {
    lock.lock();
    try {
      return lastMutationID;
    } finally {
      lock.unlock();
    }
  }

  String meta(String key) {
    SqlConnection db = driver.acquireReader();
    try {
      return Store.meta(db, key);
    } finally {
      driver.releaseReader(db);
    }
  }

  void setMeta(String key, String value) {
    lock.lock();
    try {
      SqlConnection db = driver.writer();
      db.begin();
      try {
        Store.setMeta(db, key, value);
        db.commit();
      } catch (RuntimeException e) {
        db.rollback();
        throw e;
      }
    } finally {
      lock.unlock();
    }
  }

  /** The last mutation ID the server confirmed for this client. */
  long confirmedMutationID() {
    SqlConnection db = driver.acquireReader();
    try {
      Long confirmed = Store.confirmed(db).get(clientID);
      return confirmed == null ? 0 : confirmed;
    } finally {
      driver.releaseReader(db);
    }
  }

  void notifyCommitted(KeySet changes) {
    listener.committed(changes);
  }
}
