package dev.tandem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.ChatMutators.CreateMessage;
import dev.tandem.ChatMutators.Increment;
import dev.tandem.ChatMutators.Message;
import dev.tandem.ChatMutators.UpdateMessage;
import io.reactivex.rxjava3.observers.TestObserver;
import io.reactivex.rxjava3.schedulers.Schedulers;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clients against the real server stub (in-process, over HTTP), time on a TestScheduler. */
class StubServerSyncTest {
  @TempDir Path directory;
  StubServer server;
  final TestScheduler scheduler = new TestScheduler();
  final List<Tandem> clients = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = new StubServer(directory);
  }

  @AfterEach
  void stop() throws Exception {
    for (Tandem client : clients) client.close();
    server.close();
  }

  Tandem client(String name) {
    Tandem client =
        ChatMutators.register(Tandem.builder())
            .databaseFile(new File(directory.toFile(), name + ".db"))
            .serverUrl(server.url())
            .pokeUrl(null)
            .pullInterval(0)
            .scheduler(scheduler)
            .queryScheduler(Schedulers.trampoline())
            .auth(AuthProvider.of("alice")) // Every client is one of alice's: she sends as alice.
            .build();
    clients.add(client);
    scheduler.triggerActions();
    return client;
  }

  void flush(Tandem client) {
    AtomicBoolean done = new AtomicBoolean();
    TestObserver<Void> flushed = client.flush().doOnTerminate(() -> done.set(true)).test();
    for (int i = 0; i < 20 && !done.get(); i++) {
      scheduler.advanceTimeBy(1, TimeUnit.SECONDS);
    }
    flushed.assertComplete();
  }

  void pull(Tandem client) {
    TestObserver<Void> pulled = client.pull().test();
    scheduler.triggerActions();
    pulled.assertComplete();
  }

  static Message message(Tandem client, String id) throws Exception {
    return client.query(tx -> tx.get("message/" + id, Message.class));
  }

  static Long counter(Tandem client, String key) throws Exception {
    return client.query(tx -> tx.get("counter/" + key, Long.class));
  }

  /**
   * Once the server has confirmed every mutation and the queue is empty, the next ones are pushed
   * too: queue positions are not reused while the store is open (the pusher goes on after the last
   * position it sent).
   */
  @Test
  void mutationsMadeAfterTheQueueEmptiedArePushed() throws Exception {
    Tandem a = client("a");
    a.mutate("increment", new Increment("k", 1));
    a.mutate("increment", new Increment("k", 1));
    flush(a);
    assertEquals(0, a.pendingMutations().size());

    a.mutate("increment", new Increment("k", 5));
    flush(a);

    assertEquals(0, a.pendingMutations().size());
    Tandem b = client("b");
    pull(b);
    assertEquals(7L, counter(b, "k"));
  }

  @Test
  void twoClientsConvergeIncludingConcurrentEditsOfTheSameKey() throws Exception {
    Tandem ann = client("ann");
    Tandem bob = client("bob");
    ann.mutate("createMessage", new CreateMessage("m1", "alice", "hello", 1));
    bob.mutate("createMessage", new CreateMessage("m2", "alice", "hi", 2));
    flush(ann);
    flush(bob);
    pull(ann);
    assertEquals(new Message("alice", "hi", 2), message(ann, "m2"));
    assertEquals(new Message("alice", "hello", 1), message(bob, "m1"));

    // Both edit m1 before either syncs; bob's push reaches the server last.
    ann.mutate("updateMessage", new UpdateMessage("m1", "ann's edit"));
    bob.mutate("updateMessage", new UpdateMessage("m1", "bob's edit"));
    assertEquals("ann's edit", message(ann, "m1").content);
    flush(ann);
    flush(bob);
    pull(ann);

    assertEquals("bob's edit", message(ann, "m1").content);
    assertEquals(message(ann, "m1"), message(bob, "m1"));
    assertEquals(message(ann, "m2"), message(bob, "m2"));
    assertEquals(0, ann.status().blockingFirst().pendingCount());
    assertEquals(0, bob.status().blockingFirst().pendingCount());
  }

  @Test
  void concurrentIncrementsAreAllKept() throws Exception {
    Tandem ann = client("ann");
    Tandem bob = client("bob");
    for (int i = 0; i < 5; i++) ann.mutate("increment", new Increment("hits", 1));
    for (int i = 0; i < 3; i++) bob.mutate("increment", new Increment("hits", 10));
    assertEquals(5L, counter(ann, "hits"));

    flush(ann);
    flush(bob);
    pull(ann);

    assertEquals(Long.valueOf(35), counter(ann, "hits"));
    assertEquals(Long.valueOf(35), counter(bob, "hits"));
    assertEquals(Collections.singletonMap("hits", 35L), server.counters());
  }

  @Test
  void aResponseLostAfterTheServerAppliedAPushDoesNotDuplicateIt() throws Exception {
    Tandem ann = client("ann");
    ann.mutate("increment", new Increment("a", 1));
    server.dropPushResponses.set(1);

    flush(ann);

    assertTrue(server.pushRequests.get() >= 2, "the push was sent again");
    assertEquals(Collections.singletonMap("a", 1L), server.counters());
    assertEquals(Long.valueOf(1), counter(ann, "a"));
  }

  @Test
  void aLostPullResponseIsRetried() throws Exception {
    Tandem ann = client("ann");
    ann.mutate("increment", new Increment("a", 2));
    server.dropPullResponses.set(1);

    flush(ann);

    assertEquals(Long.valueOf(2), counter(ann, "a"));
    assertEquals(0, ann.status().blockingFirst().pendingCount());
  }

  @Test
  void aMutationMadeOfflineSurvivesARestartAndIsAppliedOnce() throws Exception {
    Tandem ann = client("ann");
    ann.mutate("increment", new Increment("a", 1)); // Closed before its push delay is up.
    ann.mutate("createMessage", new CreateMessage("m1", "alice", "offline", 1));
    ann.close();
    clients.remove(ann);
    assertEquals(0, server.pushRequests.get());

    Tandem again = client("ann");
    flush(again);

    assertEquals(Collections.singletonMap("a", 1L), server.counters());
    Tandem bob = client("bob");
    assertEquals(new Message("alice", "offline", 1), message(bob, "m1"));
  }
}
