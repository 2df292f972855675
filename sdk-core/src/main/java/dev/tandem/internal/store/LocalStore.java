package dev.tandem.internal.store;

import dev.tandem.Schema;
import dev.tandem.SchemaViolationListener;
import dev.tandem.internal.Ids;
import dev.tandem.internal.app.JsonCodec;
import dev.tandem.internal.db.SqlConnection;
import dev.tandem.internal.db.SqlDriver;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The local database of one client: its identity, and the one way to read ({@link #read}) and the
 * one way to write ({@link #write}) it. A write takes the write lock, runs in one SQLite
 * transaction on the writer connection (with savepoints for steps that may fail alone), commits,
 * and only after the lock is released reports schema violations and tells the commit listener what
 * changed. Reads run on pooled reader connections (WAL), concurrently with a write.
 */
public final class LocalStore {
  /**
   * Hears what each commit changed, after the write lock is released, one commit at a time and in
   * commit order (a live query's memo patches its reads in that order).
   */
  public interface CommitListener {
    void committed(KeySet changes);
  }

  /** Work done in a write transaction; throwing rolls the whole transaction back. */
  public interface Work<T> {
    T run(Write write) throws Exception;
  }

  /** Work done in a read transaction. */
  public interface ReadWork<T> {
    T run(SqlConnection db) throws Exception;
  }

  /** A step of a write that may fail alone: see {@link Write#attempt}. */
  public interface Step {
    void run() throws Exception;
  }

  /** The write transaction in progress: its connection, what it changed, its pending mutations. */
  public final class Write {
    public final SqlConnection db;
    public final KeySet changes = new KeySet();
    private long mutationID;
    private long seq;
    private long pendingDelta;
    private boolean newMutation;
    private boolean mutating;

    /** Keys whose undo entry this write recorded (a new mutation's write only); null if none. */
    private List<String> undoRecorded;

    /** The new mutation's undo entries, for its queue record; null if none. */
    private List<Entry> undoEntries;

    private Write(SqlConnection db) {
      this.db = db;
    }

    /** The client view (plain keys and schema tables) this write changes. */
    public ClientView view() {
      return view;
    }

    public JsonCodec codec() {
      return codec;
    }

    /** This client's ID. */
    public String clientID() {
      return clientID;
    }

    /** The ID the next {@link #enqueue} will take. */
    public long nextMutationID() {
      return (mutationID == 0 ? lastMutationID : mutationID) + 1;
    }

    /**
     * Queues a mutation of this client in this transaction, taking the next mutation ID. A write
     * that enqueues does nothing else than make that new mutation (its mutator's writes, their undo
     * entries): such writes do not count in {@link #otherWrites}.
     *
     * @return the pending record stored.
     */
    public Pending enqueue(String name, dev.tandem.protocol.RawJson args, double timestamp) {
      newMutation = true;
      long id = nextMutationID();
      long position = (seq == 0 ? lastSeq : seq) + 1;
      Pending pending = new Pending(position, clientID, id, name, args, timestamp, schemaVersion);
      PendingQueue.add(db, pending, UndoLog.encode(undoEntries));
      mutationID = id;
      seq = position;
      pendingDelta++;
      return pending;
    }

    /**
     * Marks this write as a new mutation's (its mutator runs next, then {@link #enqueue}): its undo
     * entries may be skipped for keys this store knows are recorded (see {@link #recordUndo}).
     */
    public void startMutation() {
      mutating = true;
    }

    /**
     * Records {@code key}'s value before its first optimistic change since the last snapshot. A
     * replay's write records it in {@code tandem_undo} ({@link ClientView#recordUndo}); a new
     * mutation's, in the mutation's own queue record ({@link #enqueue}), unless the key's entry is
     * known to be in the committed undo log already (recorded by an earlier new mutation's write,
     * with only new mutations' writes committed since: nothing else removes entries in between), is
     * in {@code tandem_undo}, or was recorded by this write.
     */
    public void recordUndo(String key) {
      if (!mutating) {
        view.recordUndo(db, key);
        return;
      }
      if (!unrecorded(key)) return;
      recorded(key, view.undoEntry(db, key));
    }

    /**
     * A mutator's put of {@code key}: its undo entry recorded ({@link #recordUndo}), then the value
     * written. A new mutation's first write of a plain key whose entry is not known does both in
     * one statement when the key is new ({@code INSERT OR IGNORE}): its entry is "absent". Should
     * {@code tandem_undo} hold an entry for the key already, that one counts first and this one is
     * never read (see {@link UndoLog}).
     */
    public void put(String key, String json) {
      if (mutating && unrecorded(key) && view.putIfAbsentPlain(db, key, json)) {
        recorded(key, new Entry(key, null));
        return;
      }
      recordUndo(key);
      view.put(db, key, json);
    }

    /**
     * {@link #put} of a key this write has just read as absent: a new mutation's entry for it, if
     * not recorded yet, is "absent" without reading it again (as in {@link #put}, an entry in
     * {@code tandem_undo} still counts first).
     */
    public void putAbsent(String key, String json) {
      if (!mutating) {
        put(key, json);
        return;
      }
      if (unrecorded(key)) recorded(key, new Entry(key, null));
      view.put(db, key, json);
    }

    /** {@link #put} of a schema table's row {@link TypedTable#prepare} made. */
    public void put(TableRow row) {
      recordUndo(row.key);
      view.put(db, row);
    }

    /**
     * A new mutation's insert of a schema table's row: stored only if its key is absent, in one
     * statement; true if it was, and its entry, if not recorded yet, is "absent" (as in {@link
     * #putAbsent}); false, with nothing written, if the key is stored.
     */
    public boolean insertIfAbsent(TableRow row) {
      if (!mutating) throw new IllegalStateException("a new mutation's write only");
      if (!view.insertIfAbsent(db, row)) return false;
      if (unrecorded(row.key)) recorded(row.key, new Entry(row.key, null));
      return true;
    }

    /** Whether a new mutation's write has yet to record {@code key}'s entry. */
    private boolean unrecorded(String key) {
      return !undoKnown.contains(key) && (undoRecorded == null || !undoRecorded.contains(key));
    }

    /** {@code key}'s entry is recorded by this write: {@code entry}, or null if in tandem_undo. */
    private void recorded(String key, Entry entry) {
      if (undoRecorded == null) undoRecorded = new ArrayList<>(2);
      undoRecorded.add(key);
      if (entry == null) return;
      if (undoEntries == null) undoEntries = new ArrayList<>(2);
      undoEntries.add(entry);
    }

    /** {@code count} pending mutations were dropped in this transaction. */
    public void dropped(int count) {
      pendingDelta -= count;
    }

    /**
     * Runs {@code step} in a savepoint: if it throws, its effects are undone, the rest of the
     * transaction goes on, and this returns false.
     */
    public boolean attempt(Step step) {
      db.savepoint("step");
      try {
        step.run();
        db.releaseSavepoint("step");
        return true;
      } catch (Exception e) {
        db.rollbackToSavepoint("step");
        db.releaseSavepoint("step");
        return false;
      }
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final SqlDriver driver;
  private final ClientView view;
  private final JsonCodec codec;

  /** Changed only by {@link #startNewGroup}, under the write lock. */
  private volatile String clientID;

  private volatile String clientGroupID;
  private final String profileID;
  private final String schemaVersion;

  /** A rebuild the schema change asks for, until {@link #dropSyncedData} ran. Guarded by lock. */
  private volatile SchemaUpgrade rebuild;

  private volatile CommitListener listener = changes -> {};

  /** Committed change sets the listener has not heard yet, in commit order (added under lock). */
  private final ConcurrentLinkedQueue<KeySet> untold = new ConcurrentLinkedQueue<>();

  /** Non-zero while a thread tells the listener: others leave theirs in {@link #untold} to it. */
  private final AtomicInteger telling = new AtomicInteger();

  private volatile boolean closed;

  /** This client's newest mutation ID. Guarded by lock; volatile for lock-free reads. */
  private volatile long lastMutationID;

  /**
   * The queue's newest position: the next record takes the one after it. Positions are never reused
   * while the store is open (the pusher and a pull's snapshot hold positions); after a restart
   * numbering goes on from the newest record, as nothing stored refers to a position. Guarded by
   * lock.
   */
  private long lastSeq;

  /** Rows in tandem_pending, kept here so a mutation does not count them. Guarded by lock. */
  private volatile long pendingCount;

  /**
   * Keys whose entry is in the committed undo log, learnt from new mutations' writes since the last
   * other write (which may have removed entries: it empties this). Memory only: after a restart the
   * first write of each key records it again ({@code INSERT OR IGNORE}) and it is known from then.
   * Guarded by lock.
   */
  private final Set<String> undoKnown = new HashSet<>();

  /** At most this many keys in {@link #undoKnown}; past it, keys are recorded as before. */
  private static final int UNDO_KNOWN_MAX = 10_000;

  /** Committed writes that were not a new mutation: see {@link #otherWrites}. Guarded by lock. */
  private volatile long otherWrites;

  private LocalStore(
      SqlDriver driver,
      ClientView view,
      JsonCodec codec,
      String clientID,
      String clientGroupID,
      String profileID,
      String schemaVersion) {
    this.driver = driver;
    this.view = view;
    this.codec = codec;
    this.clientID = clientID;
    this.clientGroupID = clientGroupID;
    this.profileID = profileID;
    this.schemaVersion = schemaVersion;
  }

  /**
   * Opens the store on {@code driver}, creating its tables, the schema's tables and this database's
   * client identity on first use. A database last opened with another schema is upgraded in place
   * when the change is additive (in this transaction, no resync); otherwise {@link #rebuildReason}
   * says why its local copy must be rebuilt, which the caller does at once with {@link
   * #dropSyncedData} and a replay of what is pending. A new {@code schemaVersion} starts a new
   * clientID in the same client group: mutations of the old version keep theirs.
   */
  public static LocalStore open(
      SqlDriver driver,
      Schema schema,
      String schemaVersion,
      JsonCodec codec,
      SchemaViolationListener violations) {
    return open(driver, schema, schemaVersion, codec, violations, null);
  }

  /**
   * {@link #open(SqlDriver, Schema, String, JsonCodec, SchemaViolationListener)}, taking the IDs of
   * {@code proposed} (if not null) for whichever of clientID, clientGroupID and profileID the
   * database does not have yet: a new database's, whose first pull was sent with them before it
   * opened. {@link #has} tells whether the store took all three.
   */
  public static LocalStore open(
      SqlDriver driver,
      Schema schema,
      String schemaVersion,
      JsonCodec codec,
      SchemaViolationListener violations,
      Identity proposed) {
    StoreTables.create(driver, schemaVersion);
    ClientView view = new ClientView(schema, codec, violations);
    SqlConnection db = driver.writer();
    db.begin();
    try {
      SchemaUpgrade upgrade = SchemaUpgrade.read(db, schema, schemaVersion);
      String clientID = identity(db, Meta.CLIENT_ID, proposed);
      if (upgrade.versionChanged) clientID = Ids.newId();
      if (upgrade.rebuildReason == null) {
        view.migrate(db, upgrade.stored);
        upgrade.record(db, clientID);
      }
      LocalStore local =
          new LocalStore(
              driver,
              view,
              codec,
              clientID,
              identity(db, Meta.CLIENT_GROUP_ID, proposed),
              identity(db, Meta.PROFILE_ID, proposed),
              schemaVersion);
      if (upgrade.rebuildReason != null) local.rebuild = upgrade;
      local.lastMutationID = PendingQueue.lastMutationID(db, local.clientID);
      local.pendingCount = PendingQueue.count(db);
      local.lastSeq = PendingQueue.lastSeq(db);
      db.commit();
      view.report(view.takeViolations());
      return local;
    } catch (RuntimeException e) {
      rollbackQuietly(db, e);
      view.takeViolations();
      throw e;
    }
  }

  /** Why the local copy must be rebuilt from the server before use, or null. */
  public String rebuildReason() {
    SchemaUpgrade upgrade = rebuild;
    return upgrade == null ? null : upgrade.rebuildReason;
  }

  /**
   * The store's half of a rebuild, in {@code write}: drops every synced row (schema tables and
   * plain keys) and the undo log, forgets the cookie (the next pull is a full one), creates the
   * schema's tables and records the schema. Pending mutations and confirmed IDs stay; the caller
   * replays the pending ones in the same write.
   */
  public void dropSyncedData(Write write) {
    SchemaUpgrade upgrade = rebuild;
    if (upgrade == null) throw new IllegalStateException("no rebuild pending");
    view.dropSyncedData(write.db);
    Meta.remove(write.db, Meta.COOKIE);
    view.migrate(write.db, null);
    upgrade.record(write.db, clientID);
    write.changes.addAll();
    rebuild = null;
  }

  /**
   * Starts a new client group after the server forgot this one ({@code ClientStateNotFound}), in
   * one write: a new group ID, a new clientID for this client and for each other client with
   * mutations pending (renumbered from 1, in queue order, so the server sees new clients with no
   * gaps), no confirmed IDs, and no cookie (the next pull is a full one, whose rebase replays
   * everything pending). Synced data and pending mutations stay, at their queue positions.
   */
  public void startNewGroup() {
    final String oldClient = clientID;
    final String oldGroup = clientGroupID;
    final long oldLast = lastMutationID;
    try {
      // The fields change under the write lock, so no mutation is made between the two identities.
      writeUnchecked(
          write -> {
            SqlConnection db = write.db;
            Map<String, String> renamed = new LinkedHashMap<>();
            Map<String, Long> next = new HashMap<>();
            for (Pending pending : PendingQueue.refs(db)) {
              String to = renamed.get(pending.clientID);
              if (to == null) {
                to = Ids.newId();
                renamed.put(pending.clientID, to);
              }
              Long previous = next.get(to);
              long id = previous == null ? 1 : previous + 1;
              next.put(to, id);
              PendingQueue.renumber(db, pending.seq, to, id);
            }
            String client = renamed.containsKey(clientID) ? renamed.get(clientID) : Ids.newId();
            db.execute("DELETE FROM tandem_confirmed");
            Meta.remove(db, Meta.COOKIE);
            Meta.remove(db, Meta.DISABLED);
            String group = Ids.newId();
            Meta.set(db, Meta.CLIENT_ID, client);
            Meta.set(db, Meta.CLIENT_GROUP_ID, group);
            Long newest = next.get(client);
            clientID = client;
            clientGroupID = group;
            lastMutationID = newest == null ? 0 : newest;
            return null;
          });
    } catch (RuntimeException e) {
      clientID = oldClient;
      clientGroupID = oldGroup;
      lastMutationID = oldLast;
      throw e;
    }
  }

  private static String identity(SqlConnection db, String key, Identity proposed) {
    String value = Meta.get(db, key);
    if (value == null) {
      if (proposed == null) {
        value = Ids.newId();
      } else if (key.equals(Meta.CLIENT_ID)) {
        value = proposed.clientID();
      } else if (key.equals(Meta.CLIENT_GROUP_ID)) {
        value = proposed.clientGroupID();
      } else {
        value = proposed.profileID();
      }
      Meta.set(db, key, value);
    }
    return value;
  }

  /**
   * True if this store's clientID, clientGroupID and profileID are {@code identity}'s (a pull sent
   * with them is this store's). Lock-free; false after a new group started.
   */
  public boolean has(Identity identity) {
    return identity.clientID().equals(clientID)
        && identity.clientGroupID().equals(clientGroupID)
        && identity.profileID().equals(profileID);
  }

  public String clientID() {
    return clientID;
  }

  public String clientGroupID() {
    return clientGroupID;
  }

  public String profileID() {
    return profileID;
  }

  /** The schema version this app syncs with ({@code schemaVersion}); new mutations record it. */
  public String schemaVersion() {
    return schemaVersion;
  }

  public ClientView view() {
    return view;
  }

  public JsonCodec codec() {
    return codec;
  }

  public void setListener(CommitListener listener) {
    this.listener = listener;
  }

  /**
   * The write ritual: under the write lock, one transaction; {@code work}'s exception rolls it back
   * and is rethrown as is; after commit and outside the lock, schema violations are reported and
   * the listener hears what changed.
   *
   * @throws IllegalStateException if the store is closed, or if called inside a write (a mutator
   *     calling {@code mutate}: Android's SQLite would nest the transactions).
   */
  public <T> T write(Work<T> work) throws Exception {
    Write write;
    T result;
    List<Violation> violations;
    if (lock.isHeldByCurrentThread()) {
      throw new IllegalStateException(
          "a write inside a write: a mutator writes through its WriteTransaction, not mutate");
    }
    lock.lock();
    try {
      checkOpen();
      SqlConnection db = driver.writer();
      write = new Write(db);
      boolean committing = false;
      db.begin();
      try {
        result = work.run(write);
        committing = true;
        db.commit();
        if (write.mutationID != 0) lastMutationID = write.mutationID;
        if (write.seq != 0) lastSeq = write.seq;
        if (!write.newMutation) otherWrites++;
        pendingCount += write.pendingDelta;
        if (!write.changes.isEmpty()) untold.add(write.changes);
      } catch (Exception | Error e) {
        rollbackQuietly(db, e);
        view.takeViolations();
        // A failed commit may still have ended in the file: forget what another write may change.
        if (!write.mutating) undoKnown.clear();
        if (committing) afterFailedCommit(db, write, e);
        throw e;
      }
      if (!write.newMutation) {
        undoKnown.clear();
      } else if (write.undoRecorded != null && undoKnown.size() < UNDO_KNOWN_MAX) {
        undoKnown.addAll(write.undoRecorded);
      }
      violations = view.takeViolations();
    } finally {
      lock.unlock();
    }
    // After commit the write stands: the app's listener failing must not undo it or skip the
    // commit listener; its error goes to RxJava's error handler, as a failing subscriber's does.
    try {
      view.report(violations);
    } catch (RuntimeException e) {
      RxJavaPlugins.onError(e);
    }
    if (!write.changes.isEmpty()) tell();
    return result;
  }

  /**
   * After {@code write}'s commit failed, which may still have ended in the file: its queue position
   * is not taken again (positions may skip, never repeat), the mutation ID, and the queue's size
   * are read back from the queue, it counts as another write (a prepared pull plans again), and the
   * next commit's listener hears that anything may have changed (a live query's memo cannot follow
   * a commit it was not told).
   */
  private void afterFailedCommit(SqlConnection db, Write write, Throwable failure) {
    otherWrites++;
    untold.add(KeySet.everything());
    if (write.seq == 0) return;
    lastSeq = Math.max(lastSeq, write.seq);
    try {
      lastMutationID = PendingQueue.lastMutationID(db, clientID);
      pendingCount = PendingQueue.count(db);
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * Tells the listener every untold change set, in commit order. The thread that finds nobody
   * telling tells them all, those other threads commit meanwhile included; the others return at
   * once and leave theirs to it, so no thread waits for another's listener.
   */
  private void tell() {
    if (telling.getAndIncrement() != 0) return;
    int missed = 1;
    do {
      KeySet changes;
      while ((changes = untold.poll()) != null) {
        try {
          listener.committed(changes);
        } catch (RuntimeException e) {
          RxJavaPlugins.onError(e); // The commit stands; later ones are still told.
        }
      }
      missed = telling.addAndGet(-missed);
    } while (missed != 0);
  }

  /** {@link #write} for work that throws no checked exception. */
  public <T> T writeUnchecked(Work<T> work) {
    try {
      return write(work);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void rollbackQuietly(SqlConnection db, Throwable cause) {
    try {
      db.rollback();
    } catch (RuntimeException e) {
      cause.addSuppressed(e); // A failed commit may already have ended the transaction.
    }
  }

  /** Runs {@code work} in a read transaction on a reader connection. */
  public <T> T read(ReadWork<T> work) throws Exception {
    checkOpen();
    SqlConnection db = driver.acquireReader();
    try {
      db.begin();
      try {
        return work.run(db);
      } finally {
        db.rollback();
      }
    } finally {
      driver.releaseReader(db);
    }
  }

  /** {@link #read} for work that throws no checked exception. */
  public <T> T readUnchecked(ReadWork<T> work) {
    try {
      return read(work);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * How many writes other than new mutations have committed. Lock-free. Read before a read
   * transaction and again under the write lock, it tells whether anything but new mutations (rows
   * appended to the queue, their undo entries and their effects) committed since that snapshot: a
   * pull prepares its rebase from such a snapshot, outside the lock.
   */
  public long otherWrites() {
    return otherWrites;
  }

  /** Mutations the server has not confirmed yet. Lock-free. */
  public long pendingCount() {
    return pendingCount;
  }

  /** This client's newest mutation ID; confirmed once the server's lastMutationID is here. */
  public long lastMutationID() {
    return lastMutationID;
  }

  /** Pending mutations after queue position {@code afterSeq}, at most {@code limit}. */
  public List<Pending> pending(final long afterSeq, final int limit) {
    return readUnchecked(db -> PendingQueue.after(db, afterSeq, limit));
  }

  /**
   * The queue position of the newest pending mutation, of any client of the group (an older schema
   * version's too), 0 if none is pending. Positions are never reused.
   */
  public long lastPendingSeq() {
    return readUnchecked(PendingQueue::lastSeq);
  }

  /** The queue position of the oldest pending mutation, {@link Long#MAX_VALUE} if none is. */
  public long oldestPendingSeq() {
    return readUnchecked(PendingQueue::oldestSeq);
  }

  /** The last mutation ID the server confirmed for this client. */
  public long confirmedMutationID() {
    return readUnchecked(
        db -> {
          Long confirmed = Meta.confirmed(db).get(clientID);
          return confirmed == null ? 0L : confirmed;
        });
  }

  public String meta(final String key) {
    return readUnchecked(db -> Meta.get(db, key));
  }

  public void setMeta(final String key, final String value) {
    writeUnchecked(
        write -> {
          Meta.set(write.db, key, value);
          return null;
        });
  }

  public dev.tandem.protocol.Cookie cookie() {
    return readUnchecked(Meta::cookie);
  }

  public boolean isClosed() {
    return closed;
  }

  private void checkOpen() {
    if (closed) throw new IllegalStateException("this Tandem instance is closed");
  }

  /** Waits for a write in progress, then closes the database. Idempotent. */
  public void close() {
    lock.lock();
    try {
      if (closed) return;
      closed = true;
      driver.close();
    } finally {
      lock.unlock();
    }
  }
}
