package dev.tandem;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.LiveQueryMemoPropertyTest.Put;
import dev.tandem.LiveQueryMemoPropertyTest.Puts;
import io.reactivex.rxjava3.subscribers.TestSubscriber;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link LiveQueryMemoPropertyTest} with pulls: random patches (puts, deletes, now and then a
 * clear) that confirm some of the pending mutations, so the rebase reverts and replays them, mixed
 * with local mutations; after each step every watch has emitted what its query reads from SQLite.
 * Against MockWebServer, time on a TestScheduler. Seeded: {@code -Dtandem.seed=N} replays one.
 */
class LiveQueryMemoSyncPropertyTest extends SyncFixture {
  @Test
  void reRunsFromMemoFollowPullsAndRebases() throws Exception {
    LiveQueryMemoPropertyTest.forSeeds(30, this::run);
  }

  private long run(long seed) throws Exception {
    Random random = new Random(seed);
    pulls.clear();
    enqueue(EMPTY_PULL);
    tandem =
        LiveQueryMemoPropertyTest.withPuts(builder())
            .databaseFile(new File(directory.toFile(), "sync-" + seed + ".db"))
            .pushUrl(null)
            .build();
    try {
      scheduler.triggerActions();
      takeRequest(); // The start-up pull.
      List<ReadQuery<List<String>>> queries = new ArrayList<>();
      List<TestSubscriber<List<String>>> watches = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        ReadQuery<List<String>> query = LiveQueryMemoPropertyTest.query(random, 0);
        queries.add(query);
        watches.add(tandem.watch(query).test());
      }
      int cookie = 1;
      long made = 0;
      long confirmed = 0;
      for (int step = 0; step < 40; step++) {
        if (random.nextInt(3) == 0) {
          List<String> ops = new ArrayList<>();
          if (random.nextInt(15) == 0) ops.add("{\"op\":\"clear\"}");
          int n = random.nextInt(4);
          for (int i = 0; i < n; i++) ops.add(op(LiveQueryMemoPropertyTest.change(random)));
          String ids = "{}";
          if (made > confirmed && random.nextBoolean()) {
            confirmed += 1 + random.nextInt((int) (made - confirmed));
            ids = confirmed(confirmed);
          }
          enqueue(pullResponse(++cookie, ids, ops.toArray(new String[0])));
          tandem.pull().test();
          scheduler.triggerActions();
          takeRequest();
        } else {
          List<Put> puts = new ArrayList<>();
          int n = 1 + random.nextInt(2);
          for (int i = 0; i < n; i++) puts.add(LiveQueryMemoPropertyTest.change(random));
          tandem.mutate("puts", new Puts(puts, false));
          made++;
        }
        LiveQueryMemoPropertyTest.assertEmittedWhatSqliteReads(
            tandem, queries, watches, " after step " + step);
      }
      assertTrue(made > 0);
      return made;
    } finally {
      tandem.close();
      tandem = null;
    }
  }

  private static String op(Put put) {
    String key = json(put.key);
    if (put.value == null) return "{\"op\":\"del\",\"key\":" + key + "}";
    return "{\"op\":\"put\",\"key\":"
        + key
        + ",\"value\":"
        + new com.squareup.moshi.Moshi.Builder().build().adapter(Object.class).toJson(put.value)
        + "}";
  }

  private static String json(String text) {
    return new com.squareup.moshi.Moshi.Builder().build().adapter(String.class).toJson(text);
  }
}
