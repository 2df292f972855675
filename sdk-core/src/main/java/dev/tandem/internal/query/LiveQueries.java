package dev.tandem.internal.query;

import dev.tandem.ReadQuery;
import dev.tandem.internal.store.KeySet;
import dev.tandem.internal.store.LocalStore;
import io.reactivex.rxjava3.core.BackpressureStrategy;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.FlowableEmitter;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.exceptions.Exceptions;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live queries: each watch runs its query at once, then again after every commit that changed a key
 * or range it read, and emits only when the result changed ({@code equals}). Re-runs happen on the
 * query scheduler; a burst of commits coalesces into one re-run.
 */
public final class LiveQueries implements LocalStore.CommitListener {
  /** Runs a query in a read transaction, recording what it read. */
  public interface Reader {
    <T> T read(ReadQuery<T> query, KeySet reads) throws Exception;
  }

  private final Reader reader;
  private final Scheduler scheduler;
  private final Set<Watch<?>> watches =
      Collections.newSetFromMap(new ConcurrentHashMap<Watch<?>, Boolean>());

  public LiveQueries(Reader reader, Scheduler scheduler) {
    this.reader = reader;
    this.scheduler = scheduler;
  }

  public <T> Flowable<T> watch(final ReadQuery<T> query) {
    return Flowable.create(
        emitter -> {
          // Serialized: close() completes it from another thread than the one re-running it.
          Watch<T> watch = new Watch<>(query, emitter.serialize());
          watches.add(watch);
          emitter.setCancellable(() -> watches.remove(watch));
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
  }

  @Override
  public void committed(KeySet changes) {
    if (changes.isEmpty() || closed) return;
    for (Watch<?> watch : watches) {
      if (watch.affectedBy(changes)) watch.request();
    }
  }

  /**
   * A system property for benchmarks only: when true, a table query re-runs after any change to its
   * table, as before rows and conditions were tracked (the same-run baseline).
   */
  private static final String PER_TABLE = "dev.tandem.perTableLiveQueries";

  private final class Watch<T> {
    private final ReadQuery<T> query;
    private final FlowableEmitter<T> emitter;
    private KeySet reads = KeySet.everything();
    private boolean hasResult;
    private T last;
    private boolean scheduled;
    private boolean dirty;

    Watch(ReadQuery<T> query, FlowableEmitter<T> emitter) {
      this.query = query;
      this.emitter = emitter;
    }

    synchronized boolean affectedBy(KeySet changes) {
      // While a run is under way its result may hold rows the last reads did not: any change to
      // a table it queried counts.
      return reads.intersects(changes, scheduled || Boolean.getBoolean(PER_TABLE));
    }

    void request() {
      synchronized (this) {
        if (scheduled) {
          dirty = true;
          return;
        }
        scheduled = true;
      }
      scheduler.scheduleDirect(this::run);
    }

    private void run() {
      synchronized (this) {
        dirty = false;
      }
      if (emitter.isCancelled() || closed) return;
      KeySet newReads = new KeySet();
      T result;
      try {
        result = reader.read(query, newReads);
      } catch (Throwable e) {
        Exceptions.throwIfFatal(e);
        if (closed) return; // The database closed under the query: the stream has completed.
        emitter.tryOnError(e);
        return;
      }
      boolean emit;
      boolean again;
      synchronized (this) {
        reads = newReads;
        emit = !hasResult || !equal(last, result);
        hasResult = true;
        last = result;
        again = dirty;
        scheduled = again;
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
      if (again) scheduler.scheduleDirect(this::run);
    }
  }

  private static boolean equal(Object a, Object b) {
    return a == null ? b == null : a.equals(b);
  }
}
