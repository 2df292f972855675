package dev.tandem.internal.app;

import com.squareup.moshi.Moshi;
import dev.tandem.KeyValue;
import dev.tandem.Mutators;
import dev.tandem.Row;
import java.util.Map;

/**
 * What Tandem's engines (the client's and the server's) reach in the API package beyond the API:
 * the constructors of the values a read returns (OkHttp 3's {@code okhttp3.internal.Internal}).
 * Installed by {@link Row}'s static initializer. Not an API: it may change in any release.
 */
public abstract class ApiAccess {
  private static volatile ApiAccess instance;

  /** Called once, by {@link Row}'s static initializer. */
  public static void install(ApiAccess access) {
    instance = access;
  }

  /** The installed instance (loading {@link Row} installs it). */
  public static ApiAccess get() {
    if (instance == null) {
      try {
        Class.forName(Row.class.getName(), true, ApiAccess.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new AssertionError(e);
      }
    }
    return instance;
  }

  /** A scan entry whose value {@code codec} maps on demand. */
  public abstract KeyValue keyValue(String key, String json, JsonCodec codec);

  /** A query result row; {@code related} stays writable through {@link #setRelated}. */
  public abstract Row row(
      String key, Map<String, Object> values, Map<String, Object> related, JsonCodec codec);

  /** Sets a loaded relationship on {@code row}, while the query that made it runs. */
  public abstract void setRelated(Row row, String name, Object rowOrRows);

  /** {@link BoundMutators#bind}. */
  public abstract BoundMutators bind(Mutators mutators, Moshi moshi);
}
