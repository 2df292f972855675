package dev.tandem.internal.rebase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.squareup.moshi.Moshi;
import dev.tandem.Mutators;
import dev.tandem.ScanOptions;
import dev.tandem.internal.Engine;
import dev.tandem.internal.app.JsonCodec;
import dev.tandem.internal.db.JdbcSqlDriver;
import dev.tandem.protocol.Cookie;
import java.io.File;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The apply step alone, for the cases the pull loop cannot stage through a server. */
class PullApplierTest {
  @TempDir Path directory;
  JdbcSqlDriver driver;
  Engine local;
  PullApplier applier;

  @BeforeEach
  void open() {
    driver = new JdbcSqlDriver(new File(directory.toFile(), "apply.db"), false);
    Moshi moshi = new Moshi.Builder().build();
    Mutators.Builder mutators = Mutators.builder();
    mutators.add("put", String.class, (tx, key) -> tx.put(key, "optimistic"));
    // Writes "<key>-copy": what it read at "<key>", marked as a copy.
    mutators.add(
        "copy", String.class, (tx, key) -> tx.put(key + "-copy", "copy of " + tx.getJson(key)));
    // Writes "x" when "s" is "1", else "y": which key it writes depends on what it read.
    mutators.add("branch", String.class, (tx, v) -> tx.put("1".equals(tx.get("s")) ? "x" : "y", v));
    // An Error (not an Exception) when "t" is "bad", as an assert in an app's mutator throws.
    mutators.add(
        "check",
        String.class,
        (tx, v) -> {
          if ("bad".equals(tx.get("t"))) throw new AssertionError("t is bad");
        });
    JsonCodec codec = new JsonCodec(moshi);
    local = Engine.open(driver, null, mutators);
    applier = local.applier;
  }

  @AfterEach
  void close() {
    driver.close();
  }

  PullApplier.Outcome apply(String json, Cookie base) throws Exception {
    return applier.apply(new Buffer().writeUtf8(json), base);
  }

  String value(String key) throws Exception {
    return local.read(tx -> tx.getJson(key), null);
  }

  @Test
  void aResponseToAStaleBaseCookieIsDiscarded() throws Exception {
    apply(
        "{\"cookie\":5,\"lastMutationIDChanges\":{},\"patch\":[{\"op\":\"put\",\"key\":\"k\",\"value\":1}]}",
        Cookie.NULL);
    local.mutate("put", "mine", 0);

    // A pull sent before cookie 5 arrived, answered after.
    PullApplier.Outcome outcome =
        apply(
            "{\"cookie\":4,\"lastMutationIDChanges\":{},\"patch\":[{\"op\":\"clear\"}]}",
            Cookie.NULL);

    assertEquals(PullApplier.Outcome.Kind.DISCARDED, outcome.kind);
    assertEquals("1", value("k"));
    assertEquals("\"optimistic\"", value("mine"));
    assertEquals(Cookie.of(5), local.cookie());
  }

  @Test
  void aResponseToAnotherClientGroupIsDiscarded() throws Exception {
    PullApplier.Outcome outcome =
        applier.apply(
            new Buffer()
                .writeUtf8(
                    "{\"cookie\":1,\"lastMutationIDChanges\":{},\"patch\":[{\"op\":\"put\",\"key\":\"k\",\"value\":1}]}"),
            Cookie.NULL,
            false,
            "not-this-group");

    assertEquals(PullApplier.Outcome.Kind.DISCARDED, outcome.kind);
    assertNull(value("k"));
    assertEquals(Cookie.NULL, local.cookie());
  }

  @Test
  void aNewGroupStartedWhileTheResponseWasPreparedDiscardsIt() throws Exception {
    // A full pull for the group (cookie null), and meanwhile the server's forgetting of the group
    // made a new one (also cookie null): the answer is the old group's, not this one's.
    String group = local.store.clientGroupID();
    applier.beforeWrite(() -> local.store.startNewGroup());

    PullApplier.Outcome outcome =
        applier.apply(
            new Buffer()
                .writeUtf8(
                    "{\"cookie\":1,\"lastMutationIDChanges\":{},\"patch\":[{\"op\":\"put\",\"key\":\"k\",\"value\":1}]}"),
            Cookie.NULL,
            false,
            group);

    assertEquals(PullApplier.Outcome.Kind.DISCARDED, outcome.kind);
    assertNull(value("k"));
    assertEquals(Cookie.NULL, local.cookie());
  }

  @Test
  void rebaseRevertsOnlyWhatPendingMutationsTouched() throws Exception {
    apply(
        "{\"cookie\":1,\"lastMutationIDChanges\":{},\"patch\":[{\"op\":\"put\",\"key\":\"a\",\"value\":1},"
            + "{\"op\":\"put\",\"key\":\"b\",\"value\":2}]}",
        Cookie.NULL);
    local.mutate("put", "a", 0);
    local.mutate("put", "new", 0);

    apply(
        "{\"cookie\":2,\"lastMutationIDChanges\":{\""
            + local.clientID
            + "\":1},\"patch\":[{\"op\":\"put\",\"key\":\"a\",\"value\":10}]}",
        Cookie.of(1));

    assertEquals("10", value("a"), "mutation 1 confirmed: the server's value stands");
    assertEquals("\"optimistic\"", value("new"), "mutation 2 replayed");
    assertEquals("2", value("b"));
    assertEquals(1, local.pendingCount());
  }

  @Test
  void aRevertRestoresAbsentKeys() throws Exception {
    local.mutate("put", "ghost", 0);
    apply(
        "{\"cookie\":1,\"lastMutationIDChanges\":{\"" + local.clientID + "\":1},\"patch\":[]}",
        Cookie.NULL);

    assertNull(value("ghost"), "the server confirmed it without creating the key");
  }

  /** A patch of {@code count} puts of k0..k(count-1), with {@code tail} appended after them. */
  static String bigPatch(int count, String tail) {
    StringBuilder json =
        new StringBuilder(
            "{\"cookie\":7,\"lastMutationIDChanges\":{},\"patch\":[{\"op\":\"clear\"}");
    for (int i = 0; i < count; i++) {
      json.append(",{\"op\":\"put\",\"key\":\"k")
          .append(i)
          .append("\",\"value\":{\"n\":")
          .append(i)
          .append("}}");
    }
    return json.append(tail).toString();
  }

  @Test
  void parsedOnASecondThreadEveryOperationLandsInOrder() throws Exception {
    // Many batches, then a delete and a second put of the same key: order matters across batches.
    String json =
        bigPatch(
            5_000,
            ",{\"op\":\"del\",\"key\":\"k1\"},{\"op\":\"put\",\"key\":\"k2\",\"value\":\"last\"}]}");
    PullApplier.Outcome outcome = applier.apply(new Buffer().writeUtf8(json), Cookie.NULL, true);

    assertEquals(PullApplier.Outcome.Kind.APPLIED, outcome.kind);
    assertEquals(Cookie.of(7), local.cookie());
    assertEquals("{\"n\":0}", value("k0"));
    assertNull(value("k1"));
    assertEquals("\"last\"", value("k2"));
    assertEquals("{\"n\":4999}", value("k4999"));
    assertEquals(4_999L, (long) local.read(tx -> tx.scan(ScanOptions.prefix("k")).size(), null));
  }

  @Test
  void malformedJsonDeepInAParallelParseLeavesEverythingAsItWas() throws Exception {
    apply(
        "{\"cookie\":1,\"lastMutationIDChanges\":{},\"patch\":[{\"op\":\"put\",\"key\":\"keep\",\"value\":1}]}",
        Cookie.NULL);
    local.mutate("put", "mine", 0);

    for (String tail :
        new String[] {",{\"op\":\"put\",\"key\":}]}", "]} trailing", ",{\"op\":\"nope\"}]}"}) {
      Buffer body = new Buffer().writeUtf8(bigPatch(3_000, tail));
      assertThrows(Exception.class, () -> applier.apply(body, Cookie.of(1), true), tail);

      assertEquals("1", value("keep"), tail);
      assertNull(value("k0"), tail);
      assertEquals("\"optimistic\"", value("mine"), tail);
      assertEquals(Cookie.of(1), local.cookie(), tail);
      assertEquals(1, local.pendingCount(), tail);
    }
  }

  @Test
  void aFailureWhileWritingStopsTheParserAndRollsBack() throws Exception {
    driver
        .writer()
        .execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON tandem_kv WHEN NEW.key = 'k2600'"
                + " BEGIN SELECT RAISE(ABORT, 'refused'); END");
    Buffer body = new Buffer().writeUtf8(bigPatch(100_000, "]}"));

    assertThrows(RuntimeException.class, () -> applier.apply(body, Cookie.NULL, true));

    assertNull(value("k0"));
    assertEquals(Cookie.NULL, local.cookie());
    assertTrue(body.size() > 0, "the parser stopped early instead of reading everything");
    assertFalse(
        Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> t.getName().equals("tandem-pull-parser")),
        "the parser thread is gone once apply returns");
  }

  static String pull(int cookie, String lastMutationIDs, String patch) {
    return "{\"cookie\":"
        + cookie
        + ",\"lastMutationIDChanges\":{"
        + lastMutationIDs
        + "},\"patch\":["
        + patch
        + "]}";
  }

  String confirms(long id) {
    return "\"" + local.clientID + "\":" + id;
  }

  @Test
  void aMutationMadeWhileAPullIsPreparedIsKeptOnceAndNotReverted() throws Exception {
    apply(pull(1, "", "{\"op\":\"put\",\"key\":\"a\",\"value\":1}"), Cookie.NULL);
    local.mutate("put", "mine", 0);
    // Between the snapshot the pull's rebase is planned from and its write lock, on another
    // thread: it would wait forever if the pull held the write lock while preparing.
    applier.beforeWrite(
        () -> {
          try {
            CompletableFuture.runAsync(() -> local.mutate("put", "late", 0))
                .get(30, TimeUnit.SECONDS);
          } catch (Exception e) {
            throw new AssertionError("the pull held the write lock while preparing", e);
          }
        });

    PullApplier.Outcome outcome =
        apply(pull(2, confirms(1), "{\"op\":\"put\",\"key\":\"b\",\"value\":2}"), Cookie.of(1));

    assertEquals(PullApplier.Outcome.Kind.APPLIED, outcome.kind);
    assertNull(value("mine"), "mutation 1 confirmed without the key: reverted");
    assertEquals("\"optimistic\"", value("late"), "mutation 2 stays applied");
    assertEquals("2", value("b"));
    assertEquals(1, local.pendingCount(), "mutation 2 pending, once");
    assertEquals(1, pendingIDs().size());
    assertEquals(2L, (long) pendingIDs().get(0));

    // The next pull confirms it: its effect goes, exactly once.
    applier.beforeWrite(() -> {});
    apply(pull(3, confirms(2), ""), Cookie.of(2));
    assertNull(value("late"));
    assertEquals(0, local.pendingCount());
  }

  @Test
  void aMutationMadeWhileAPullIsPreparedIsRebasedOnThePatchItRead() throws Exception {
    apply(pull(1, "", "{\"op\":\"put\",\"key\":\"src\",\"value\":\"old\"}"), Cookie.NULL);
    local.mutate("put", "other", 0);
    // Made after the snapshot, on the old value of "src", which this pull's patch changes.
    applier.beforeWrite(() -> local.mutate("copy", "src", 0));

    apply(pull(2, "", "{\"op\":\"put\",\"key\":\"src\",\"value\":\"new\"}"), Cookie.of(1));

    assertEquals("\"copy of \\\"new\\\"\"", value("src-copy"), "replayed on the patched value");
    assertEquals("\"optimistic\"", value("other"));
    assertEquals(2, local.pendingCount());
    assertEquals(java.util.Arrays.asList(1L, 2L), pendingIDs());
  }

  @Test
  void aMutationThatTouchesWhatAConfirmedOneWroteIsReplayed() throws Exception {
    apply(pull(1, "", ""), Cookie.NULL);
    local.mutate("put", "src", 0);
    // Reads mutation 1's optimistic value; mutation 1 is confirmed by a patch without "src".
    applier.beforeWrite(() -> local.mutate("copy", "src", 0));

    apply(pull(2, confirms(1), ""), Cookie.of(1));

    assertNull(value("src"));
    assertEquals("\"copy of null\"", value("src-copy"), "replayed without mutation 1's effect");
    assertEquals(java.util.Collections.singletonList(2L), pendingIDs());
  }

  @Test
  void anotherWriteWhileAPullIsPreparedIsSeenUnderTheLock() throws Exception {
    apply(pull(1, "", ""), Cookie.NULL);
    local.mutate("put", "a", 0);
    local.mutate("put", "b", 0);
    // A write other than a new mutation: a pull of its own, confirming mutation 1.
    applier.beforeWrite(
        () -> {
          try {
            applier.beforeWrite(() -> {});
            apply(pull(2, confirms(1), ""), Cookie.of(1));
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });

    PullApplier.Outcome outcome = apply(pull(3, "", ""), Cookie.of(1));

    assertEquals(PullApplier.Outcome.Kind.DISCARDED, outcome.kind, "the cookie moved on");
    assertNull(value("a"));
    assertEquals("\"optimistic\"", value("b"));
    assertEquals(java.util.Collections.singletonList(2L), pendingIDs());
  }

  @Test
  void afterAnotherWriteThePullPlansUnderTheLock() throws Exception {
    apply(pull(1, "", "{\"op\":\"put\",\"key\":\"src\",\"value\":\"old\"}"), Cookie.NULL);
    local.mutate("put", "a", 0);
    local.mutate("put", "b", 0);
    applier.beforeWrite(
        () -> {
          local.store.setMeta("note", "a write that is not a new mutation");
          local.mutate("copy", "src", 0);
        });

    apply(pull(2, confirms(1), "{\"op\":\"put\",\"key\":\"src\",\"value\":\"new\"}"), Cookie.of(1));

    assertNull(value("a"));
    assertEquals("\"optimistic\"", value("b"));
    assertEquals("\"copy of \\\"new\\\"\"", value("src-copy"));
    assertEquals(java.util.Arrays.asList(2L, 3L), pendingIDs());
  }

  /**
   * A replay that throws an Error rolls the pull back, replays and all; the footprints those
   * replays recorded (here: "branch" wrote "x") must not outlive them, or the next pull trusts them
   * and keeps a mutation whose real writes ("y") its patch changed.
   */
  @Test
  void aPullRolledBackByAnErrorInAReplayForgetsTheReplaysFootprints() throws Exception {
    apply(pull(1, "", ""), Cookie.NULL);
    local.mutate("branch", "mine", 0); // Writes y.
    local.mutate("check", "", 0);

    String bad =
        "{\"op\":\"put\",\"key\":\"s\",\"value\":\"1\"},"
            + "{\"op\":\"put\",\"key\":\"t\",\"value\":\"bad\"}";
    assertThrows(AssertionError.class, () -> apply(pull(2, "", bad), Cookie.of(1)));
    assertEquals("\"mine\"", value("y"), "rolled back");

    apply(pull(2, "", "{\"op\":\"put\",\"key\":\"y\",\"value\":\"theirs\"}"), Cookie.of(1));

    assertEquals("\"mine\"", value("y"), "branch replayed over the server's y");
    assertNull(value("x"));
  }

  java.util.List<Long> pendingIDs() {
    return local.store.readUnchecked(
        db -> {
          java.util.List<Long> ids = new java.util.ArrayList<>();
          for (dev.tandem.internal.store.Pending p :
              dev.tandem.internal.store.PendingQueue.refs(db)) {
            ids.add(p.id);
          }
          return ids;
        });
  }
}
