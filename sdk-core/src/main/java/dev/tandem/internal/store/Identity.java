package dev.tandem.internal.store;

import dev.tandem.internal.Ids;
import java.io.File;

/**
 * A new database's identity (clientID, clientGroupID, profileID), made before its store opens so
 * that its first pull can be sent meanwhile ({@code internal.sync.FirstPull}). The IDs are made
 * once, by whichever thread asks first (making them loads {@code SecureRandom}), and {@link
 * LocalStore#open} records them in the new database's {@code tandem_meta}; a database that already
 * has an identity keeps its own, and {@link LocalStore#has} then says the two differ. Thread-safe.
 */
public final class Identity {
  private String clientID;
  private String clientGroupID;
  private String profileID;

  /** The IDs, made now if no thread made them yet. */
  private synchronized Identity made() {
    if (clientID == null) {
      clientID = Ids.newId();
      clientGroupID = Ids.newId();
      profileID = Ids.newId();
    }
    return this;
  }

  public String clientID() {
    return made().clientID;
  }

  public String clientGroupID() {
    return made().clientGroupID;
  }

  public String profileID() {
    return made().profileID;
  }

  /**
   * True if {@code file} is a database that does not exist yet: no file, and no write-ahead log or
   * rollback journal beside it (a crash may leave either, and SQLite would read it back). Anything
   * else takes the path of an existing database, which is always correct, only slower to start.
   */
  public static boolean isNew(File file) {
    String path = file.getPath();
    return !file.exists()
        && !new File(path + "-wal").exists()
        && !new File(path + "-journal").exists();
  }
}
