package dev.tandem.internal;

import com.squareup.moshi.Moshi;
import dev.tandem.Mutators;
import dev.tandem.ReadQuery;
import dev.tandem.Schema;
import dev.tandem.SchemaViolationListener;
import dev.tandem.internal.app.BoundMutators;
import dev.tandem.internal.app.JsonCodec;
import dev.tandem.internal.db.SqlDriver;
import dev.tandem.internal.mutation.Mutations;
import dev.tandem.internal.mutation.RealReadTransaction;
import dev.tandem.internal.rebase.PullApplier;
import dev.tandem.internal.rebase.SchemaRecovery;
import dev.tandem.internal.store.KeySet;
import dev.tandem.internal.store.LocalStore;
import dev.tandem.protocol.Cookie;

/** The engine's parts without the sync loops, for tests of the store, mutations and rebase. */
public final class Engine {
  public final LocalStore store;
  public final String clientID;
  public final PullApplier applier;
  private final Mutations mutations;

  /** Schema changes' and forgotten groups' handling of what is pending. */
  public final SchemaRecovery recovery;

  private Engine(LocalStore store, Mutations mutations) {
    this.store = store;
    this.clientID = store.clientID();
    this.mutations = mutations;
    this.applier = new PullApplier(store, mutations);
    this.recovery = new SchemaRecovery(store, mutations);
  }

  public static Engine open(
      SqlDriver driver,
      Schema schema,
      Mutators.Builder mutators,
      SchemaViolationListener violations) {
    String version = schema == null ? "" : Integer.toString(schema.version());
    return open(driver, schema, version, mutators, violations);
  }

  /** Opens with {@code schemaVersion}, rebuilding the local copy first if the schema asks. */
  public static Engine open(
      SqlDriver driver,
      Schema schema,
      String schemaVersion,
      Mutators.Builder mutators,
      SchemaViolationListener violations) {
    return open(driver, schema, schemaVersion, mutators, violations, new Moshi.Builder().build());
  }

  /** {@link #open} with the app's {@code moshi}. */
  public static Engine open(
      SqlDriver driver,
      Schema schema,
      String schemaVersion,
      Mutators.Builder mutators,
      SchemaViolationListener violations,
      Moshi moshi) {
    LocalStore store =
        LocalStore.open(driver, schema, schemaVersion, new JsonCodec(moshi), violations);
    Mutations mutations =
        new Mutations(store, BoundMutators.bind(mutators.build(), moshi), 1 << 20);
    new SchemaRecovery(store, mutations).rebuildIfNeeded();
    return new Engine(store, mutations);
  }

  public static Engine open(SqlDriver driver, Schema schema, Mutators.Builder mutators) {
    return open(driver, schema, mutators, (table, key, json, problem) -> {});
  }

  public long mutate(String name, Object args, double timestamp) {
    return mutations.mutate(name, args, timestamp);
  }

  public <T> T read(ReadQuery<T> query, KeySet reads) throws Exception {
    return RealReadTransaction.run(store, query, reads);
  }

  public long pendingCount() {
    return store.pendingCount();
  }

  public Cookie cookie() {
    return store.cookie();
  }
}
