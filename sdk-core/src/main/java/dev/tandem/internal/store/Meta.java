package dev.tandem.internal.store;

import dev.tandem.internal.db.SqlConnection;
import dev.tandem.internal.db.SqlCursor;
import dev.tandem.protocol.Cookie;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client's own facts: {@code tandem_meta} (identity, cookie, a disabled reason, the schema last
 * opened with) and {@code tandem_confirmed} (the last mutation ID the server confirmed, per client
 * of the group).
 */
public final class Meta {
  public static final String CLIENT_ID = "clientID";
  public static final String CLIENT_GROUP_ID = "clientGroupID";
  public static final String PROFILE_ID = "profileID";
  public static final String COOKIE = "cookie";
  public static final String DISABLED = "disabled";

  /** The schema the synced data was last stored under, as {@code SchemaJson}. */
  public static final String SCHEMA = "schema";

  /** The schema version ({@code schemaVersion}) the database was last opened with. */
  public static final String SCHEMA_VERSION = "schemaVersion";

  private Meta() {}

  public static String get(SqlConnection db, String key) {
    try (SqlCursor cursor = db.query("SELECT value FROM tandem_meta WHERE key = ?", key)) {
      return cursor.next() ? cursor.getString(0) : null;
    }
  }

  public static void remove(SqlConnection db, String key) {
    db.execute("DELETE FROM tandem_meta WHERE key = ?", key);
  }

  public static void set(SqlConnection db, String key, String value) {
    db.execute("INSERT OR REPLACE INTO tandem_meta (key, value) VALUES (?, ?)", key, value);
  }

  public static Cookie cookie(SqlConnection db) {
    String json = get(db, COOKIE);
    return json == null ? Cookie.NULL : Cookie.parse(json);
  }

  public static void setCookie(SqlConnection db, Cookie cookie) {
    set(db, COOKIE, cookie.toString());
  }

  /** The last mutation ID the server confirmed, by clientID. */
  public static Map<String, Long> confirmed(SqlConnection db) {
    Map<String, Long> result = new LinkedHashMap<>();
    try (SqlCursor cursor = db.query("SELECT client_id, last_mutation_id FROM tandem_confirmed")) {
      while (cursor.next()) result.put(cursor.getString(0), cursor.getLong(1));
    }
    return result;
  }

  public static void setConfirmed(SqlConnection db, String clientID, long lastMutationID) {
    db.execute(
        "INSERT OR REPLACE INTO tandem_confirmed (client_id, last_mutation_id) VALUES (?, ?)",
        clientID,
        lastMutationID);
  }
}
