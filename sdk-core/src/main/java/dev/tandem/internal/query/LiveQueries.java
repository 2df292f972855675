package dev.tandem.internal.query;

import dev.tandem.ReadQuery;
import dev.tandem.internal.store.KeySet;
import dev.tandem.internal.store.LocalStore;
import io.reactivex.rxjava3.core.BackpressureStrategy;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.FlowableEmitter;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.exceptions.Exceptions;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live queries: each watch runs its query at once, then again after every commit that changed a key
 * or range it read, and emits only when the result changed ({@code equals}). Re-runs happen on the
 * query scheduler; a burst of commits coalesces into one re-run.
 *
 * <p>A commit finds the watches it touches through an index of what they read (keys, and ranges
 * sorted by start), not by testing every watch; watches whose re-run is under way are tested
 * directly. The re-runs a commit asks for are queued; one task on the query scheduler (two, {@link
 * #MAX_RUNNERS}, while the queue holds more than {@link #SPLIT_NANOS} of work) takes them in
 * batches, each batch in one read transaction, and emits after it ends.
 *
 * <p>On Tandem's own query threads ({@code stayAwake}), a runner whose queue ran dry stays awake,
 * yielding, until about when the next commit is due, but only while commits are arriving (the last
 * two less than {@link #ARRIVING_NANOS} apart): the next commit's re-runs then start without a
 * thread wake-up.
 */
public final class LiveQueries implements LocalStore.CommitListener {
  /** Runs queries in one read transaction, recording what each read. */
  public interface Reader {
    /** Runs {@code batch} in one read transaction. */
    void inTransaction(Batch batch) throws Exception;
  }

  /** Work inside one read transaction. */
  public interface Batch {
    void run(Transaction tx);
  }

  /** The read transaction a batch runs in. */
  public interface Transaction {
    <T> T read(ReadQuery<T> query, KeySet reads) throws Exception;

    /** Runs {@code query}, recording what it read and found into {@code record} (null: not). */
    default <T> T read(ReadQuery<T> query, KeySet reads, ReadMemo record) throws Exception {
      return read(query, reads);
    }
  }

  /**
   * A reader that can also run a query from its last run's {@link ReadMemo} alone, without a read
   * transaction: such a reader's watches record what they find, and re-run from memory when every
   * change since is known (see {@link ReadMemo}).
   */
  public interface Memos extends ReadMemo.Keys {
    /**
     * Runs {@code query} on {@code memo}'s reads alone.
     *
     * @throws ReadMemo.Miss if it read anything the memo cannot answer (even if it caught that).
     */
    <T> T fromMemo(ReadQuery<T> query, KeySet reads, ReadMemo memo) throws Exception;
  }

  /** Re-runs answered from memos: for tests and benchmarks. */
  private final AtomicLong memoRuns = new AtomicLong();

  /** How many re-runs were answered from their memo, without SQLite. */
  public long memoRuns() {
    return memoRuns.get();
  }

  /** Tasks on the query scheduler taking re-runs from the queue at the same time. */
  static final int MAX_RUNNERS = 2;

  private final Reader reader;

  /** The reader's memo runs; null if it has none. */
  private final Memos memos;

  private final Scheduler scheduler;
  private final Set<Watch<?>> watches =
      Collections.newSetFromMap(new ConcurrentHashMap<Watch<?>, Boolean>());

  /** Watches whose (re-)run is scheduled or under way: their reads are about to change. */
  private final Set<Watch<?>> running =
      Collections.newSetFromMap(new ConcurrentHashMap<Watch<?>, Boolean>());

  /** Bumped whenever a watch comes, goes, or reads other keys or ranges than before. */
  private final AtomicInteger version = new AtomicInteger();

  private volatile WatchIndex<Watch<?>> index =
      new WatchIndex<Watch<?>>(-1, Collections.<Watch<?>>emptyList());
  private final Object indexLock = new Object();

  private final ConcurrentLinkedQueue<Watch<?>> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicInteger runners = new AtomicInteger();

  /**
   * Queued work (watches times the recent cost of a re-run) past which a second runner starts. On
   * this 2-core machine a second runner never paid for its wake-up, its second read transaction and
   * its contention with the committing thread: 5 prefix scans ran faster on one (BENCHMARKS.md,
   * "The reactive loop's hand-offs"), and 100 table queries no slower; so only a long queue splits.
   */
  static final long SPLIT_NANOS = 1_000_000;

  /**
   * Commits closer together than this count as arriving: a runner then stays awake after a batch.
   */
  static final long ARRIVING_NANOS = 1_000_000;

  /** The clock of the stay-awake window and of a re-run's cost; tests pass a fake one. */
  interface Clock {
    long nanoTime();
  }

  private static final Clock SYSTEM_CLOCK =
      new Clock() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }
      };

  /** Whether a runner whose queue ran dry waits for the next commit (Tandem's own threads only). */
  private final boolean stayAwake;

  private final Clock clock;

  /** When the last commit came, and how long after the one before it ({@code MAX_VALUE}: none). */
  private volatile long lastCommit;

  private volatile long commitGap = Long.MAX_VALUE;

  /** Recent cost of one re-run, a moving average over batches. */
  private volatile long runNanos = 20_000;

  /**
   * A system property for benchmarks only: when true, a table query re-runs after any change to its
   * table, as before rows and conditions were tracked (the same-run baseline). Read when the
   * instance is built.
   */
  private static final String PER_TABLE = "dev.tandem.perTableLiveQueries";

  private final boolean perTable = Boolean.getBoolean(PER_TABLE);

  /** Runners on an app's scheduler: each parks (returns) as soon as its queue is empty. */
  public LiveQueries(Reader reader, Scheduler scheduler) {
    this(reader, scheduler, false, SYSTEM_CLOCK);
  }

  /**
   * @param stayAwake whether a runner stays awake for the next commit while commits are arriving:
   *     only for threads of Tandem's own (a runner on an app's or a test's scheduler, maybe the
   *     committing thread itself, must return at once).
   */
  public LiveQueries(Reader reader, Scheduler scheduler, boolean stayAwake) {
    this(reader, scheduler, stayAwake, SYSTEM_CLOCK);
  }

  LiveQueries(Reader reader, Scheduler scheduler, boolean stayAwake, Clock clock) {
    this.reader = reader;
    this.memos = reader instanceof Memos ? (Memos) reader : null;
    this.scheduler = scheduler;
    this.stayAwake = stayAwake;
    this.clock = clock;
  }

  public <T> Flowable<T> watch(final ReadQuery<T> query) {
    return Flowable.create(
        emitter -> {
          // Serialized: close() completes it from another thread than the one re-running it.
          Watch<T> watch = new Watch<>(query, emitter.serialize());
          watches.add(watch);
          version.incrementAndGet();
          emitter.setCancellable(
              () -> {
                watches.remove(watch);
                version.incrementAndGet();
              });
          watch.request();
        },
        BackpressureStrategy.LATEST);
  }

  private volatile boolean closed;

  /** Ends every live query (onComplete) and ignores commits from now on; re-runs stop quietly. */
  public void close() {
    closed = true;
    for (Watch<?> watch : watches) watch.emitter.onComplete();
    watches.clear();
    queue.clear();
    queued.set(0);
  }

  @Override
  public void committed(KeySet changes) {
    if (changes.isEmpty() || closed) return;
    if (stayAwake) {
      long now = clock.nanoTime();
      commitGap = now - lastCommit;
      lastCommit = now;
    }
    if (watches.isEmpty())
      return; // A watch added after this runs first at once: it misses nothing.
    List<Watch<?>> touched = new ArrayList<>();
    Collection<String> keys = changes.keysOnly();
    if (keys == null) {
      // Ranges or everything (a revert, a pull that replaced the view): test each watch.
      for (Watch<?> watch : watches) {
        if (watch.affectedBy(changes)) touched.add(watch);
      }
    } else {
      // Running watches first: one that stops running after this has bumped the version, so the
      // index below sees its new reads.
      Map<Watch<?>, Boolean> seen = new IdentityHashMap<>();
      for (Watch<?> watch : running) {
        seen.put(watch, Boolean.TRUE);
        if (watch.affectedBy(changes)) touched.add(watch);
      }
      WatchIndex<Watch<?>> current = index();
      for (String key : keys) current.find(key, seen, changes, touched);
    }
    // Queued together, then taken together: one batch, one read transaction, one wake-up.
    for (Watch<?> watch : touched) {
      if (watch.memo != null) watch.memo.changed(changes);
      watch.queue();
    }
    startRunners();
  }

  /** The index of what the watches read, rebuilt if a watch came, went or read other ranges. */
  private WatchIndex<Watch<?>> index() {
    WatchIndex<Watch<?>> current = index;
    int now = version.get();
    if (current.version == now) return current;
    synchronized (indexLock) {
      current = index;
      now = version.get(); // Before reading the watches: a change after it rebuilds again.
      if (current.version != now) {
        current = new WatchIndex<Watch<?>>(now, new ArrayList<Watch<?>>(watches));
        index = current;
      }
      return current;
    }
  }

  /**
   * Makes sure enough runners will take the queue: one, and a second while the queued re-runs would
   * take more than {@link #SPLIT_NANOS} on one.
   */
  private void startRunners() {
    while (true) {
      int now = runners.get();
      int wanted = queued.get() * runNanos > SPLIT_NANOS ? MAX_RUNNERS : 1;
      if (now >= wanted || queued.get() <= 0) return;
      // Claimed together before any starts: a runner takes its share of the queue by the count.
      if (runners.compareAndSet(now, wanted)) {
        for (int i = now; i < wanted; i++) scheduler.scheduleDirect(this::drain);
        return;
      }
    }
  }

  /** A runner: takes batches of queued watches until the queue is empty. */
  private void drain() {
    while (true) {
      List<Watch<?>> batch = new ArrayList<>();
      // Share the queue with the other runner: take about an equal part.
      int share = runners.get();
      int take = Math.max(1, (queued.get() + share - 1) / Math.max(1, share));
      Watch<?> next;
      while (batch.size() < take && (next = queue.poll()) != null) {
        queued.decrementAndGet();
        batch.add(next);
      }
      if (batch.isEmpty()) {
        if (stayAwake && awaitNextCommit()) continue;
        runners.decrementAndGet();
        // A watch queued after the poll but before the decrement found the runners busy.
        if (queue.isEmpty() || !claimRunner()) return;
        continue;
      }
      runBatch(batch);
    }
  }

  /**
   * While commits are arriving, waits (yielding: 2 cores, and the committing thread needs one)
   * until about one and a half gaps after the last commit for work to be queued. True if some was.
   */
  private boolean awaitNextCommit() {
    long gap = commitGap;
    if (gap <= 0 || gap >= ARRIVING_NANOS) return false;
    long until = lastCommit + gap + gap / 2;
    while (queue.isEmpty()) {
      if (closed || clock.nanoTime() - until >= 0) return false;
      Thread.yield();
    }
    return true;
  }

  private boolean claimRunner() {
    while (true) {
      int now = runners.get();
      if (now >= MAX_RUNNERS) return false;
      if (runners.compareAndSet(now, now + 1)) return true;
    }
  }

  /**
   * Runs {@code batch}, each from its memo where it can and the rest in one read transaction begun
   * after each was queued, then emits.
   */
  private void runBatch(final List<Watch<?>> batch) {
    final Object[] results = new Object[batch.size()];
    final Throwable[] errors = new Throwable[batch.size()];
    final KeySet[] reads = new KeySet[batch.size()];
    for (Watch<?> watch : batch) watch.starting();
    long start = clock.nanoTime();
    final List<Integer> inSqlite = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Watch<?> watch = batch.get(i);
      if (watch.emitter.isCancelled() || closed) continue;
      KeySet read = new KeySet();
      Object result = watch.memo != null ? watch.memo.run(watch.query, read) : null;
      if (result != null) {
        memoRuns.incrementAndGet();
        reads[i] = read;
        results[i] = result;
      } else {
        inSqlite.add(i);
      }
    }
    if (!inSqlite.isEmpty()) {
      try {
        reader.inTransaction(
            tx -> {
              for (int i : inSqlite) {
                Watch<?> watch = batch.get(i);
                if (watch.emitter.isCancelled() || closed) continue;
                reads[i] = new KeySet();
                ReadMemo record = watch.memo != null ? watch.memo.recorder() : null;
                try {
                  results[i] = tx.read(watch.query, reads[i], record);
                  if (record != null) watch.memo.recorded(record);
                } catch (Throwable e) {
                  Exceptions.throwIfFatal(e);
                  errors[i] = e;
                }
              }
            });
      } catch (Throwable e) {
        Exceptions.throwIfFatal(e);
        for (int i : inSqlite) {
          if (errors[i] == null) errors[i] = e;
        }
      }
    }
    runNanos = (runNanos * 7 + (clock.nanoTime() - start) / batch.size()) / 8;
    for (int i = 0; i < batch.size(); i++) {
      try {
        batch.get(i).finished(reads[i], results[i], errors[i]);
      } catch (Throwable e) {
        // A subscriber that throws must not stop the rest of the batch, or this runner.
        Exceptions.throwIfFatal(e);
        RxJavaPlugins.onError(e);
      }
    }
  }

  private final class Watch<T> implements WatchIndex.Watched {
    private final ReadQuery<T> query;
    private final FlowableEmitter<T> emitter;
    private KeySet reads = KeySet.everything();
    private boolean hasResult;
    private T last;
    private boolean scheduled;
    private boolean dirty;

    /** Its run has begun: what it reads may differ from the last reads, so any change counts. */
    private boolean started;

    /** Its memo, for re-runs without SQLite; null if the reader has none. */
    final WatchMemo memo = memos != null ? new WatchMemo(memos) : null;

    Watch(ReadQuery<T> query, FlowableEmitter<T> emitter) {
      this.query = query;
      this.emitter = emitter;
    }

    @Override
    public synchronized KeySet reads() {
      return reads;
    }

    @Override
    public synchronized boolean affectedBy(KeySet changes) {
      // A run under way may read other keys than the last run did (a value it read chose them)
      // and may have read them before this change: it runs again.
      if (started) return true;
      // A queued run's result may hold rows the last reads did not: any change to a table it
      // queried counts.
      return reads.intersects(changes, scheduled || perTable);
    }

    void request() {
      queue();
      startRunners();
    }

    /** Queues a run unless one is queued or under way (then marks it to run again). */
    void queue() {
      synchronized (this) {
        if (scheduled) {
          dirty = true;
          return;
        }
        scheduled = true;
        running.add(this);
      }
      queued.incrementAndGet();
      LiveQueries.this.queue.add(this);
    }

    private synchronized void stop() {
      scheduled = false;
      started = false;
      running.remove(this);
    }

    synchronized void starting() {
      dirty = false;
      started = true;
      if (memo != null) memo.starting();
    }

    /** After a run: {@code newReads} null if it did not run (cancelled or closed). */
    @SuppressWarnings("unchecked")
    void finished(KeySet newReads, Object value, Throwable error) {
      if (newReads == null || emitter.isCancelled() || closed) {
        stop();
        return;
      }
      if (error != null) {
        stop();
        if (closed) return; // The database closed under the query: the stream has completed.
        emitter.tryOnError(error);
        return;
      }
      T result = (T) value;
      boolean emit;
      boolean again;
      synchronized (this) {
        if (!reads.sameAnchors(newReads)) version.incrementAndGet();
        reads = newReads;
        emit = !hasResult || !equal(last, result);
        hasResult = true;
        last = result;
        again = dirty;
        scheduled = again;
        started = false;
        if (!again) running.remove(this);
      }
      if (emit) {
        if (result == null) {
          emitter.tryOnError(
              new NullPointerException(
                  "a live query returned null; return a value or an empty list"));
          return;
        }
        emitter.onNext(result);
      }
      if (again) {
        queued.incrementAndGet();
        queue.add(this);
        startRunners();
      }
    }
  }

  private static boolean equal(Object a, Object b) {
    return a == null ? b == null : a.equals(b);
  }
}
