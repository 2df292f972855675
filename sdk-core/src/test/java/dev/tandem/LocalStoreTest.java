package dev.tandem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.ChatMutators.CreateMessage;
import dev.tandem.ChatMutators.Message;
import dev.tandem.protocol.RawJson;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local store through the public API, with no server: a real SQLite file. */
class LocalStoreTest {
  @TempDir Path directory;
  final List<Tandem> open = new ArrayList<>();

  Tandem open() {
    Tandem tandem =
        ChatMutators.register(Tandem.builder().databaseFile(new File(directory.toFile(), "app.db")))
            .build();
    open.add(tandem);
    return tandem;
  }

  @AfterEach
  void closeAll() {
    for (Tandem tandem : open) tandem.close();
  }

  static List<String> keys(Tandem tandem, ScanOptions options) throws Exception {
    List<String> keys = new ArrayList<>();
    for (KeyValue entry : tandem.query(tx -> tx.scan(options))) keys.add(entry.key());
    return keys;
  }

  @Test
  void aMutationAppliesAtOnceAndIsPending() throws Exception {
    Tandem tandem = open();
    long id = tandem.mutate("createMessage", new CreateMessage("m1", "ann", "hi", 1));

    assertEquals(1, id);
    assertEquals(
        new Message("ann", "hi", 1), tandem.query(tx -> tx.get("message/m1", Message.class)));
    assertEquals(1, tandem.status().blockingFirst().pendingCount());
  }

  @Test
  void mutationIDsCountFromOne() {
    Tandem tandem = open();
    assertEquals(1, tandem.mutate("increment", new ChatMutators.Increment("a", 1)));
    assertEquals(2, tandem.mutate("increment", new ChatMutators.Increment("a", 1)));
    assertEquals(3, tandem.mutate("increment", new ChatMutators.Increment("a", 1)));
  }

  @Test
  void aMutatorThatThrowsLeavesNothingBehind() throws Exception {
    Tandem tandem = open();
    MutationException e = assertThrows(MutationException.class, () -> tandem.mutate("fail", "k"));

    assertTrue(e.getMessage().contains("mutator 'fail' failed"), e.getMessage());
    assertNull(tandem.query(tx -> tx.get("k")));
    assertEquals(0, tandem.status().blockingFirst().pendingCount());
    assertEquals(
        1, tandem.mutate("increment", new ChatMutators.Increment("a", 1)), "ID not used up");
  }

  @Test
  void anUnknownMutatorFailsFast() {
    Tandem tandem = open();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> tandem.mutate("nope", "x"));
    assertEquals("mutator 'nope' is not registered", e.getMessage());
  }

  @Test
  void argsOfTheWrongTypeFailFast() {
    Tandem tandem = open();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> tandem.mutate("createMessage", "hello"));
    assertTrue(e.getMessage().contains("takes"), e.getMessage());
  }

  @Test
  void readsPlainJsonValues() throws Exception {
    Tandem tandem = open();
    tandem.mutate("createMessage", new CreateMessage("m1", "ann", "hi", 4));

    Map<String, Object> expected = new HashMap<>();
    expected.put("from", "ann");
    expected.put("content", "hi");
    expected.put("order", 4.0);
    assertEquals(expected, tandem.query(tx -> tx.get("message/m1")));
    assertEquals(
        RawJson.parse("{\"content\":\"hi\",\"from\":\"ann\",\"order\":4}"),
        RawJson.parse(tandem.query(tx -> tx.getJson("message/m1"))));
    assertEquals(true, tandem.query(tx -> tx.has("message/m1")));
    assertEquals(false, tandem.query(tx -> tx.has("message/m2")));
    assertEquals(false, tandem.query(ReadTransaction::isEmpty));
  }

  @Test
  void scanOrdersKeysAsUtf8BytesWithPrefixStartAndLimit() throws Exception {
    Tandem tandem = open();
    for (String id : Arrays.asList("b", "a", "\uD83D\uDE00", "\uFF5E", "a2")) {
      tandem.mutate("createMessage", new CreateMessage(id, "ann", id, 1));
    }
    tandem.mutate("increment", new ChatMutators.Increment("x", 1));

    assertEquals(
        Arrays.asList(
            "message/a", "message/a2", "message/b", "message/\uFF5E", "message/\uD83D\uDE00"),
        keys(tandem, ScanOptions.prefix("message/")));
    assertEquals(
        Arrays.asList("message/a2", "message/b"),
        keys(tandem, ScanOptions.prefix("message/").start("message/a2").limit(2)));
    assertEquals(
        Arrays.asList("message/\uFF5E", "message/\uD83D\uDE00"),
        keys(tandem, ScanOptions.prefix("message/").startAfter("message/b")));
    assertEquals(Arrays.asList("counter/x"), keys(tandem, ScanOptions.prefix("counter/")));
    assertEquals(6, keys(tandem, ScanOptions.all()).size());
    assertEquals(0, keys(tandem, ScanOptions.prefix("message/").limit(0)).size());
  }

  @Test
  void pendingMutationsAndTheClientIDSurviveARestart() throws Exception {
    Tandem first = open();
    String clientID = first.clientID();
    first.mutate("createMessage", new CreateMessage("m1", "ann", "hi", 1));
    first.mutate("createMessage", new CreateMessage("m2", "ann", "there", 2));
    first.close();

    Tandem second = open();
    assertEquals(clientID, second.clientID());
    assertEquals(2, second.status().blockingFirst().pendingCount());
    assertEquals(
        new Message("ann", "there", 2), second.query(tx -> tx.get("message/m2", Message.class)));
    assertEquals(3, second.mutate("increment", new ChatMutators.Increment("a", 1)));
  }

  @Test
  void openingTheSameFileTwiceIsRefused() {
    open();
    IllegalStateException e = assertThrows(IllegalStateException.class, this::open);
    assertTrue(e.getMessage().contains("already open"), e.getMessage());
  }

  @Test
  void aClosedInstanceRefusesWork() {
    Tandem tandem = open();
    tandem.close();
    assertThrows(
        IllegalStateException.class,
        () -> tandem.mutate("increment", new ChatMutators.Increment("a", 1)));
    open(); // The file can be opened again.
  }
}
