package dev.tandem;

import com.squareup.moshi.Moshi;
import dev.tandem.internal.Ids;
import dev.tandem.internal.Internal;
import dev.tandem.internal.store.DatabaseLock;
import dev.tandem.internal.store.JdbcSqlDriver;
import dev.tandem.internal.store.SqlDriver;
import dev.tandem.internal.store.SqlDriverFactory;
import dev.tandem.internal.sync.Backoff;
import dev.tandem.internal.sync.Http;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.schedulers.Schedulers;
import java.io.Closeable;
import java.io.File;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

  private final LocalStore local;
  private final DatabaseLock fileLock;
  private final SyncState state;
  private final LiveQueries live;
  private final Scheduler scheduler;
  private final Transport transport;
  private final Pusher pusher;
  private final Puller puller;
  private final PokeStream pokes;
  private final long pushDelayMillis;
  private final Scheduler resultScheduler;
  private final List<Closeable> attached = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private Tandem(Builder builder, LocalStore local, DatabaseLock fileLock) {
    this.local = local;
    this.fileLock = fileLock;
    this.scheduler = builder.scheduler;
    this.pushDelayMillis = builder.pushDelayMillis;
    this.resultScheduler = builder.resultScheduler;
    this.state = new SyncState(local);
    this.live = new LiveQueries(local, builder.queryScheduler);
    local.setListener(live);
    if (builder.pushUrl != null || builder.pullUrl != null) {
      this.transport =
          new Transport(new Http(builder.httpClient, local.clientID, Ids.newId(8)), builder.auth);
      this.pusher =
          builder.pushUrl == null
              ? null
              : new Pusher(
                  scheduler,
                  builder.backoff(),
                  state,
                  local,
                  transport,
                  new Pusher.Config(
                      builder.pushUrl,
                      builder.schemaVersion,
                      builder.maxPushBatchCount,
                      builder.maxPushBatchBytes));
      this.puller =
          builder.pullUrl == null
              ? null
              : new Puller(
                  scheduler,
                  builder.backoff(),
                  state,
                  local,
                  transport,
                  builder.pullUrl,
                  builder.schemaVersion,
                  builder.pullIntervalMillis,
                  pusher);
      if (pusher != null) pusher.setPuller(puller);
      this.pokes =
          builder.pokeUrl == null || puller == null
              ? null
              : new PokeStream(
                  transport,
                  builder.pokeUrl,
                  local.clientGroupID,
                  puller,
                  scheduler,
                  builder.backoff(),
                  state);
    } else {
      this.transport = null;
      this.pusher = null;
      this.puller = null;
      this.pokes = null;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  private void start() {
    if (puller != null) puller.schedule(0);
    if (pusher != null && local.pendingCount() > 0) pusher.schedule(0);
    if (pokes != null) pokes.connect();
  }

  /** This instance's client ID; it survives restarts. */
  public String clientID() {
    return local.clientID;
  }

  /** The client group: this database. */
  public String clientGroupID() {
    return local.clientGroupID;
  }

  /**
   * Runs mutator {@code name} on local state now and queues it for the server, durably, in one
   * local transaction. Blocks only for the local write (typically well under a millisecond).
   *
   * @return the mutation's ID (1, 2, 3 … for this client).
   * @throws IllegalArgumentException if no mutator {@code name} is registered, or {@code args} is
   *     not of its args type.
   * @throws MutationException if the mutator threw; nothing was written.
   * @throws IllegalStateException if this instance is closed.
   */
  public long mutate(String name, Object args) {
    checkOpen();
    double timestamp = scheduler.now(TimeUnit.MICROSECONDS) / 1000.0;
    long id = local.mutate(name, args, timestamp);
    long pending = local.pendingCount();
    state.update(s -> s.withPendingCount(pending));
    if (pusher != null) pusher.schedule(pushDelayMillis);
    return id;
  }

  /** Runs {@code query} once on the current state, on the calling thread. */
  public <T> T query(ReadQuery<T> query) throws Exception {
    checkOpen();
    return local.read(query, null);
  }

  /** Runs a table query once on the current state. */
  public List<Row> query(final Query query) throws Exception {
    return query(tx -> tx.query(query));
  }

  /** Runs a table query once and maps each row to {@code type} through Moshi. */
  public <T> List<T> query(final Query query, final Class<T> type) throws Exception {
    return query(tx -> tx.query(query, type));
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
   * query read, and only when the result changed. Runs on the builder's query scheduler.
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

  /** The sync status; emits the current value first, then every change. */
  public Observable<SyncStatus> status() {
    return deliver(state.status());
  }

  /**
   * Emits when the server refuses this client's push, pull or schema version: syncing has stopped
   * and the app must update. Pending mutations are kept. Replays the last event to late
   * subscribers.
   */
  public Observable<UpdateNeeded> updateNeeded() {
    return deliver(state.updateNeeded);
  }

  /** Listener form of {@link #updateNeeded()}; dispose the result to stop listening. */
  public Disposable onUpdateNeeded(final Listener<UpdateNeeded> listener) {
    return deliver(state.updateNeeded).subscribe(listener::on);
  }

  /**
   * Emits when the server has no state for this client group: syncing has stopped for good for this
   * database. Replays to late subscribers.
   */
  public Observable<Boolean> clientStateNotFound() {
    return deliver(state.clientStateNotFound);
  }

  /** Listener form of {@link #clientStateNotFound()}. */
  public Disposable onClientStateNotFound(final Listener<Boolean> listener) {
    return deliver(state.clientStateNotFound).subscribe(listener::on);
  }

  /** A callback for the listener forms of the event streams. */
  public interface Listener<T> {
    void on(T event) throws Exception;
  }

  /**
   * Pushes now and completes when the server has confirmed every mutation made before the call.
   * Fails with {@link SyncStoppedException} if syncing stops first. Never times out by itself.
   */
  public Completable flush() {
    return Completable.create(
        emitter -> {
          if (pusher == null || puller == null) {
            emitter.onError(
                new SyncStoppedException("no push and pull URLs: this instance is local only"));
            return;
          }
          state.addFlush(local.lastMutationID(), emitter);
          pusher.schedule(0);
        });
  }

  /** Pulls now; completes after the next pull has been applied. */
  public Completable pull() {
    return Completable.create(
        emitter -> {
          if (puller == null) {
            emitter.onError(new SyncStoppedException("no pull URL: this instance is local only"));
            return;
          }
          state.addPullWaiter(emitter);
          puller.schedule(0);
        });
  }

  /**
   * Tells Tandem whether the device has a network (from a connectivity callback, or an app's
   * offline switch). Does nothing once closed. While false, nothing is sent and {@link
   * SyncStatus#online()} is false; mutations queue as always. Back to true, Tandem pushes and pulls
   * at once instead of waiting out a backoff.
   */
  public void setNetworkAvailable(boolean available) {
    if (closed) return; // A platform callback racing close(): nothing left to tell.
    state.setNetworkAvailable(available);
    if (!available) {
      if (pokes != null) pokes.disconnect();
      return;
    }
    if (pusher != null) pusher.retryNow();
    if (puller != null) puller.retryNow();
    if (pokes != null) pokes.connect();
  }

  /**
   * Tells Tandem whether the app is in the foreground (sdk-android calls this from the app's
   * lifecycle). While false, interval pulls and the poke stream pause; mutations are still pushed,
   * and {@link #pull()} still pulls; a failed pull is not retried until then (unless someone waits
   * for it). Back to true, Tandem pulls at once and resumes both. Does nothing once closed.
   */
  public void setForeground(boolean foreground) {
    if (closed) return; // A platform callback racing close(): nothing left to tell.
    if (!state.setForeground(foreground)) return;
    if (!foreground) {
      if (pokes != null) pokes.disconnect();
      if (puller != null) puller.pauseIfUnwanted();
      return;
    }
    if (puller != null) puller.retryNow();
    if (pokes != null) pokes.connect();
  }

  /** The mutations the server has not confirmed yet, oldest first. */
  public List<PendingMutation> pendingMutations() {
    checkOpen();
    List<PendingMutation> result = new java.util.ArrayList<>();
    for (dev.tandem.internal.store.Store.Pending pending : local.pending(0, Integer.MAX_VALUE)) {
      result.add(
          new PendingMutation(pending.clientID, pending.id, pending.name, pending.args.toString()));
    }
    return result;
  }

  /** Stops syncing and closes the database. Pending mutations stay in it for next time. */
  @Override
  public void close() {
    if (closed) return;
    for (Closeable attachment : attached) {
      try {
        attachment.close(); // First, so platform callbacks stop before the rest shuts down.
      } catch (java.io.IOException | RuntimeException e) {
        // Closing goes on: the database must be released whatever a callback does.
      }
    }
    closed = true;
    state.stop("closed", null);
    if (pokes != null) pokes.close();
    if (pusher != null) pusher.close();
    if (puller != null) puller.close();
    if (transport != null) transport.close();
    local.lock.lock();
    try {
      local.driver.close();
    } finally {
      local.lock.unlock();
    }
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
    private String pokeUrl;
    private String schemaVersion = "";
    private AuthProvider auth = AuthProvider.of("");
    private OkHttpClient httpClient;
    private Moshi moshi = new Moshi.Builder().build();
    private final Mutators.Builder mutators = new Mutators.Builder();
    private Scheduler scheduler = Schedulers.io();
    private Scheduler queryScheduler = Schedulers.io();
    private Scheduler resultScheduler;
    private SqlDriverFactory driverFactory;
    private final List<Internal.Attachment> attachments = new java.util.ArrayList<>();
    private long pushDelayMillis = 10;
    private long pullIntervalMillis = 60_000;
    private long minBackoffMillis = 30;
    private long maxBackoffMillis = 60_000;
    private int maxPushBatchCount = 100;
    private long maxPushBatchBytes = 512 * 1024;
    private boolean fullSync;
    private Schema schema;
    private boolean networkAvailable = true;
    private SchemaViolationListener schemaViolations = (table, key, json, problem) -> {};

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
     * Whether there is a network at start; see {@link Tandem#setNetworkAvailable}. Default true.
     */
    public Builder networkAvailable(boolean available) {
      this.networkAvailable = available;
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
     */
    public Builder serverUrl(String base) {
      String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
      return pushUrl(trimmed + "/push").pullUrl(trimmed + "/pull").pokeUrl(trimmed + "/poke");
    }

    public Builder pushUrl(String url) {
      this.pushUrl = url;
      return this;
    }

    public Builder pullUrl(String url) {
      this.pullUrl = url;
      return this;
    }

    /** A server-sent-events URL whose events mean "pull now"; null for none. */
    public Builder pokeUrl(String url) {
      this.pokeUrl = url;
      return this;
    }

    /** Sent as {@code schemaVersion}; a server that does not support it fires onUpdateNeeded. */
    public Builder schemaVersion(String schemaVersion) {
      this.schemaVersion = schemaVersion;
      return this;
    }

    public Builder auth(AuthProvider auth) {
      this.auth = auth;
      return this;
    }

    public Builder httpClient(OkHttpClient client) {
      this.httpClient = client;
      return this;
    }

    /** The Moshi that maps values and mutator args; add your adapters to it. */
    public Builder moshi(Moshi moshi) {
      this.moshi = moshi;
      return this;
    }

    /** Registers a mutator; its args travel as JSON through Moshi. */
    public <A> Builder mutator(String name, Class<A> argsType, Mutator<A> mutator) {
      mutators.add(name, argsType, mutator, moshi);
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

    /** Runs live queries. Default {@code Schedulers.io()}. */
    public Builder queryScheduler(Scheduler scheduler) {
      this.queryScheduler = scheduler;
      return this;
    }

    /** Debounce before pushing after a mutation. Default 10 ms. */
    public Builder pushDelay(long millis) {
      this.pushDelayMillis = millis;
      return this;
    }

    /** Time between pulls; 0 pulls only on start, pokes and demand. Default 60 s. */
    public Builder pullInterval(long millis) {
      this.pullIntervalMillis = millis;
      return this;
    }

    /** Retry delays: from {@code min} doubling up to {@code max}. Default 30 ms to 60 s. */
    public Builder backoff(long minMillis, long maxMillis) {
      new Backoff(minMillis, maxMillis); // Validates.
      this.minBackoffMillis = minMillis;
      this.maxBackoffMillis = maxMillis;
      return this;
    }

    /** Caps of one push request. Default 100 mutations and 512 KiB. */
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

    Backoff backoff() {
      return new Backoff(minBackoffMillis, maxBackoffMillis);
    }

    /**
     * Opens the database and starts syncing.
     *
     * @throws IllegalStateException if another instance has the database file open.
     */
    public Tandem build() {
      if (databaseFile == null) throw new IllegalStateException("databaseFile is required");
      if (httpClient == null) httpClient = new OkHttpClient();
      DatabaseLock lock = DatabaseLock.acquire(databaseFile);
      Tandem tandem;
      try {
        SqlDriver driver =
            driverFactory == null
                ? new JdbcSqlDriver(databaseFile, fullSync)
                : driverFactory.open(databaseFile, fullSync);
        LocalStore local;
        try {
          JsonCodec codec = new JsonCodec(moshi);
          local =
              LocalStore.open(
                  driver, new DataStore(schema, codec, schemaViolations), codec, mutators.build());
        } catch (RuntimeException e) {
          driver.close();
          throw e;
        }
        tandem = new Tandem(this, local, lock);
      } catch (RuntimeException e) {
        lock.release();
        throw e;
      }
      if (!networkAvailable) tandem.state.setNetworkAvailable(false);
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
      tandem.start();
      return tandem;
    }
  }
}
