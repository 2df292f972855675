package dev.tandem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.ChatMutators.Increment;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import io.reactivex.rxjava3.schedulers.Schedulers;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing at any moment is silent: nothing thrown, nothing sent to RxJava's error handler. */
class CloseTest {
  @TempDir Path directory;
  final MockWebServer server = new MockWebServer();
  final List<Throwable> undelivered = new CopyOnWriteArrayList<>();
  final CountDownLatch anyUndelivered = new CountDownLatch(1);

  @BeforeEach
  void start() throws Exception {
    RxJavaPlugins.setErrorHandler(
        e -> {
          undelivered.add(e);
          anyUndelivered.countDown();
        });
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            // Slow answers, so that close() lands while requests are in flight.
            return new MockResponse.Builder()
                .headersDelay(20, TimeUnit.MILLISECONDS)
                .body(SyncFixture.EMPTY_PULL)
                .build();
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    RxJavaPlugins.setErrorHandler(null);
    server.close();
  }

  @Test
  void closingAtAnyMomentUnderLoadIsSilent() throws Exception {
    for (int round = 0; round < 20; round++) {
      Tandem tandem =
          ChatMutators.register(Tandem.builder())
              .databaseFile(new File(directory.toFile(), "close-" + round + ".db"))
              .serverUrl(server.url("/api").toString())
              .scheduler(Schedulers.io())
              .queryScheduler(Schedulers.io())
              .pushDelay(0)
              .build();
      List<Disposable> watches = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String key = "counter/k" + (i % 4);
        // No error consumer: an error would reach the global handler, as it crashes an app.
        watches.add(tandem.watch(tx -> tx.get(key) == null ? 0L : 1L).subscribe(value -> {}));
      }
      for (int i = 0; i < 5 + round; i++) tandem.mutate("increment", new Increment("k" + i % 4, 1));
      for (int i = 0; i < watches.size(); i += 2) watches.get(i).dispose();
      tandem.close(); // Pull and push in flight, live queries re-running.
      tandem.close(); // Idempotent.
    }
    // Work already running on other threads finishes after close(): give it a moment to fail.
    anyUndelivered.await(500, TimeUnit.MILLISECONDS);
    assertEquals(
        0,
        undelivered.size(),
        () ->
            undelivered.size() + " errors reached RxJava's handler, first: " + undelivered.get(0));
  }

  @Test
  void aClosedInstanceRefusesUseWithAClearMessage() throws Exception {
    Tandem tandem =
        ChatMutators.register(Tandem.builder())
            .databaseFile(new File(directory.toFile(), "closed.db"))
            .build();
    tandem.close();
    IllegalStateException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalStateException.class, () -> tandem.mutate("increment", new Increment("a", 1)));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }
}
