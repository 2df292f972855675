package dev.tandem.internal.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sqlite-jdbc's native library, copied once into a cache folder instead of at every start. */
class SqliteNativeTest {
  @TempDir Path folder;

  @Test
  void theLibraryIsCopiedOnceAndThenReused() throws Exception {
    Path first = SqliteNative.cachedLibrary(folder);
    assertNotNull(first, "a library for this platform is in the jar");
    assertTrue(first.startsWith(folder));
    assertTrue(first.getParent().getFileName().toString().startsWith("sqlite-jdbc-"));
    long size = Files.size(first);
    assertTrue(size > 100_000, "the whole library: " + size);
    FileTime old = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(first, old);

    Path second = SqliteNative.cachedLibrary(folder);

    assertEquals(first, second);
    assertEquals(old, Files.getLastModifiedTime(second), "not written again");
    try (java.util.stream.Stream<Path> files = Files.list(first.getParent())) {
      assertEquals(1, files.count(), "no temporary file left behind");
    }
  }

  @Test
  void theCopyIsTheLibraryInTheJar() throws Exception {
    Path library = SqliteNative.cachedLibrary(folder);
    String resource =
        org.sqlite.util.LibraryLoaderUtil.getNativeLibResourcePath()
            + "/"
            + org.sqlite.util.LibraryLoaderUtil.getNativeLibName();
    try (java.io.InputStream in = org.sqlite.SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
      org.junit.jupiter.api.Assertions.assertArrayEquals(
          in.readAllBytes(), Files.readAllBytes(library));
    }
  }

  @Test
  void aFolderOthersCanWriteIsNotUsed() throws Exception {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    Path library = SqliteNative.cachedLibrary(folder);
    Files.setPosixFilePermissions(
        library.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));

    assertNull(SqliteNative.cachedLibrary(folder), "someone else could have replaced it");

    Files.setPosixFilePermissions(
        library.getParent(), PosixFilePermissions.fromString("rwx------"));
    Files.setPosixFilePermissions(library, PosixFilePermissions.fromString("rw-rw-rw-"));
    assertNull(SqliteNative.cachedLibrary(folder), "nor a library others can write");
  }

  @Test
  void theCacheCanBeTurnedOffOrPlaced() {
    String before = System.getProperty(SqliteNative.CACHE_PROPERTY);
    try {
      System.setProperty(SqliteNative.CACHE_PROPERTY, "off");
      assertNull(SqliteNative.cacheFolder());
      System.setProperty(SqliteNative.CACHE_PROPERTY, folder.toString());
      assertEquals(folder, SqliteNative.cacheFolder());
    } finally {
      if (before == null) {
        System.clearProperty(SqliteNative.CACHE_PROPERTY);
      } else {
        System.setProperty(SqliteNative.CACHE_PROPERTY, before);
      }
    }
  }

  @Test
  void loadingLeavesSqliteJdbcsPropertiesAsTheyWere() throws Exception {
    SqliteNative.load();
    assertNull(System.getProperty("org.sqlite.lib.path"));
    assertNull(System.getProperty("org.sqlite.lib.name"));
    File file = folder.resolve("t.db").toFile();
    SqlDriver driver = new JdbcSqlDriver(file, false);
    try {
      driver.writer().execute("CREATE TABLE t (x)");
    } finally {
      driver.close();
    }
  }
}
