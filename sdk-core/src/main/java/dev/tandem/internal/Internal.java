package dev.tandem.internal;

import dev.tandem.Tandem;
import dev.tandem.internal.store.SqlDriverFactory;
import java.io.Closeable;

/**
 * Hooks that Tandem's platform modules (sdk-android) use to configure a {@link Tandem.Builder}
 * beyond its public options. Not an API: it may change in any release.
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
