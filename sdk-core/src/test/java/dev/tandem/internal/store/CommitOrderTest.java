package dev.tandem.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.squareup.moshi.Moshi;
import dev.tandem.Schema;
import dev.tandem.internal.app.JsonCodec;
import dev.tandem.internal.db.JdbcSqlDriver;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit listener hears commits one at a time and in commit order, on a real SQLite file: a
 * commit made while another thread is still telling the listener about an earlier one is told after
 * it (by that thread), and its own write returns without waiting. A live query's memo patches its
 * reads in the order the listener hears them.
 */
class CommitOrderTest {
  @TempDir Path directory;

  @Test
  void aCommitMadeWhileAnEarlierOneIsBeingToldIsToldAfterIt() throws Exception {
    JdbcSqlDriver driver = new JdbcSqlDriver(new File(directory.toFile(), "order.db"), false);
    LocalStore store =
        LocalStore.open(
            driver,
            Schema.builder().build(),
            "1",
            new JsonCodec(new Moshi.Builder().build()),
            (t, k, j, p) -> {});
    List<String> heard = Collections.synchronizedList(new ArrayList<String>());
    CountDownLatch firstHeard = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    store.setListener(
        changes -> {
          String key = changes.keysOnly().iterator().next();
          heard.add("start " + key);
          if (key.equals("k/1")) {
            firstHeard.countDown();
            try {
              release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          heard.add("end " + key);
        });
    ExecutorService first = Executors.newSingleThreadExecutor();
    try {
      Future<?> one = first.submit(() -> put(store, "k/1"));
      assertTrue(firstHeard.await(10, TimeUnit.SECONDS));
      put(store, "k/2"); // Returns at once: the first thread is telling, and will tell this too.
      assertEquals(java.util.Arrays.asList("start k/1"), new ArrayList<>(heard));
      release.countDown();
      one.get(10, TimeUnit.SECONDS);
      assertEquals(java.util.Arrays.asList("start k/1", "end k/1", "start k/2", "end k/2"), heard);
    } finally {
      release.countDown();
      first.shutdownNow();
      store.close();
      driver.close();
    }
  }

  private static void put(LocalStore store, String key) {
    store.writeUnchecked(
        write -> {
          write.view().put(write.db, key, "1");
          write.changes.addChange(key, "1");
          return null;
        });
  }
}
