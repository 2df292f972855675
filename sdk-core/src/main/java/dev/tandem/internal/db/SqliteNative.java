package dev.tandem.internal.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Loads sqlite-jdbc's native library and makes its connection settings once per process, each on
 * the first thread that asks ({@code build()} opens the store on a thread of its own, and its own
 * thread makes the settings meanwhile when it has the time).
 *
 * <p>Left to itself, sqlite-jdbc copies its native library (about 1 MB) out of its jar into the
 * temp folder under a new random name at every start, compares the copy byte by byte with the
 * resource, loads it and deletes it at exit: a fresh process pays that every time. Here the library
 * is copied once into a per-user cache folder ({@value #CACHE_PROPERTY}, default {@code
 * $XDG_CACHE_HOME/tandem} or {@code ~/.cache/tandem}), under a name carrying the driver's version,
 * and later processes load that copy (sqlite-jdbc's own {@code org.sqlite.lib.path}, set only for
 * the load). The copy is written under a temporary name and renamed, so a half-written file never
 * carries the final name; it is used only if the folder and file are not writable by others
 * (POSIX). Besides the copy, sqlite-jdbc's platform detection starts a process ({@code uname -o})
 * at every start; with the copy found, it is not run at all. Anything unexpected (no such folder, a
 * read-only home, an app that set {@code org.sqlite.lib.path} itself, {@code -D}{@value
 * #CACHE_PROPERTY}{@code =off}) leaves sqlite-jdbc to its own way.
 */
@JvmOnly // java.nio.file: the JVM store only.
public final class SqliteNative {
  /** A folder for the cached library, or {@code off}. */
  static final String CACHE_PROPERTY = "dev.tandem.sqliteNativeCache";

  private static final String LIB_PATH = "org.sqlite.lib.path";
  private static final String LIB_NAME = "org.sqlite.lib.name";
  private static final String TMPDIR = "org.sqlite.tmpdir";

  private static final FutureTask<Void> LOAD =
      new FutureTask<>(
          () -> {
            loadNow();
            return null;
          });

  /**
   * The connection settings build a date formatter (locale and time-zone data), the slowest part of
   * a first connection after the library itself; sqlite-jdbc caches it from then on. A task of its
   * own, so another thread can do it while this one loads the library.
   */
  private static final FutureTask<Void> SETTINGS =
      new FutureTask<>(
          () -> {
            new SQLiteConfig();
            return null;
          });

  private SqliteNative() {}

  /**
   * Makes sqlite-jdbc's connection settings on this thread, unless another thread does or did: for
   * a thread with time while another opens the database.
   */
  public static void prepareSettings() {
    SETTINGS.run(); // Returns at once if another thread runs or ran it.
  }

  /** Loads on this thread, or waits for the load already under way; the same for the settings. */
  public static void load() {
    await(LOAD);
    await(SETTINGS);
  }

  private static void await(FutureTask<Void> task) {
    task.run(); // Returns at once if another thread runs or ran it.
    try {
      task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // sqlite-jdbc reports its own failure again when the connection is opened.
    }
  }

  private static void loadNow() throws Exception {
    Path cached = null;
    if (System.getProperty(LIB_PATH) == null && System.getProperty(LIB_NAME) == null) {
      try {
        cached = cachedLibrary(cacheFolder());
      } catch (IOException | RuntimeException e) {
        cached = null; // sqlite-jdbc extracts it itself.
      }
    }
    if (cached == null) {
      SQLiteJDBCLoader.initialize();
    } else {
      System.setProperty(LIB_PATH, cached.getParent().toString());
      System.setProperty(LIB_NAME, cached.getFileName().toString());
      // Its start-up also lists its temp folder for copies that earlier processes left (hundreds
      // of files in a busy /tmp); pointed at the cache folder, where it copies nothing, it lists
      // one file.
      boolean tmpdir = System.getProperty(TMPDIR) == null;
      if (tmpdir) System.setProperty(TMPDIR, cached.getParent().toString());
      try {
        SQLiteJDBCLoader.initialize(); // Loads once per process: the properties are not read again.
      } finally {
        System.clearProperty(LIB_PATH);
        System.clearProperty(LIB_NAME);
        if (tmpdir) System.clearProperty(TMPDIR);
      }
    }
  }

  /** The cache folder, or null for none. */
  static Path cacheFolder() {
    String configured = System.getProperty(CACHE_PROPERTY);
    if (configured != null) {
      return configured.equalsIgnoreCase("off") ? null : Paths.get(configured);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isEmpty()) return Paths.get(xdg, "tandem");
    String home = System.getProperty("user.home");
    if (home == null || home.isEmpty() || home.equals("?")) return null;
    return Paths.get(home, ".cache", "tandem");
  }

  /**
   * The library for this platform copied into {@code folder}, copied now if it is not there yet;
   * null if it cannot be used. The copy is found by the driver's version and the JVM's {@code
   * os.name} and {@code os.arch} alone: sqlite-jdbc's own platform detection starts a process
   * ({@code uname -o}, to tell Termux), so it runs only when the copy is made. Should the copy not
   * suit (a musl and a glibc system sharing a home folder), loading it fails and sqlite-jdbc falls
   * back to its own extraction.
   */
  static Path cachedLibrary(Path folder) throws IOException {
    if (folder == null) return null;
    String name = LibraryLoaderUtil.getNativeLibName();
    String platform =
        (System.getProperty("os.name") + "-" + System.getProperty("os.arch"))
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9_.-]+", "_");
    Path dir = folder.resolve("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion() + "-" + platform);
    Path library = dir.resolve(name);
    if (Files.isRegularFile(library)) return private_(dir, library) ? library : null;
    String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name;
    try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
      if (in == null) return null; // No library for this platform in the jar.
      createPrivateDirectories(dir);
      if (!private_(dir, null)) return null;
      Path temp = Files.createTempFile(dir, name, ".tmp");
      try {
        Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
        try {
          Files.move(temp, library, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, library, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temp);
      }
    }
    return private_(dir, library) ? library : null;
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  private static void createPrivateDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) return;
    Path parent = dir.getParent();
    if (parent != null) Files.createDirectories(parent);
    if (posix()) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(dir);
    }
  }

  /** No one but this user can change the folder or the library (always true off POSIX). */
  private static boolean private_(Path dir, Path library) throws IOException {
    if (!posix()) return true;
    for (Path path : new Path[] {dir, library}) {
      if (path == null) continue;
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
      if (permissions.contains(PosixFilePermission.GROUP_WRITE)
          || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
        return false;
      }
      if (!Files.getOwner(path).getName().equals(System.getProperty("user.name"))) return false;
    }
    return true;
  }
}
