package dev.tandem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.ChatMutators.Increment;
import dev.tandem.protocol.Mutation;
import dev.tandem.protocol.ProtocolJson;
import dev.tandem.protocol.PushRequest;
import io.reactivex.rxjava3.schedulers.Schedulers;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Draining a backlog sends each mutation once, even when pulls and pushes overlap. */
class DrainTest {
  @TempDir Path directory;
  final MockWebServer server = new MockWebServer();
  final List<Long> received = new CopyOnWriteArrayList<>();
  final AtomicLong processed = new AtomicLong();
  final CountDownLatch secondPushArrived = new CountDownLatch(1);
  final CountDownLatch pullDuringSecondPush = new CountDownLatch(1);
  final CountDownLatch releasePull = new CountDownLatch(1);

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aPullThatOverlapsAPushDoesNotMakeThePusherSendItAgain() throws Exception {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            if (request.getUrl().encodedPath().endsWith("/push")) return push(request);
            return pull();
          }
        });
    server.start();
    try (Tandem tandem =
        ChatMutators.register(Tandem.builder())
            .databaseFile(new File(directory.toFile(), "drain.db"))
            .serverUrl(server.url("/api").toString())
            .pokeUrl(null)
            .pullInterval(0)
            .pushDelay(0)
            .maxPushBatch(100, 1 << 20)
            .scheduler(Schedulers.io())
            .networkAvailable(false)
            .build()) {
      for (int i = 0; i < 300; i++) tandem.mutate("increment", new Increment("k", 1));
      tandem.setNetworkAvailable(true);

      assertTrue(secondPushArrived.await(10, TimeUnit.SECONDS));
      // A pull requested while the second batch is in flight, answered after the last: its
      // snapshot has the first batch only, though the server has received all three by then.
      CountDownLatch pulled = new CountDownLatch(1);
      tandem.pull().subscribe(pulled::countDown);
      // Answer that pull only once every batch is in and the pusher has heard its last 200.
      tandem
          .status()
          .filter(status -> processed.get() == 300 && !status.pushing())
          .timeout(10, TimeUnit.SECONDS)
          .blockingFirst();
      releasePull.countDown();
      assertTrue(pulled.await(10, TimeUnit.SECONDS));
      // The pusher goes on from where it is: nothing the server has received is sent again.
      assertTrue(tandem.flush(20, TimeUnit.SECONDS));
    }
    assertEquals(300, received.size(), "each of 300 mutations sent once: " + duplicates());
  }

  @Test
  void aBacklogOfSmallMutationsGoesOutInPushesSizedByBytesNotByASmallCount() throws Exception {
    java.util.concurrent.atomic.AtomicInteger pushes =
        new java.util.concurrent.atomic.AtomicInteger();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            if (!request.getUrl().encodedPath().endsWith("/push")) return pull();
            pushes.incrementAndGet();
            return record(request);
          }
        });
    server.start();
    try (Tandem tandem =
        ChatMutators.register(Tandem.builder())
            .databaseFile(new File(directory.toFile(), "backlog.db"))
            .serverUrl(server.url("/api").toString())
            .pokeUrl(null)
            .pullInterval(0)
            .pushDelay(0)
            .scheduler(Schedulers.io())
            .networkAvailable(false)
            .build()) {
      for (int i = 0; i < 2000; i++) tandem.mutate("increment", new Increment("k", 1));
      tandem.setNetworkAvailable(true);
      assertTrue(tandem.flush(20, TimeUnit.SECONDS));
    }
    assertEquals(2000, received.size(), "each sent once: " + duplicates());
    assertEquals(1, pushes.get(), "2 000 small mutations (about 150 KB) in one push");
  }

  private MockResponse record(RecordedRequest request) {
    PushRequest push;
    try {
      push = ProtocolJson.moshi().adapter(PushRequest.class).fromJson(request.getBody().utf8());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    clientID = push.mutations().get(0).clientID();
    for (Mutation m : push.mutations()) {
      received.add(m.id());
      processed.accumulateAndGet(m.id(), Math::max);
    }
    return new MockResponse.Builder().body("{}").build();
  }

  private MockResponse push(RecordedRequest request) throws InterruptedException {
    PushRequest push;
    try {
      push = ProtocolJson.moshi().adapter(PushRequest.class).fromJson(request.getBody().utf8());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    clientID = push.mutations().get(0).clientID();
    boolean second = push.mutations().get(0).id() == 101 && secondPushArrived.getCount() > 0;
    if (second) {
      secondPushArrived.countDown();
      assertTrue(pullDuringSecondPush.await(10, TimeUnit.SECONDS));
    }
    for (Mutation m : push.mutations()) {
      received.add(m.id());
      processed.accumulateAndGet(m.id(), Math::max);
    }
    return new MockResponse.Builder().body("{}").build();
  }

  private MockResponse pull() throws InterruptedException {
    long snapshot = processed.get();
    if (secondPushArrived.getCount() == 0 && pullDuringSecondPush.getCount() > 0) {
      pullDuringSecondPush.countDown();
      assertTrue(releasePull.await(10, TimeUnit.SECONDS)); // When the test says.
    }
    String clients = snapshot == 0 ? "{}" : "{\"" + clientID() + "\":" + snapshot + "}";
    return new MockResponse.Builder()
        .body(
            "{\"cookie\":"
                + (snapshot + 1)
                + ",\"lastMutationIDChanges\":"
                + clients
                + ",\"patch\":[]}")
        .build();
  }

  private volatile String clientID;

  private String clientID() {
    return clientID;
  }

  private List<Long> duplicates() {
    List<Long> seen = new ArrayList<>();
    List<Long> twice = new ArrayList<>();
    for (Long id : received) {
      if (seen.contains(id)) twice.add(id);
      seen.add(id);
    }
    return twice;
  }
}
