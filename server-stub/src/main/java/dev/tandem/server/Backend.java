package dev.tandem.server;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonEncodingException;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.Moshi;
import dev.tandem.AppDefinition;
import dev.tandem.Migrations;
import dev.tandem.Mutators;
import dev.tandem.Permissions;
import dev.tandem.Schema;
import dev.tandem.Subset;
import dev.tandem.internal.app.JsonCodec;
import dev.tandem.internal.app.MigrationPlan;
import dev.tandem.internal.app.SchemaJson;
import dev.tandem.protocol.ErrorResponse;
import dev.tandem.protocol.Mutation;
import dev.tandem.protocol.PullRequest;
import dev.tandem.protocol.PushRequest;
import dev.tandem.server.internal.HttpRoutes;
import dev.tandem.server.internal.schema.Access;
import dev.tandem.server.internal.schema.ClientViewRecords;
import dev.tandem.server.internal.schema.SchemaStorage;
import dev.tandem.server.internal.schema.SharedMutators;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okio.Buffer;
import okio.Okio;
import okio.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

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
  private static final Logger log = LoggerFactory.getLogger("dev.tandem.server.sync");

  /**
   * The SLF4J {@code MDC} key of the request ID the handlers' log lines carry ({@code request=…});
   * put the client's {@code X-Replicache-RequestID} there around a call to have it logged.
   */
  public static final String REQUEST_ID = "requestID";

  /** The request ID of the push or pull this thread handles (slf4j-simple keeps no MDC). */
  private static final ThreadLocal<String> REQUEST = new ThreadLocal<>();

  private final Metrics metrics = new Metrics();

  private final Database database;
  private final Authenticator authenticator;
  private final SchemaVersions schemaVersions;
  private final long maxBodyBytes;
  private final Transactor transactor;
  private final PushProcessor pushes;
  private final PullProcessor pulls;
  private final Pokes pokes = new Pokes();
  private final PokeRelay relay; // Postgres: pokes across instances; null on SQLite
  private final ClientGc gc;

  /** The row-version strategy's records, for an app with permissions; else null. */
  private final ClientViewRecords records;

  private Backend(Builder builder) throws Exception {
    this.database = builder.database;
    this.authenticator = builder.authenticator;
    MigrationPlan plan = null;
    if (builder.migrations != null) {
      plan = MigrationPlan.of(builder.migrations.steps());
      if (builder.schema != null
          && !SchemaJson.write(builder.schema)
              .equals(SchemaJson.write(builder.migrations.current()))) {
        throw new IllegalArgumentException(
            "the app's schema() is not the schema of its last migration ("
                + builder.migrations.current().version()
                + "): add a migration to it");
      }
      if (builder.schemaVersions != SchemaVersions.all()) {
        throw new IllegalArgumentException(
            "the served schema versions follow the app's migrations ("
                + plan.last().minClientVersion
                + ".."
                + plan.last().version
                + "); do not set them as well");
      }
      this.schemaVersions = SchemaVersions.range(plan.last().minClientVersion, plan.last().version);
    } else {
      this.schemaVersions = builder.schemaVersions;
    }
    this.maxBodyBytes = builder.maxBodyBytes;
    this.transactor = new Transactor(database);
    Map<String, Mutator> mutators = new LinkedHashMap<>(builder.mutators);
    ClientView view = builder.clientView;
    SchemaStorage storage = null;
    Access access = null;
    if (builder.schema != null || builder.shared != null || builder.overridden || plan != null) {
      Moshi moshi = builder.moshi != null ? builder.moshi : new Moshi.Builder().build();
      JsonCodec codec = new JsonCodec(moshi);
      storage =
          plan != null
              ? new SchemaStorage(plan, database.dialect(), codec)
              : new SchemaStorage(builder.schema, database.dialect(), codec);
      Mutators shared = builder.shared != null ? builder.shared : Mutators.builder().build();
      Map<String, Mutator> fromApp =
          SharedMutators.of(storage, shared, builder.overrides.build(), moshi);
      for (Map.Entry<String, Mutator> entry : fromApp.entrySet()) {
        if (mutators.putIfAbsent(entry.getKey(), entry.getValue()) != null) {
          throw new IllegalArgumentException(
              "mutator '"
                  + entry.getKey()
                  + "' is both an app mutator and a hand-written server mutator: override an"
                  + " app mutator with serverMutator()");
        }
      }
      view = view.and(storage);
      if (builder.permissions != null) {
        if (builder.customView) {
          throw new IllegalArgumentException(
              "permissions cover the app's schema tables; a hand-written clientView() would be"
                  + " served to every user: serve it from another Backend");
        }
        access = storage.permissions(builder.permissions);
      }
    } else if (builder.permissions != null) {
      throw new IllegalArgumentException("permissions need the app's schema (Builder.app)");
    }
    this.records = access == null ? null : new ClientViewRecords(storage, access);
    // A subset choice is recorded for its client group (the app's own mutator is the client's).
    if (records != null && records.hasSubset()) {
      mutators.put(Subset.MUTATOR, records.subsetMutator());
    }
    this.relay = database.dialect() == Dialect.POSTGRES ? new PokeRelay(database, pokes) : null;
    if (relay != null) pokes.onDemand(relay::start);
    this.gc = new ClientGc(builder.clock, builder.forgetClientsAfter);
    this.pushes = new PushProcessor(transactor, mutators, database.dialect(), pokes, relay, gc);
    this.pulls = new PullProcessor(transactor, view, pokes, gc, records, database.dialect());
    // Instances starting together on Postgres take turns: one creates and migrates, the others
    // then see it done (CREATE TABLE IF NOT EXISTS alone races on the catalog).
    try (Connection connection = database.writes().getConnection();
        Bookkeeping.Held turn = Bookkeeping.migrationLock(connection, database.dialect())) {
      setUpTables(connection, plan, storage, builder, gc.now());
      if (records != null) records.migrate(connection);
    }
    gc.start(transactor);
  }

  private static void setUpTables(
      Connection connection, MigrationPlan plan, SchemaStorage storage, Builder builder, long now)
      throws SQLException {
    Dialect dialect = builder.database.dialect();
    if (plan != null) {
      // Migrations take sync versions for the rows they change: the version row comes first.
      Bookkeeping.migrate(connection, dialect, builder.ddl, now);
      storage.migrate(connection);
    } else {
      // The app's tables are checked before anything is created: a mismatch changes nothing.
      if (storage != null) storage.migrate(connection);
      Bookkeeping.migrate(connection, dialect, builder.ddl, now);
    }
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
    long start = System.nanoTime();
    String previous = REQUEST.get();
    REQUEST.set(requestID);
    try {
      HandlerResponse response = handlePush(authorization, body, start);
      metrics.pushed(response.status(), System.nanoTime() - start);
      return response;
    } finally {
      REQUEST.set(previous);
    }
  }

  private HandlerResponse handlePush(String authorization, InputStream body, long start) {
    String userID = authenticator.userID(authorization);
    if (userID == null) return HandlerResponse.error(401, "missing, invalid or expired token");
    PushRequest push;
    try {
      push = parse(body, PushRequest::read);
    } catch (BodyTooLarge e) {
      return refused("push", userID, HandlerResponse.bodyTooLarge(maxBodyBytes));
    } catch (JsonEncodingException | JsonDataException e) {
      return refused(
          "push", userID, HandlerResponse.error(400, "malformed push: " + e.getMessage()));
    } catch (IOException e) {
      return refused(
          "push",
          userID,
          HandlerResponse.error(400, "malformed or truncated push body: " + e.getMessage()));
    }
    String badID = badMutationID(push);
    if (badID != null) return refused("push", userID, HandlerResponse.error(400, badID));
    HandlerResponse response;
    int processed = 0;
    int failed = 0;
    long version = 0;
    if (push.pushVersion() != PushRequest.VERSION) {
      response = PushProcessor.ok(ErrorResponse.versionNotSupported(ErrorResponse.PUSH));
    } else if (!schemaVersions.supports(push.schemaVersion())) {
      response = PushProcessor.ok(schemaVersions.refusal(push.schemaVersion()));
    } else {
      try {
        PushProcessor.Outcome outcome = pushes.process(userID, push);
        response = outcome.response;
        processed = outcome.processed;
        failed = outcome.failed;
        version = outcome.version;
        if (version != 0) metrics.mutations(processed, failed);
        if (version != 0) pokes.poke(version, fanOut(push.clientGroupID(), version));
      } catch (Exception e) {
        log.error("push failed: group={}", push.clientGroupID(), e);
        response =
            HandlerResponse.error(500, "push failed; nothing was applied (see the server log)");
      }
    }
    if (log.isInfoEnabled())
      log.info(
          "push request={} group={} user={} mutations={} processed={} failed={} version={}"
              + " status={} ms={}",
          requestID(),
          push.clientGroupID(),
          userID,
          push.mutations().size(),
          processed,
          failed,
          version,
          response.status(),
          millisSince(start));
    return response;
  }

  /** Handles {@code POST /pull}; see {@link #pull(String, String, InputStream)}. */
  public HandlerResponse pull(String authorization, InputStream body) {
    return pull(authorization, null, body);
  }

  /** Handles {@code POST /pull}; its log lines carry {@code requestID} as a push's do. */
  public HandlerResponse pull(String authorization, String requestID, InputStream body) {
    long start = System.nanoTime();
    String previous = REQUEST.get();
    REQUEST.set(requestID);
    try {
      HandlerResponse response = handlePull(authorization, body, start);
      metrics.pulled(response.status(), System.nanoTime() - start);
      return response;
    } finally {
      REQUEST.set(previous);
    }
  }

  private HandlerResponse handlePull(String authorization, InputStream body, long start) {
    String userID = authenticator.userID(authorization);
    if (userID == null) return HandlerResponse.error(401, "missing, invalid or expired token");
    PullRequest pull;
    try {
      pull = parse(body, PullRequest::read);
    } catch (BodyTooLarge e) {
      return refused("pull", userID, HandlerResponse.bodyTooLarge(maxBodyBytes));
    } catch (JsonEncodingException | JsonDataException e) {
      return refused(
          "pull", userID, HandlerResponse.error(400, "malformed pull: " + e.getMessage()));
    } catch (IOException e) {
      return refused(
          "pull",
          userID,
          HandlerResponse.error(400, "malformed or truncated pull body: " + e.getMessage()));
    }
    HandlerResponse response;
    long version = 0;
    int ops = 0;
    if (pull.pullVersion() != PullRequest.VERSION) {
      response = PushProcessor.ok(ErrorResponse.versionNotSupported(ErrorResponse.PULL));
    } else if (!schemaVersions.supports(pull.schemaVersion())) {
      response = PushProcessor.ok(schemaVersions.refusal(pull.schemaVersion()));
    } else {
      try {
        PullProcessor.Outcome outcome = pulls.process(userID, pull);
        response = outcome.response;
        version = outcome.version;
        ops = outcome.ops;
      } catch (Exception e) {
        log.error("pull failed: group={}", pull.clientGroupID(), e);
        response = HandlerResponse.error(500, "pull failed (see the server log)");
      }
    }
    if (log.isInfoEnabled())
      log.info(
          "pull request={} group={} user={} cookie={} version={} ops={} status={} ms={}",
          requestID(),
          pull.clientGroupID(),
          userID,
          pull.cookie(),
          version,
          ops,
          response.status(),
          millisSince(start));
    return response;
  }

  /**
   * The groups the push at {@code version} pokes. The global version: every group (a commit changes
   * every group's view). With permissions: the pushing group, and those whose view it may have
   * changed ({@link ClientViewRecords#groupsChangedAt}), computed only when a stream is open.
   */
  private Pokes.FanOut fanOut(String groupID, long version) {
    if (records == null || !pokes.hasStreams()) return Pokes.FanOut.everyGroup();
    try {
      Set<String> groups = transactor.read(c -> records.groupsChangedAt(c, version));
      if (groups == null) return Pokes.FanOut.everyGroup();
      groups.add(groupID);
      return Pokes.FanOut.groups(groups);
    } catch (Exception e) {
      log.warn("poke fan-out of version {} failed; poking every group", version, e);
      return Pokes.FanOut.everyGroup();
    }
  }

  /**
   * Why a mutation ID of {@code push} is not one any client sends (they count 1, 2, 3 …), or null.
   * Left to the push rules, an ID of 0 or less would read as a resend: skipped, answered 200, and
   * the group claimed.
   */
  private static String badMutationID(PushRequest push) {
    List<Mutation> mutations = push.mutations();
    for (int i = 0; i < mutations.size(); i++) {
      long id = mutations.get(i).id();
      if (id < 1) {
        return "malformed push: mutation IDs start at 1, but $.mutations[" + i + "].id is " + id;
      }
    }
    return null;
  }

  /** Logs a request refused before it reached the database, at WARN, and returns the answer. */
  private static HandlerResponse refused(String kind, String userID, HandlerResponse answer) {
    log.warn(
        "{} refused: request={} user={} status={} {}",
        kind,
        requestID(),
        userID,
        answer.status(),
        answer.body());
    return answer;
  }

  /** The request ID of the request this thread handles, or {@code -}. */
  private static String requestID() {
    String id = REQUEST.get();
    if (id == null) id = MDC.get(REQUEST_ID);
    return HttpRoutes.safeRequestID(id);
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
    String userID = authenticator.userID(authorization);
    if (userID == null) {
      return Pokes.refused(HandlerResponse.error(401, "missing, invalid or expired token"));
    }
    if (clientGroupID == null || clientGroupID.isEmpty()) {
      return Pokes.refused(
          refused(
              "poke",
              userID,
              HandlerResponse.error(400, "the clientGroupID query parameter is missing")));
    }
    // Subscribed before the owner is read, so a claim in between reaches the subscription.
    Pokes.Subscription subscription = pokes.add(clientGroupID, userID, listener);
    String owner;
    try {
      owner = transactor.read(connection -> ClientGroups.groupOwner(connection, clientGroupID));
    } catch (Exception e) {
      subscription.close();
      log.error("poke stream failed: group={}", clientGroupID, e);
      return Pokes.refused(HandlerResponse.error(500, "poke stream failed (see the server log)"));
    }
    if (owner != null && !owner.equals(userID)) {
      subscription.close();
      return Pokes.refused(
          refused(
              "poke",
              userID,
              HandlerResponse.error(403, "this client group belongs to another user")));
    }
    if (owner != null) pokes.owner(clientGroupID, owner);
    return subscription;
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

  private interface Parser<T> {
    T read(JsonReader reader) throws IOException;
  }

  /** Reads at most {@code maxBodyBytes} and parses exactly one JSON document. */
  private <T> T parse(InputStream body, Parser<T> parser) throws IOException {
    Buffer buffer = new Buffer();
    Source source = Okio.source(body); // Reads straight into the buffer's segments.
    while (source.read(buffer, 8192) != -1) {
      if (buffer.size() > maxBodyBytes) {
        throw new BodyTooLarge("request body exceeds " + maxBodyBytes + " bytes");
      }
    }
    UnicodeCheck.check(buffer);
    JsonReader reader = JsonReader.of(buffer);
    T value = parser.read(reader);
    if (reader.peek() != JsonReader.Token.END_DOCUMENT) {
      throw new JsonDataException("trailing content after the JSON body at " + reader.getPath());
    }
    return value;
  }

  private static String millisSince(long start) {
    return String.format("%.2f", (System.nanoTime() - start) / 1e6);
  }

  /** The body is larger than the configured cap. */
  static final class BodyTooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooLarge(String message) {
      super(message);
    }
  }

  /** Builds a {@link Backend}. */
  public static final class Builder {
    private Database database;
    private Authenticator authenticator = Authenticator.dev();
    private SchemaVersions schemaVersions = SchemaVersions.all();
    private long maxBodyBytes = 4L << 20;
    private final Map<String, Mutator> mutators = new LinkedHashMap<>();
    private final List<String> ddl = new ArrayList<>();
    private ClientView clientView = (connection, since, out) -> {};
    private Schema schema;
    private Migrations migrations;
    private Permissions permissions;
    private boolean customView;
    private Mutators shared;
    private Moshi moshi;
    private final Mutators.Builder overrides = Mutators.builder();
    private boolean overridden;
    private Duration forgetClientsAfter;
    private Clock clock = Clock.systemUTC();

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
