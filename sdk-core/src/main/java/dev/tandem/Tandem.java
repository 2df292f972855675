package dev.tandem;

import com.squareup.moshi.Moshi;
import dev.tandem.internal.Internal;
import dev.tandem.internal.app.BoundMutators;
import dev.tandem.internal.db.DatabaseLock;
import dev.tandem.internal.db.SqlDriverFactory;
import dev.tandem.internal.db.SqliteNative;
import dev.tandem.internal.mutation.Mutations;
import dev.tandem.internal.mutation.RealReadTransaction;
import dev.tandem.internal.query.LiveQueries;
import dev.tandem.internal.rebase.PullApplier;
import dev.tandem.internal.rebase.SchemaRecovery;
import dev.tandem.internal.store.Identity;
import dev.tandem.internal.store.LocalStore;
import dev.tandem.internal.store.Pending;
import dev.tandem.internal.store.StoreOpening;
import dev.tandem.internal.sync.FirstPull;
import dev.tandem.internal.sync.Http;
import dev.tandem.internal.sync.RealSyncEngine;
import dev.tandem.internal.sync.SyncConfig;
import dev.tandem.internal.sync.SyncEngine;
import dev.tandem.internal.sync.SyncState;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.schedulers.Schedulers;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;

/**
 * An offline-first store that syncs with a Replicache-protocol server. The app changes data through
 * named {@link Mutator}s, which apply at once locally and are queued durably; Tandem pushes them,
 * pulls what changed on the server, rebases what the server has not confirmed yet, and streams live
 * query results.
 *
 * <pre>{@code
 * Tandem tandem = Tandem.builder()
 *     .databaseFile(new File(dir, "chat-" + userId + ".db"))
 *     .serverUrl("https://example.com/api/replicache")
 *     .mutator("createMessage", Message.class, (tx, m) -> tx.put("message/" + m.id, m))
 *     .build();
 * tandem.mutate("createMessage", message);   // durable, optimistic; returns at once
 * Flowable<List<KeyValue>> messages = tandem.watch(tx -> tx.scan(ScanOptions.prefix("message/")));
 * }</pre>
 *
 * <p>One instance per database file: opening a file that another instance (in this process or
 * another) has open fails with {@link IllegalStateException}. Thread-safe. Close it when done.
 */
public final class Tandem implements Closeable {
  static {
    Internal.install(
        new Internal() {
          @Override
          public void driverFactory(Builder builder, SqlDriverFactory factory) {
            builder.driverFactory = factory;
          }

          @Override
          public void attach(Builder builder, Internal.Attachment attachment) {
            builder.attachments.add(attachment);
          }
        });
  }

  /** Where mutation timestamps count from: this class's loading, like performance.timeOrigin. */
  private static final long TIME_ORIGIN = System.nanoTime();

  private final LocalStore local;
  private final DatabaseLock fileLock;
  private final Mutations mutations;
  private final LiveQueries live;
  private final SyncEngine sync;
  private final Scheduler resultScheduler;
  private final List<Closeable> attached = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private Tandem(
      Builder builder,
      LocalStore local,
      DatabaseLock fileLock,
      BoundMutators bound,
      FutureTask<OkHttpClient> defaultHttpClient,
      FirstPull firstPull) {
    this.local = local;
    this.fileLock = fileLock;
    this.resultScheduler = builder.resultScheduler;
    this.mutations = new Mutations(local, bound, builder.maxMutationBytes);
    this.live =
        builder.queryScheduler != null
            ? new LiveQueries(RealReadTransaction.liveReader(local), builder.queryScheduler)
            : new LiveQueries(RealReadTransaction.liveReader(local), queries(), true);
    SchemaRecovery recovery = new SchemaRecovery(local, mutations);
    recovery.rebuildIfNeeded(); // Before anyone reads: a local copy that cannot be upgraded.
    local.setListener(live);
    SyncState state = new SyncState(local);
    this.sync =
        builder.pushUrl == null && builder.pullUrl == null
            ? SyncEngine.localOnly(state)
            : new RealSyncEngine(
                state,
                local,
                new PullApplier(local, mutations),
                recovery,
                builder.syncConfig(defaultHttpClient),
                firstPull);
  }

  /**
   * Loads RxJava's {@code Completable} when syncing ({@code pull()}, {@code flush()}): it is
   * verified as it is first used, loading dozens of classes, and {@code build()} calls this while
   * the store opens. The status subjects (and with them {@code Observable}, as large) are made when
   * the app first asks for one ({@code SyncState}); {@code Flowable} is left until a {@code watch}.
   */
  private static void loadRx(boolean syncing) {
    if (syncing) Completable.complete();
  }

  /** Threads that re-run live queries, when the builder names no query scheduler. */
  private static final int QUERY_THREADS = 2;

  /** Where this instance's own live-query threads run (null when the builder gave a scheduler). */
  private ExecutorService queryExecutor;

  /** A bounded scheduler of this instance's own, so a burst of re-runs queues, not spawns. */
  private Scheduler queries() {
    final AtomicInteger count = new AtomicInteger();
    queryExecutor =
        Executors.newFixedThreadPool(
            QUERY_THREADS,
            runnable -> {
              Thread thread = new Thread(runnable, "tandem-query-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    return Schedulers.from(queryExecutor);
  }

  /** A builder with every option at its default; {@link Builder#databaseFile} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** This instance's client ID; it survives restarts. */
  public String clientID() {
    return local.clientID();
  }

  /** The client group: this database. */
  public String clientGroupID() {
    return local.clientGroupID();
  }

  /**
   * Runs mutator {@code name} on local state now and queues it for the server, durably, in one
   * local transaction. Blocks only for the local write (typically well under a millisecond).
   *
   * @return the mutation's ID (1, 2, 3 … for this client).
   * @throws IllegalArgumentException if no mutator {@code name} is registered, {@code args} is not
   *     of its args type (or null for one that takes args), or its JSON is larger than {@link
   *     Builder#maxMutationBytes}.
   * @throws MutationException if the mutator threw; nothing was written.
   * @throws IllegalStateException if this instance is closed, or if called inside a mutator (it
   *     writes through its {@code WriteTransaction}).
   * @throws RuntimeException ({@code SqlException}) if the local database failed, for instance at
   *     commit; nothing was written.
   */
  public long mutate(String name, Object args) {
    checkOpen();
    // A monotonic clock reading in ms, as the protocol says (the replicache client sends
    // performance.now()), not the wall clock: it never goes back when the clock is set.
    double timestamp = (System.nanoTime() - TIME_ORIGIN) / 1e6;
    long id = mutations.mutate(name, args, timestamp);
    sync.mutated(local.pendingCount());
    return id;
  }

  /**
   * Runs {@code query} once on the current state, on the calling thread, in a read transaction that
   * does not wait for writes.
   *
   * @throws Exception whatever {@code query} throws.
   * @throws IllegalStateException if this instance is closed.
   */
  public <T> T query(ReadQuery<T> query) throws Exception {
    checkOpen();
    return RealReadTransaction.run(local, query, null);
  }

  /**
   * Runs a table query once on the current state.
   *
   * @throws IllegalArgumentException if the query names a table, column or relationship the schema
   *     does not have.
   */
  public List<Row> query(final Query query) {
    return queryUnchecked(tx -> tx.query(query));
  }

  /**
   * Runs a table query once and maps each row to {@code type} through Moshi.
   *
   * @throws IllegalArgumentException if the query does not fit the schema, or a row does not map.
   */
  public <T> List<T> query(final Query query, final Class<T> type) {
    return queryUnchecked(tx -> tx.query(query, type));
  }

  private <T> T queryUnchecked(ReadQuery<T> query) {
    try {
      return query(query);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e); // Table queries throw no checked exception.
    }
  }

  /** A live table query; see {@link #watch(ReadQuery)}. */
  public Flowable<List<Row>> watch(final Query query) {
    return watch(tx -> tx.query(query));
  }

  /** A live table query mapped to {@code type}; see {@link #watch(ReadQuery)}. */
  public <T> Flowable<List<T>> watch(final Query query, final Class<T> type) {
    return watch(tx -> tx.query(query, type));
  }

  /**
   * A live query: emits the result at once, then again after each commit that touched what the
   * query read, and only when the result changed. Runs on the builder's query scheduler and
   * delivers on its result scheduler. Completes when this instance closes; fails with what {@code
   * query} throws.
   */
  public <T> Flowable<T> watch(ReadQuery<T> query) {
    checkOpen();
    Flowable<T> results = live.watch(query);
    // A buffer of one: a busy main thread gets the latest result, not a queue of stale ones.
    return resultScheduler == null ? results : results.observeOn(resultScheduler, false, 1);
  }

  private <T> Observable<T> deliver(Observable<T> events) {
    return resultScheduler == null ? events.hide() : events.observeOn(resultScheduler);
  }

  /**
   * The sync status; emits the current value first, then every change, on the result scheduler if
   * one is set. Never emits while Tandem holds an internal lock: a subscriber may call back into
   * Tandem.
   */
  public Observable<SyncStatus> status() {
    return deliver(sync.status());
  }

  /**
   * Emits when the server refuses this client's push, pull or schema version: syncing has stopped
   * and the app must update ({@link UpdateNeeded#reason()} and the versions say why). Pending
   * mutations are kept. A server that refuses this client as too new does not emit here: the status
   * shows {@link SyncError.Kind#SERVER_BEHIND} and syncing retries. Replays the last event to late
   * subscribers.
   */
  public Observable<UpdateNeeded> updateNeeded() {
    return deliver(sync.updateNeeded());
  }

  /** Listener form of {@link #updateNeeded()}; dispose the result to stop listening. */
  public Disposable onUpdateNeeded(final Listener<UpdateNeeded> listener) {
    return updateNeeded().subscribe(listener::on);
  }

  /**
   * Emits when the server had forgotten this client group ({@code ClientStateNotFound}, e.g. after
   * its client GC): the client has gone on in a new group, with every pending mutation kept and
   * renumbered and a full pull next; syncing goes on. For apps that want to know. Replays to late
   * subscribers.
   */
  public Observable<Boolean> clientStateNotFound() {
    return deliver(sync.clientStateNotFound());
  }

  /** Listener form of {@link #clientStateNotFound()}; dispose the result to stop listening. */
  public Disposable onClientStateNotFound(final Listener<Boolean> listener) {
    return clientStateNotFound().subscribe(listener::on);
  }

  /**
   * Mutations the server refused (a Tandem server extension; see {@link RefusedMutation}), each
   * once, after the pull that reported it committed and removed its optimistic effect. Hot: a
   * subscriber hears refusals from the moment it subscribes; to hear those of the first pull too,
   * register {@link Builder#onMutationRefused} instead.
   */
  public Observable<RefusedMutation> refusedMutations() {
    return deliver(sync.refusedMutations());
  }

  /** Listener form of {@link #refusedMutations()}; dispose the result to stop listening. */
  public Disposable onMutationRefused(final Listener<RefusedMutation> listener) {
    return refusedMutations().subscribe(listener::on);
  }

  /** A callback for the listener forms of the event streams. */
  public interface Listener<T> {
    /** Called with each event; what it throws goes to RxJava's error handler. */
    void on(T event) throws Exception;
  }

  /**
   * Pushes now and completes when the server has confirmed every mutation made before the call
   * (those of an older schema version still pending too), or handed it to the app as refused. Fails
   * with {@link SyncStoppedException} if syncing stops first (or this instance has no server, or
   * closes). Never times out by itself; disposing it stops waiting (and stops retries in the
   * background that only it wanted).
   */
  public Completable flush() {
    return sync.flush();
  }

  /**
   * Blocking form of {@link #flush()}.
   *
   * @return true if everything was confirmed, false if {@code timeout} passed first.
   * @throws SyncStoppedException if syncing stopped first.
   */
  public boolean flush(long timeout, TimeUnit unit) {
    return await(flush(), timeout, unit);
  }

  /**
   * Pulls now; completes after the next pull has been applied. Fails with {@link
   * SyncStoppedException} if syncing stops first; disposing it stops waiting.
   */
  public Completable pull() {
    return sync.pull();
  }

  /**
   * Blocking form of {@link #pull()}.
   *
   * @return true once a pull was applied, false if {@code timeout} passed first.
   * @throws SyncStoppedException if syncing stopped first.
   */
  public boolean pull(long timeout, TimeUnit unit) {
    return await(pull(), timeout, unit);
  }

  private static boolean await(Completable completable, long timeout, TimeUnit unit) {
    try {
      return completable.blockingAwait(timeout, unit);
    } catch (RuntimeException e) {
      Throwable cause =
          e.getCause() != null && e instanceof IllegalStateException ? e.getCause() : e;
      if (cause instanceof RuntimeException) throw (RuntimeException) cause;
      throw e;
    }
  }

  /**
   * Tells Tandem whether the device has a network (from a connectivity callback, or an app's
   * offline switch). Does nothing once closed. While false, nothing is sent and {@link
   * SyncStatus#online()} is false; mutations queue as always. Back to true, Tandem pushes and pulls
   * at once instead of waiting out a backoff.
   */
  public void setNetworkAvailable(boolean available) {
    if (closed) return; // A platform callback racing close(): nothing left to tell.
    sync.setNetworkAvailable(available);
  }

  /**
   * Tells Tandem whether the app is in the foreground (sdk-android calls this from the app's
   * lifecycle). While false, interval pulls and the poke stream pause; mutations are still pushed,
   * and {@link #pull()} still pulls; a failed pull is not retried until then (unless someone waits
   * for it). Back to true, Tandem pulls at once and resumes both. Does nothing once closed.
   */
  public void setForeground(boolean foreground) {
    if (closed) return; // A platform callback racing close(): nothing left to tell.
    sync.setForeground(foreground);
  }

  /**
   * The mutations the server has not confirmed yet, oldest first.
   *
   * @throws IllegalStateException if this instance is closed.
   */
  public List<PendingMutation> pendingMutations() {
    checkOpen();
    List<PendingMutation> result = new ArrayList<>();
    for (Pending pending : local.pending(0, Integer.MAX_VALUE)) {
      result.add(
          new PendingMutation(
              pending.clientID,
              pending.id,
              pending.name,
              pending.args.toString(),
              pending.schemaVersion));
    }
    return result;
  }

  /**
   * Stops syncing and closes the database; pending mutations stay in it for next time. Safe at any
   * moment and from any thread, and idempotent: requests in flight are cancelled without reaching
   * RxJava's global error handler, a write in progress finishes first, a live query running on
   * another thread finishes on its own connection, and waiters of {@link #flush()} and {@link
   * #pull()} fail with {@link SyncStoppedException}.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) return;
      closed = true;
    }
    for (Closeable attachment : attached) {
      try {
        attachment.close(); // First, so platform callbacks stop before the rest shuts down.
      } catch (IOException | RuntimeException e) {
        // Closing goes on: the database must be released whatever a callback does.
      }
    }
    sync.close();
    live.close();
    if (queryExecutor != null) queryExecutor.shutdown(); // A re-run under way finishes.
    local.close();
    fileLock.release();
  }

  private void checkOpen() {
    if (closed) throw new IllegalStateException("this Tandem instance is closed");
  }

  /** Configures and opens a {@link Tandem}. */
  public static final class Builder {
    private File databaseFile;
    private String pushUrl;
    private String pullUrl;
    private final List<String> pokeUrls = new ArrayList<>();
    private String schemaVersion = "";
    private AuthProvider auth = AuthProvider.of("");
    private OkHttpClient httpClient;

    /** Null for the default, made by {@link #moshi()} when first needed (not at builder()). */
    private Moshi moshi;

    private final Mutators.Builder mutators = Mutators.builder();

    /** Null for {@code Schedulers.io()}, looked up at build() (not at builder()). */
    private Scheduler scheduler;

    private Scheduler queryScheduler;
    private Scheduler resultScheduler;
    private SqlDriverFactory driverFactory;
    private final List<Internal.Attachment> attachments = new java.util.ArrayList<>();
    private long pushDelayMillis = 10;
    private long pullDelayMillis = 30;
    private long pullIntervalMillis = 60_000;
    private long minBackoffMillis = 30;
    private long maxBackoffMillis = 60_000;
    private int maxPushBatchCount = 10_000;
    private long maxPushBatchBytes = 1024 * 1024;
    private long maxMutationBytes = 1024 * 1024;
    private boolean fullSync;
    private Schema schema;
    private boolean networkAvailable = true;
    private SchemaViolationListener schemaViolations = (table, key, json, problem) -> {};
    private Listener<RefusedMutation> refusedListener;

    private Builder() {}

    /**
     * The typed schema: synced keys {@code <table>/…} become rows of real tables that {@link
     * Tandem#query(Query)} and {@link Tandem#watch(Query)} read, and mutators write through {@link
     * WriteTransaction#table}. Its version is sent as {@code schemaVersion} unless {@link
     * #schemaVersion} says otherwise.
     */
    public Builder schema(Schema schema) {
      this.schema = schema;
      if (schemaVersion.isEmpty()) schemaVersion = Integer.toString(schema.version());
      return this;
    }

    /**
     * Uses an app's shared definition: its {@link AppDefinition#schema() schema}, its {@link
     * AppDefinition#mutators() mutators} (added to any registered here) and its {@link
     * AppDefinition#moshi() Moshi}, the same the Tandem server loads.
     */
    public Builder app(AppDefinition app) {
      schema(app.schema());
      mutators(app.mutators());
      return moshi(app.moshi());
    }

    /**
     * Whether there is a network at start; see {@link Tandem#setNetworkAvailable}. Default true.
     */
    public Builder networkAvailable(boolean available) {
      this.networkAvailable = available;
      return this;
    }

    /**
     * Hears of every mutation the server refuses, from the first pull on (see {@link
     * Tandem#refusedMutations()}); delivered on the result scheduler if one is set. What it throws
     * goes to RxJava's error handler.
     */
    public Builder onMutationRefused(Listener<RefusedMutation> listener) {
      this.refusedListener = listener;
      return this;
    }

    /** Hears of synced values that do not fit the schema; they are kept as plain keys. */
    public Builder onSchemaViolation(SchemaViolationListener listener) {
      this.schemaViolations = listener;
      return this;
    }

    /** The SQLite file; created if absent. It is one client group. Required. */
    public Builder databaseFile(File file) {
      this.databaseFile = file;
      return this;
    }

    /**
     * Sets the push, pull and poke URLs of a server that serves {@code base + "/push"}, {@code
     * "/pull"} and {@code "/poke"} (as the Tandem server stub does under {@code /api/replicache}).
     * A query string stays a query string: {@code https://h/api?userID=u} pushes to {@code
     * https://h/api/push?userID=u}.
     *
     * @throws IllegalArgumentException if {@code base} is not an http or https URL.
     */
    public Builder serverUrl(String base) {
      URI url;
      try {
        url = new URI(base);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("not a URL: " + base, e);
      }
      if (!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme())) {
        throw new IllegalArgumentException("not an http or https URL: " + base);
      }
      return pushUrl(under(url, "push")).pullUrl(under(url, "pull")).pokeUrl(under(url, "poke"));
    }

    /** {@code base}'s path plus {@code /segment}, its query kept (java.net: OkHttp loads later). */
    private static String under(URI base, String segment) {
      String path = base.getRawPath() == null ? "" : base.getRawPath();
      if (path.endsWith("/")) path = path.substring(0, path.length() - 1);
      String query = base.getRawQuery() == null ? "" : "?" + base.getRawQuery();
      return base.getScheme() + "://" + base.getRawAuthority() + path + "/" + segment + query;
    }

    /** The push URL (POST); null for a client that does not push. */
    public Builder pushUrl(String url) {
      this.pushUrl = url;
      return this;
    }

    /** The pull URL (POST); null for a client that does not pull. */
    public Builder pullUrl(String url) {
      this.pullUrl = url;
      return this;
    }

    /**
     * A server-sent-events URL whose events mean "pull now", replacing any set before; null for
     * none. {@link #addPokeUrl} listens to more.
     */
    public Builder pokeUrl(String url) {
      pokeUrls.clear();
      return url == null ? this : addPokeUrl(url);
    }

    /**
     * Listens to one more poke channel: a server-sent-events URL whose events mean "pull now", for
     * a backend that pokes per user and per list, say. Each channel is a stream of its own, with
     * the same {@code Authorization} and {@code clientGroupID} parameter, reconnecting on its own.
     *
     * <pre>{@code
     * builder.serverUrl("https://h/api/replicache")          // pokes on https://h/api/replicache/poke
     *     .addPokeUrl("https://h/api/poke?channel=list/42");  // and on this one
     * }</pre>
     *
     * @throws NullPointerException if {@code url} is null.
     */
    public Builder addPokeUrl(String url) {
      if (url == null) throw new NullPointerException("url == null");
      if (!pokeUrls.contains(url)) pokeUrls.add(url);
      return this;
    }

    /**
     * Sent as {@code schemaVersion}; a server that does not support it fires onUpdateNeeded. The
     * database remembers it: opened with another version, new mutations take a new clientID in the
     * same client group, and pending ones are pushed under the version they were made with. A
     * stored integer version greater than this one (a database of a newer app) rebuilds the local
     * copy from the server, keeping every pending mutation (sdk-core/SYNC.md, "Schema changes").
     */
    public Builder schemaVersion(String schemaVersion) {
      this.schemaVersion = schemaVersion;
      return this;
    }

    /** Supplies the {@code Authorization} header of push, pull and poke requests. Default empty. */
    public Builder auth(AuthProvider auth) {
      this.auth = auth;
      return this;
    }

    /**
     * The OkHttp client requests go through (share the app's). Default: a new one, made off the
     * caller's thread, so that {@code build()} does not wait for OkHttp to load. Without one, a new
     * database's first pull, sent while {@code build()} opens the store, goes through the JDK's
     * {@code HttpURLConnection} instead (same headers and body; a 401 or redirect is pulled again
     * through OkHttp), and OkHttp is made by the first request that needs it.
     */
    public Builder httpClient(OkHttpClient client) {
      this.httpClient = client;
      return this;
    }

    /**
     * The Moshi that maps values and mutator args; add your adapters to it. Adapters are resolved
     * at {@link #build()}, so this may come before or after {@link #mutator}.
     */
    public synchronized Builder moshi(Moshi moshi) {
      this.moshi = moshi;
      return this;
    }

    /**
     * Registers a mutator; its args travel as JSON through Moshi. Use {@code Void.class} for a
     * mutator that takes no args ({@code mutate(name, null)}).
     *
     * @throws IllegalArgumentException if {@code name} is already registered.
     */
    public <A> Builder mutator(String name, Class<A> argsType, Mutator<A> mutator) {
      mutators.add(name, argsType, mutator);
      return this;
    }

    /**
     * Registers every mutator of an app's shared definition (the same {@link Mutators} the Tandem
     * server runs).
     *
     * @throws IllegalArgumentException if one of its names is already registered.
     */
    public Builder mutators(Mutators mutators) {
      this.mutators.addAll(mutators);
      return this;
    }

    /**
     * The largest mutation {@link Tandem#mutate} accepts: its args as JSON, in UTF-8 bytes. Keep it
     * under the server's request limit (the Tandem server's default is 4 MiB), so that no single
     * mutation can be refused by the server and hold up the queue behind it. Default 1 MiB.
     */
    public Builder maxMutationBytes(long bytes) {
      if (bytes < 1) throw new IllegalArgumentException("maxMutationBytes must be positive");
      this.maxMutationBytes = bytes;
      return this;
    }

    /**
     * Runs sync work and timers, and tells the time ({@code now}). Default {@code Schedulers.io()}.
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = scheduler;
      return this;
    }

    /**
     * Where results are delivered: live queries ({@code watch}), {@code status()}, {@code
     * updateNeeded()}, {@code clientStateNotFound()} and their listener forms. Default: where they
     * are produced (the query scheduler for live queries, sync threads for the rest). On Android,
     * the main thread.
     */
    public Builder resultScheduler(Scheduler scheduler) {
      this.resultScheduler = scheduler;
      return this;
    }

    /**
     * Runs live queries (their first run and every re-run after a commit). Default: two threads of
     * this instance's own, so a burst of re-runs after a write queues instead of starting a thread
     * per query; stopped by {@link Tandem#close()}.
     */
    public Builder queryScheduler(Scheduler scheduler) {
      this.queryScheduler = scheduler;
      return this;
    }

    /**
     * The least time between the starts of two pushes. A mutation after a quiet spell is pushed at
     * once; mutations made within this time of the last push wait for its end and travel together.
     * Default 10 ms.
     */
    public Builder pushDelay(long millis) {
      this.pushDelayMillis = millis;
      return this;
    }

    /**
     * The least time from the start of a pull to the next one when pokes keep coming while pulls
     * are out. A poke while no pull is out is pulled at once; pokes that arrive during a pull wait
     * for it and are answered together by one pull this long after it started, so a burst of
     * changes takes fewer pulls (each one write transaction). Default 30 ms; 0 pulls again right
     * after.
     */
    public Builder pullDelay(long millis) {
      this.pullDelayMillis = millis;
      return this;
    }

    /** Time between pulls; 0 pulls only on start, pokes and demand. Default 60 s. */
    public Builder pullInterval(long millis) {
      this.pullIntervalMillis = millis;
      return this;
    }

    /** Retry delays: from {@code min} doubling up to {@code max}. Default 30 ms to 60 s. */
    public Builder backoff(long minMillis, long maxMillis) {
      if (minMillis < 1 || maxMillis < minMillis) {
        throw new IllegalArgumentException("backoff needs 1 <= min <= max");
      }
      this.minBackoffMillis = minMillis;
      this.maxBackoffMillis = maxMillis;
      return this;
    }

    /**
     * Caps of one push request. Default 10 000 mutations and 1 MiB: a push is sized by its bytes (a
     * backlog of small mutations goes out in few requests), below the server stub's 4 MiB limit; a
     * batch always holds at least one mutation.
     */
    public Builder maxPushBatch(int count, long bytes) {
      if (count < 1 || bytes < 1) throw new IllegalArgumentException("batch caps must be positive");
      this.maxPushBatchCount = count;
      this.maxPushBatchBytes = bytes;
      return this;
    }

    /**
     * {@code synchronous=FULL}: every commit survives power loss, at some cost per mutation. The
     * default, {@code NORMAL}, survives the process being killed.
     */
    public Builder fullSync(boolean fullSync) {
      this.fullSync = fullSync;
      return this;
    }

    SyncConfig syncConfig(FutureTask<OkHttpClient> defaultHttpClient) {
      return new SyncConfig(
          pushUrl,
          pullUrl,
          new ArrayList<>(pokeUrls),
          schemaVersion,
          auth,
          httpClient,
          defaultHttpClient,
          scheduler != null ? scheduler : Schedulers.io(),
          pushDelayMillis,
          pullDelayMillis,
          pullIntervalMillis,
          minBackoffMillis,
          maxBackoffMillis,
          maxPushBatchCount,
          maxPushBatchBytes);
    }

    /**
     * The default HTTP client when this instance syncs and the app gave none; null otherwise (then
     * the app's is used). Not started: see {@link #startHttp}.
     */
    private FutureTask<OkHttpClient> defaultHttpClient() {
      if (httpClient != null || (pushUrl == null && pullUrl == null)) return null;
      List<String> urls = new ArrayList<>(pokeUrls);
      if (pushUrl != null) urls.add(pushUrl);
      if (pullUrl != null) urls.add(pullUrl);
      return Http.defaultClient(urls);
    }

    /**
     * A new database's first pull, to send before its store opens (sdk-core/SYNC.md, "Start-up in a
     * fresh process"), when this instance pulls with the network available and {@code databaseFile}
     * does not exist yet (checked under its lock); null otherwise.
     */
    private FirstPull firstPull(FutureTask<OkHttpClient> defaultClient) {
      if (pullUrl == null || !networkAvailable || !Identity.isNew(databaseFile)) return null;
      return new FirstPull(new Identity(), pullUrl, schemaVersion, auth, httpClient, defaultClient);
    }

    /**
     * With the network available, makes the default HTTP client (if any, and unless a first pull
     * goes through the JDK: then the first request that needs OkHttp makes it) and sends the first
     * pull (if any), on a thread of their own: loading OkHttp takes a while in a fresh process, and
     * the database opens meanwhile. Otherwise the client is made on first use. With a scheduler of
     * the app's (tests pass a {@code TestScheduler}), the first pull is sync work like any other:
     * it runs on that scheduler, ahead of the pull loop's first attempt.
     */
    private void startHttp(final FutureTask<OkHttpClient> client, FirstPull pull) {
      if (!networkAvailable) return;
      // A first pull through the JDK needs no OkHttp: it loads later, when a request needs it.
      final boolean makeClient = client != null && (pull == null || !pull.viaJdk());
      if (pull != null && scheduler != null) {
        scheduler.scheduleDirect(pull);
        pull = null;
      }
      final FirstPull first = pull;
      if (!makeClient && first == null) return;
      Runnable work =
          () -> {
            if (makeClient) client.run();
            if (first != null) first.run();
          };
      Thread thread = new Thread(work, first != null ? "tandem-first-pull" : "tandem-http-init");
      thread.setDaemon(true);
      thread.start();
    }

    /** The app's Moshi, or the default one, made once (by whichever thread of build() asks). */
    private synchronized Moshi moshi() {
      if (moshi == null) moshi = new Moshi.Builder().build();
      return moshi;
    }

    /**
     * Opens the database and starts syncing.
     *
     * @throws IllegalStateException if no {@link #databaseFile} was set, or another instance has
     *     the database file open.
     */
    public Tandem build() {
      if (databaseFile == null) throw new IllegalStateException("databaseFile is required");
      DatabaseLock lock = DatabaseLock.acquire(databaseFile);
      Tandem tandem;
      FirstPull first = null;
      try {
        FutureTask<OkHttpClient> http = defaultHttpClient();
        first = firstPull(http);
        // A new database's first pull goes out first: the server's answer is the longest wait.
        startHttp(http, first);
        StoreOpening opening =
            new StoreOpening(
                databaseFile,
                fullSync,
                driverFactory,
                schema,
                schemaVersion,
                this::moshi,
                schemaViolations,
                first == null ? null : first.identity());
        if (driverFactory == null) opening.startInBackground();
        BoundMutators bound;
        try {
          // Meanwhile, on this thread, what needs no database.
          bound = BoundMutators.bind(mutators.build(), moshi());
          // sqlite-jdbc's connection settings (its date formatter), while tandem-open loads the
          // native library, unless it got there first; then RxJava while it connects.
          if (driverFactory == null) SqliteNative.prepareSettings();
          loadRx(pushUrl != null || pullUrl != null);
        } catch (RuntimeException | Error e) {
          opening.discard();
          throw e;
        }
        LocalStore local = opening.await();
        try {
          tandem = new Tandem(this, local, lock, bound, http, first);
        } catch (RuntimeException e) {
          opening.closeDriver();
          throw e;
        }
        opening.releaseViolations();
      } catch (RuntimeException e) {
        if (first != null) first.cancel(); // Its answer is applied nowhere.
        lock.release();
        throw e;
      }
      if (!networkAvailable) tandem.sync.setNetworkAvailable(false);
      if (refusedListener != null) tandem.onMutationRefused(refusedListener);
      try {
        // Before start(): a platform that reports the network or the background first keeps the
        // start-up from opening a poke stream it would close at once.
        for (Internal.Attachment attachment : attachments) {
          tandem.attached.add(attachment.attach(tandem));
        }
      } catch (RuntimeException e) {
        tandem.close();
        throw e;
      }
      tandem.sync.start();
      return tandem;
    }
  }
}
