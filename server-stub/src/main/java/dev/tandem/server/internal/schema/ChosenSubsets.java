package dev.tandem.server.internal.schema;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The subsets client groups chose ({@link dev.tandem.Subset}), in {@code tandem_subset}. */
final class ChosenSubsets {
  private ChosenSubsets() {}

  /**
   * The server's {@link dev.tandem.Subset#MUTATOR}: records the keys chosen (strings or numbers, or
   * null for everything) for the push's client group.
   */
  static dev.tandem.server.Mutator mutator() {
    return (context, args) -> {
      Object value = args.reader().readJsonValue();
      if (!(value instanceof Map)) {
        throw new IllegalArgumentException(
            "a subset choice is {\"keys\": [...]} or {\"keys\": null}");
      }
      Object keys = ((Map<?, ?>) value).get("keys");
      String json = null;
      if (keys != null) {
        if (!(keys instanceof List))
          throw new IllegalArgumentException("keys must be a list or null");
        List<Object> distinct = new ArrayList<>();
        for (Object key : (List<?>) keys) {
          if (!(key instanceof String) && !(key instanceof Double)) {
            throw new IllegalArgumentException("a subset key is a string or a number, not " + key);
          }
          if (!distinct.contains(key)) distinct.add(key);
        }
        json = MOSHI.adapter(Object.class).toJson(distinct);
      }
      PreparedStatement upsert =
          context.statement(
              "INSERT INTO tandem_subset (client_group_id, keys, version) VALUES (?, ?, ?)"
                  + " ON CONFLICT (client_group_id) DO UPDATE SET keys = excluded.keys,"
                  + " version = excluded.version");
      upsert.setString(1, context.clientGroupID());
      upsert.setString(2, json);
      upsert.setLong(3, context.version());
      upsert.executeUpdate();
    };
  }

  private static final com.squareup.moshi.Moshi MOSHI =
      new com.squareup.moshi.Moshi.Builder().build();

  /** The keys {@code groupID} chose, as JSON; null for none chosen (or everything). */
  static String json(Connection connection, String groupID) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT keys FROM tandem_subset WHERE client_group_id = ?")) {
      statement.setString(1, groupID);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? rows.getString(1) : null;
      }
    }
  }

  @SuppressWarnings("unchecked")
  static List<Object> keys(String json) {
    try {
      return (List<Object>) MOSHI.adapter(Object.class).fromJson(json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
