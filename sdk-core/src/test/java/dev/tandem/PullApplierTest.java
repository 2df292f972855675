package dev.tandem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.squareup.moshi.Moshi;
import dev.tandem.internal.store.JdbcSqlDriver;
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
  LocalStore local;
  PullApplier applier;

  @BeforeEach
  void open() {
    driver = new JdbcSqlDriver(new File(directory.toFile(), "apply.db"), false);
    Moshi moshi = new Moshi.Builder().build();
    Mutators.Builder mutators = new Mutators.Builder();
    mutators.add("put", String.class, (tx, key) -> tx.put(key, "optimistic"), moshi);
    JsonCodec codec = new JsonCodec(moshi);
    local =
        LocalStore.open(
            driver, new DataStore(null, codec, (t, k, j, p) -> {}), codec, mutators.build());
    applier = new PullApplier(local);
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
}
