package dev.tandem.server;

import com.squareup.moshi.Moshi;
import dev.tandem.Mutators;
import dev.tandem.Subset;
import dev.tandem.internal.app.JsonCodec;
import dev.tandem.internal.app.MigrationPlan;
import dev.tandem.internal.app.SchemaJson;
import dev.tandem.server.internal.schema.Access;
import dev.tandem.server.internal.schema.ClientViewRecords;
import dev.tandem.server.internal.schema.SchemaStorage;
import dev.tandem.server.internal.schema.SharedMutators;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link Backend.Builder} declared, put together and checked at build: the client schema
 * versions served (as set, or following the app's migrations), the mutators by name (hand-written
 * and the app's), the client view, the client view records of an app with permissions, and the
 * tables it sets up. A builder whose parts do not fit together fails here, before any table is
 * touched.
 */
final class ServedApp {
  final SchemaVersions schemaVersions;
  final Map<String, Mutator> mutators;
  final ClientView view;

  /** The row-version strategy's records, for an app with permissions; else null. */
  final ClientViewRecords records;

  private final Dialect dialect;
  private final List<String> ddl;
  private final MigrationPlan plan; // null without migrations
  private final SchemaStorage storage; // null without an app's schema, mutators or migrations

  ServedApp(Backend.Builder builder) {
    this.dialect = builder.database.dialect();
    this.ddl = builder.ddl;
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
    this.plan = plan;
    Map<String, Mutator> mutators = new LinkedHashMap<>(builder.mutators);
    ClientView view = builder.clientView;
    SchemaStorage storage = null;
    Access access = null;
    if (builder.schema != null || builder.shared != null || builder.overridden || plan != null) {
      Moshi moshi = builder.moshi != null ? builder.moshi : new Moshi.Builder().build();
      JsonCodec codec = new JsonCodec(moshi);
      storage =
          plan != null
              ? new SchemaStorage(plan, dialect, codec)
              : new SchemaStorage(builder.schema, dialect, codec);
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
    this.storage = storage;
    this.view = view;
    this.records = access == null ? null : new ClientViewRecords(storage, access);
    // A subset choice is recorded for its client group (the app's own mutator is the client's).
    if (records != null && records.hasSubset()) {
      mutators.put(Subset.MUTATOR, records.subsetMutator());
    }
    this.mutators = mutators;
  }

  /**
   * Creates what is missing, checks the app's tables or migrates them, and runs the hand-written
   * DDL, with client activity starting at {@code now}. Instances starting together must take turns
   * ({@link Bookkeeping#migrationLock}).
   */
  void setUpTables(Connection connection, long now) throws SQLException {
    if (plan != null) {
      // Migrations take sync versions for the rows they change: the version row comes first.
      Bookkeeping.migrate(connection, dialect, ddl, now);
      storage.migrate(connection);
    } else {
      // The app's tables are checked before anything is created: a mismatch changes nothing.
      if (storage != null) storage.migrate(connection);
      Bookkeeping.migrate(connection, dialect, ddl, now);
    }
    if (records != null) records.migrate(connection);
  }
}
