package dev.tandem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tandem.ChatMutators.Increment;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Tandem's refusedMutations extension: the app hears of each refusal once, with the mutation. */
class RefusedMutationTest extends SyncFixture {
  @Test
  void aRefusalReachesTheStreamAndTheListenerOnceAfterItsEffectIsGone() throws Exception {
    List<RefusedMutation> heard = new CopyOnWriteArrayList<>();
    enqueue(EMPTY_PULL);
    tandem = builder().onMutationRefused(heard::add).build();
    scheduler.triggerActions();
    List<RefusedMutation> streamed = new CopyOnWriteArrayList<>();
    tandem.refusedMutations().subscribe(streamed::add);

    tandem.mutate("increment", new Increment("a", 5)); // The server will refuse this one.
    tandem.mutate("increment", new Increment("b", 1));
    assertEquals(5.0, value("counter/a"));
    String refusal =
        "\"refusedMutations\":[{\"clientID\":\""
            + tandem.clientID()
            + "\",\"id\":1,\"error\":\"counter a is closed\"}]";
    String confirmBoth =
        "{\"cookie\":2,\"lastMutationIDChanges\":{\""
            + tandem.clientID()
            + "\":2},\"patch\":[{\"op\":\"put\",\"key\":\"counter/b\",\"value\":1}],"
            + refusal
            + "}";
    enqueuePush("{}");
    enqueue(confirmBoth);
    tandem.pull().subscribe();
    scheduler.triggerActions();

    RefusedMutation expected =
        new RefusedMutation(
            new PendingMutation(tandem.clientID(), 1, "increment", "{\"by\":5,\"key\":\"a\"}", "3"),
            "counter a is closed");
    assertEquals(java.util.Collections.singletonList(expected), heard);
    assertEquals(heard, streamed);
    assertNull(value("counter/a"), "the refused mutation's effect is gone");
    assertEquals(1.0, value("counter/b"), "the next mutation applied");
    assertEquals(0, status().pendingCount());

    // The same refusal again (a server resending it): no longer pending, so not reported twice.
    enqueue("{\"cookie\":3,\"lastMutationIDChanges\":{},\"patch\":[]," + refusal + "}");
    tandem.pull().subscribe();
    scheduler.triggerActions();
    assertEquals(1, heard.size());
  }
}
