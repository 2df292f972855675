package dev.tandem.internal;

import dev.tandem.Tandem;
import dev.tandem.internal.db.SqlDriverFactory;
import java.io.Closeable;

/**
 * What the engine reaches in the public package beyond the API, and the hooks that Tandem's
 * platform modules (sdk-android) use to configure a {@link Tandem.Builder} beyond its public
 * options (OkHttp 3's {@code okhttp3.internal.Internal}). Not an API: it may change in any release.
 */
public abstract class Internal {
  private static volatile Internal instance;

  /** Something that lives as long as a Tandem instance, such as a platform callback. */
  public interface Attachment {
    /** Called once the instance is built and syncing; closed when the instance closes. */
    Closeable attach(Tandem tandem);
  }

  /** Called once, by {@link Tandem}'s static initializer. */
  public static void install(Internal internal) {
    instance = internal;
  }

  /** The installed instance (loading {@link Tandem} installs it). */
  public static Internal get() {
    if (instance == null) {
      try {
        Class.forName(Tandem.class.getName(), true, Internal.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new AssertionError(e);
      }
    }
    return instance;
  }

  /** Stores the database through {@code factory} instead of sqlite-jdbc. */
  public abstract void driverFactory(Tandem.Builder builder, SqlDriverFactory factory);

  /** Attaches {@code attachment} to the instance {@code builder} builds. */
  public abstract void attach(Tandem.Builder builder, Attachment attachment);
}
