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
}
