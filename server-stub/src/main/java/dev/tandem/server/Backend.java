package dev.tandem.server;

import com.squareup.moshi.Moshi;
import dev.tandem.AppDefinition;
import dev.tandem.Migrations;
import dev.tandem.Mutators;
import dev.tandem.Permissions;
import dev.tandem.Schema;
import dev.tandem.server.internal.RequestLog;
import java.io.InputStream;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * A Replicache push/pull backend over a {@link Database}: framework-agnostic handlers that take the
 * {@code Authorization} header and the request body and answer a status and a JSON body. Mount them
 * in any Java web server, or run {@link TandemServer}.
 *
 * <pre>{@code
 * Backend backend = ChatDomain.install(Backend.builder().database(Database.sqlite(path))).build();
 * HandlerResponse response = backend.push(request.getHeader("Authorization"), request.getInputStream());
 * }</pre>
 *
 * <p>Thread-safe: handlers may be called from any number of threads at once.
 */
public final class Backend implements AutoCloseable {
  /**
   * The SLF4J {@code MDC} key of the request ID the handlers' log lines carry ({@code request=…});
   * put the client's {@code X-Replicache-RequestID} there around a call to have it logged.
   */
  public static final String REQUEST_ID = "requestID";

  private final Metrics metrics = new Metrics();

  private final Database database;
  private final SchemaVersions schemaVersions;
  private final Transactor transactor;
  private final PushHandler pushHandler;
  private final PullHandler pullHandler;
  private final PokeHandler pokeHandler;
  private final Pokes pokes = new Pokes();
  private final PokeRelay relay; // Postgres: pokes across instances; null on SQLite
  private final ClientGc gc;

  private Backend(Builder builder) throws Exception {
    this.database = builder.database;
    Authenticator authenticator = builder.authenticator;
    ServedApp app = new ServedApp(builder);
    this.schemaVersions = app.schemaVersions;
    this.transactor = new Transactor(database);
    this.relay = database.dialect() == Dialect.POSTGRES ? new PokeRelay(database, pokes) : null;
    if (relay != null) pokes.onDemand(relay::start);
    this.gc = new ClientGc(builder.clock, builder.forgetClientsAfter);
    PushProcessor pushes =
        new PushProcessor(transactor, app.mutators, database.dialect(), pokes, relay, gc);
    PullProcessor pulls =
        new PullProcessor(transactor, app.view, pokes, gc, app.records, database.dialect());
    this.pushHandler =
        new PushHandler(
            authenticator,
            schemaVersions,
            builder.maxBodyBytes,
            pushes,
            metrics,
            pokes,
            transactor,
            app.records);
    this.pullHandler = new PullHandler(authenticator, schemaVersions, builder.maxBodyBytes, pulls);
    this.pokeHandler = new PokeHandler(authenticator, pokes, transactor);
    // Instances starting together on Postgres take turns: one creates and migrates, the others
    // then see it done (CREATE TABLE IF NOT EXISTS alone races on the catalog).
    try (Connection connection = database.writes().getConnection();
        Bookkeeping.Held turn = Bookkeeping.migrationLock(connection, database.dialect())) {
      app.setUpTables(connection, gc.now());
    }
    gc.start(transactor);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The client schema versions served: set, or following the app's migrations. */
  public SchemaVersions schemaVersions() {
    return schemaVersions;
  }

  /**
   * Waits at most {@code millis} until pokes from other instances reach this one's streams (at once
   * on SQLite; on Postgres the relay starts with the first poke stream).
   *
   * @return whether they do.
   */
  boolean awaitPokeRelay(long millis) throws InterruptedException {
    return relay == null || relay.awaitListening(millis);
  }

  /** Pokes fired after each push that commits. */
  public Pokes pokes() {
    return pokes;
  }

  public Database database() {
    return database;
  }

  /** Handles {@code POST /push}; see {@link #push(String, String, InputStream)}. */
  public HandlerResponse push(String authorization, InputStream body) {
    return push(authorization, null, body);
  }

  /**
   * Handles {@code POST /push}. Its log lines carry {@code requestID} (the client's {@code
   * X-Replicache-RequestID}; at most 128 characters of {@code [A-Za-z0-9._:-]} are kept, others
   * become {@code _}), or if null the value under {@link #REQUEST_ID} in SLF4J's {@code MDC}, if
   * the logging binding keeps one.
   */
  public HandlerResponse push(String authorization, String requestID, InputStream body) {
    return handle(
        requestID, start -> pushHandler.handle(authorization, body, start), metrics::pushed);
  }

  /** Handles {@code POST /pull}; see {@link #pull(String, String, InputStream)}. */
  public HandlerResponse pull(String authorization, InputStream body) {
    return pull(authorization, null, body);
  }

  /** Handles {@code POST /pull}; its log lines carry {@code requestID} as a push's do. */
  public HandlerResponse pull(String authorization, String requestID, InputStream body) {
    return handle(
        requestID, start -> pullHandler.handle(authorization, body, start), metrics::pulled);
  }

  /** Counts a request answered with {@code status} after {@code nanos}. */
  private interface Counter {
    void count(int status, long nanos);
  }

  /** Runs {@code handler} with {@code requestID} on its log lines, then counts its answer. */
  private static HandlerResponse handle(
      String requestID, LongFunction<HandlerResponse> handler, Counter counter) {
    long start = System.nanoTime();
    String previous = RequestLog.enter(requestID);
    try {
      HandlerResponse response = handler.apply(start);
      counter.count(response.status(), System.nanoTime() - start);
      return response;
    } finally {
      RequestLog.exit(previous);
    }
  }

  /**
   * Handles {@code GET /poke?clientGroupID=…}: authenticates {@code authorization} as push and pull
   * do, then subscribes {@code listener} to the pokes of {@code clientGroupID} for that user. The
   * group must be the user's, or not claimed yet (its client opens the stream as it starts, before
   * its first pull claims the group); a stream of a group that another user claims later is
   * revoked. Answers a refusal instead when the token is not valid (401), {@code clientGroupID} is
   * missing (400) or the group is another user's (403).
   *
   * <pre>{@code
   * Pokes.Subscription subscription = backend.subscribePokes(authorization, groupID, listener);
   * if (subscription.refusal() != null) { answer it } else { open the stream; close the subscription when it ends }
   * }</pre>
   */
  public Pokes.Subscription subscribePokes(
      String authorization, String clientGroupID, Pokes.StreamListener listener) {
    return pokeHandler.subscribe(authorization, clientGroupID, listener);
  }

  /**
   * Stops what the backend runs in the background (on Postgres, the relay of other instances'
   * pokes). Does not close the {@link Database}. Idempotent.
   */
  @Override
  public void close() {
    gc.close();
    if (relay != null) relay.close();
  }

  /**
   * Forgets the client groups (with their clients) that have not pushed or pulled for longer than
   * {@link Builder#forgetClientsAfter}, now; the backend also does it by itself every tenth of that
   * age (at most hourly). Returns how many groups it forgot; 0 if no age is set. A forgotten
   * client's next push answers {@code ClientStateNotFound} (see SERVER.md).
   */
  public int forgetInactiveClients() throws Exception {
    return gc.forgetInactive(transactor);
  }

  /**
   * The backend's metrics in the Prometheus text format (version 0.0.4): pushes and pulls by
   * status, mutations applied and refused, push and pull durations (histograms), open poke streams,
   * the database pools' connections in use and idle, client groups forgotten. Serve it as {@code
   * text/plain; version=0.0.4} ({@link TandemServer} does, at {@code /metrics}).
   */
  public String metricsText() {
    return metrics.text(pokes, relay, gc, database);
  }

  /** True if the database answers. */
  public boolean healthy() {
    try (Connection connection = database.reads().getConnection()) {
      return connection.isValid(2);
    } catch (Exception e) {
      return false;
    }
  }

  /** Builds a {@link Backend}. */
  public static final class Builder {
    // Package-private: read by the Backend and its ServedApp at build.
    Database database;
    Authenticator authenticator = Authenticator.dev();
    SchemaVersions schemaVersions = SchemaVersions.all();
    long maxBodyBytes = 4L << 20;
    final Map<String, Mutator> mutators = new LinkedHashMap<>();
    final List<String> ddl = new ArrayList<>();
    ClientView clientView = (connection, since, out) -> {};
    Schema schema;
    Migrations migrations;
    Permissions permissions;
    boolean customView;
    Mutators shared;
    Moshi moshi;
    final Mutators.Builder overrides = Mutators.builder();
    boolean overridden;
    Duration forgetClientsAfter;
    Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Forgets client groups, with their clients, that have not pushed or pulled for {@code age}
     * (checked every tenth of it, at most hourly; activity is recorded to that precision). A
     * forgotten client that comes back gets {@code ClientStateNotFound} at its next push. Default:
     * never. Choose an age far beyond how long your clients stay offline.
     *
     * @throws IllegalArgumentException if {@code age} is not positive.
     */
    public Builder forgetClientsAfter(Duration age) {
      if (age == null || age.isNegative() || age.isZero()) {
        throw new IllegalArgumentException("forgetClientsAfter must be positive: " + age);
      }
      this.forgetClientsAfter = age;
      return this;
    }

    /** The clock client activity is measured by; default the system's (tests and simulations). */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Serves {@code app}: its schema's tables stored in real tables (created if missing, checked if
     * present), its mutators run on the server through the same code as on the client, its Moshi
     * for their args and values. Same as {@link #schema}, {@link #mutators} and {@link #moshi}.
     */
    public Builder app(AppDefinition app) {
      return schema(app.schema())
          .migrations(app.migrations())
          .permissions(app.permissions())
          .mutators(app.mutators())
          .moshi(app.moshi());
    }

    /**
     * Migrates the database through {@code migrations} at build (see {@link Migrations}): the steps
     * not applied yet run in order, each in one transaction and recorded with its checksum in
     * {@code tandem_migration}; an applied step that was edited or removed stops the build. The
     * tables stored are those of every client schema version served, which runs from the last
     * contract step's minimum to the last step's version; each client writes the columns its own
     * version has. Null for none (the default).
     */
    public Builder migrations(Migrations migrations) {
      this.migrations = migrations;
      return this;
    }

    /**
     * Enforces {@code permissions} (roles and grants over the app's schema tables): a push's
     * mutation that writes a row no grant lets its user write is refused as a whole, and each
     * client group pulls exactly the rows its user may read, kept in a client view record per group
     * (the row-version strategy; SERVER.md). Null (the default) for none: every user reads and
     * writes every row, served with the global version.
     */
    public Builder permissions(Permissions permissions) {
      this.permissions = permissions;
      return this;
    }

    /**
     * Stores each table of {@code schema} in a real table named by its {@code from()} name, with a
     * typed column per schema column named by its {@code field()} (see SERVER.md). Keys matching no
     * table go to {@code tandem_kv}.
     */
    public Builder schema(Schema schema) {
      this.schema = schema;
      return this;
    }

    /**
     * Registers every mutator of {@code mutators} as a server mutator running the same code, in the
     * push transaction, through a server {@code WriteTransaction} ({@code Reason.AUTHORITATIVE}).
     * Without a {@link #schema} every key they write goes to {@code tandem_kv}.
     */
    public Builder mutators(Mutators mutators) {
      this.shared = mutators;
      return this;
    }

    /** The Moshi for app mutators' args and values. Default: Moshi with no extra adapters. */
    public Builder moshi(Moshi moshi) {
      this.moshi = moshi;
      return this;
    }

    /**
     * Runs {@code mutator} on the server instead of the app's mutator {@code name} (or as a
     * server-only one): for what only the server may decide, such as ownership checks against
     * {@code tx.userID()} or server-set fields. Its args type must read the same JSON as the
     * client's.
     *
     * @throws IllegalArgumentException if {@code name} already has a server override.
     */
    public <A> Builder serverMutator(
        String name, Class<A> argsType, dev.tandem.Mutator<A> mutator) {
      overrides.add(name, argsType, mutator);
      overridden = true;
      return this;
    }

    public Builder database(Database database) {
      this.database = database;
      return this;
    }

    /** Default: {@link Authenticator#dev()}. */
    public Builder authenticator(Authenticator authenticator) {
      this.authenticator = authenticator;
      return this;
    }

    /** Default: every version. */
    public Builder schemaVersions(SchemaVersions schemaVersions) {
      this.schemaVersions = schemaVersions;
      return this;
    }

    /** Larger push and pull bodies get 413. Default 4 MiB. */
    public Builder maxBodyBytes(long maxBodyBytes) {
      if (maxBodyBytes <= 0) throw new IllegalArgumentException("maxBodyBytes <= 0");
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /** Registers a server-side mutator under the name clients use. */
    public Builder mutator(String name, Mutator mutator) {
      if (mutators.putIfAbsent(name, mutator) != null) {
        throw new IllegalArgumentException("mutator '" + name + "' is already registered");
      }
      return this;
    }

    /**
     * Idempotent DDL for the domain tables ({@code CREATE TABLE IF NOT EXISTS …}), run at build.
     */
    public Builder ddl(String... statements) {
      ddl.addAll(List.of(statements));
      return this;
    }

    public Builder clientView(ClientView clientView) {
      this.clientView = clientView;
      this.customView = true;
      return this;
    }

    /** Creates the tables it needs and returns the backend. */
    public Backend build() throws Exception {
      if (database == null) throw new IllegalStateException("database is required");
      return new Backend(this);
    }
  }
}
