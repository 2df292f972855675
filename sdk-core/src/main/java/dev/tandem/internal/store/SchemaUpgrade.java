package dev.tandem.internal.store;

import dev.tandem.Schema;
import dev.tandem.internal.app.SchemaDiff;
import dev.tandem.internal.app.SchemaJson;
import dev.tandem.internal.db.SqlConnection;

/**
 * What opening a database with a schema (and schema version) asks of the data stored under the one
 * it was last opened with ({@link Meta#SCHEMA}, {@link Meta#SCHEMA_VERSION}): nothing, an upgrade
 * in place (additive changes: {@link SchemaDiff#rebuildReason} is null), or a rebuild from the
 * server (anything else, and a database written by a newer schema version than the app's).
 * Immutable.
 */
final class SchemaUpgrade {
  private static final Schema NO_SCHEMA = Schema.builder().build();

  /**
   * The schema the data was stored under; null when unknown (a database from before it was kept).
   */
  final Schema stored;

  /** Why the local copy must be rebuilt from the server; null if it upgrades in place. */
  final String rebuildReason;

  /** True if the schema version changed: new mutations take a new clientID. */
  final boolean versionChanged;

  private final String schemaJson;
  private final String schemaVersion;

  private SchemaUpgrade(
      Schema stored,
      String rebuildReason,
      boolean versionChanged,
      String schemaJson,
      String schemaVersion) {
    this.stored = stored;
    this.rebuildReason = rebuildReason;
    this.versionChanged = versionChanged;
    this.schemaJson = schemaJson;
    this.schemaVersion = schemaVersion;
  }

  /** Compares what {@code db} was last opened with to {@code schema} and {@code schemaVersion}. */
  static SchemaUpgrade read(SqlConnection db, Schema schema, String schemaVersion) {
    Schema current = schema == null ? NO_SCHEMA : schema;
    String json = SchemaJson.write(current);
    String storedJson = Meta.get(db, Meta.SCHEMA);
    String storedVersion = Meta.get(db, Meta.SCHEMA_VERSION);
    boolean versionChanged = storedVersion != null && !storedVersion.equals(schemaVersion);
    Schema stored = null;
    String reason = null;
    if (newer(storedVersion, schemaVersion)) {
      reason =
          "the database was written by schema version "
              + storedVersion
              + ", newer than this app's "
              + schemaVersion;
    } else if (storedJson != null && !storedJson.equals(json)) {
      try {
        stored = SchemaJson.read(storedJson);
        reason = SchemaDiff.rebuildReason(stored, current);
      } catch (RuntimeException e) {
        reason = "the stored schema cannot be read (" + e.getMessage() + ")";
      }
    } else if (storedJson != null) {
      stored = current;
    }
    return new SchemaUpgrade(stored, reason, versionChanged, json, schemaVersion);
  }

  /** True if both are integers and {@code stored} is the greater. */
  private static boolean newer(String stored, String current) {
    if (stored == null) return false;
    try {
      return Long.parseLong(stored) > Long.parseLong(current);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Records the schema and version the data is now stored under, and the current clientID. */
  void record(SqlConnection db, String clientID) {
    Meta.set(db, Meta.SCHEMA, schemaJson);
    Meta.set(db, Meta.SCHEMA_VERSION, schemaVersion);
    Meta.set(db, Meta.CLIENT_ID, clientID);
  }
}
