package dev.tandem.internal.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JVM store's connection settings. */
class JdbcSqlDriverSettingsTest {
  @TempDir Path folder;

  private static long pragma(SqlConnection connection, String name) {
    try (SqlCursor cursor = connection.query("PRAGMA " + name)) {
      assertTrue(cursor.next());
      return cursor.getLong(0);
    }
  }

  @Test
  void theWriterMayCacheSixteenMebibytesAndReadersKeepTheDefault() {
    JdbcSqlDriver driver = new JdbcSqlDriver(folder.resolve("s.db").toFile(), false);
    try {
      assertEquals(-16384, pragma(driver.writer(), "cache_size"));
      assertEquals(1, pragma(driver.writer(), "synchronous"), "NORMAL");
      SqlConnection reader = driver.acquireReader();
      try {
        assertEquals(-2000, pragma(reader, "cache_size"));
      } finally {
        driver.releaseReader(reader);
      }
    } finally {
      driver.close();
    }
  }
}
