package dev.tandem;

import static dev.tandem.Column.number;
import static dev.tandem.Column.string;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.squareup.moshi.Moshi;
import dev.tandem.internal.Engine;
import dev.tandem.internal.db.JdbcSqlDriver;
import dev.tandem.internal.rebase.PullApplier;
import dev.tandem.protocol.Cookie;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Additive schema changes upgrade the local database in place; rebase works on table rows. */
class SchemaMigrationTest {
  @TempDir Path directory;

  static Schema v1() {
    return Schema.builder()
        .version(1)
        .table(Table.named("task").columns(string("id"), string("title")).primaryKey("id"))
        .build();
  }

  static Schema v2() {
    return Schema.builder()
        .version(2)
        .table(
            Table.named("task")
                .columns(string("id"), string("title"), number("priority").optional())
                .primaryKey("id"))
        .table(Table.named("note").columns(string("id"), string("text")).primaryKey("id"))
        .build();
  }

  Engine open(JdbcSqlDriver driver, Schema schema, Mutators.Builder mutators) {
    return Engine.open(driver, schema, mutators);
  }

  @Test
  void aNewerSchemaFillsNewColumnsAndTablesFromWhatWasSynced() throws Exception {
    File file = new File(directory.toFile(), "app.db");
    JdbcSqlDriver first = new JdbcSqlDriver(file, false);
    Engine local = open(first, v1(), Mutators.builder());
    local.applier.apply(
        new Buffer()
            .writeUtf8(
                "{\"cookie\":1,\"lastMutationIDChanges\":{},\"patch\":["
                    + "{\"op\":\"put\",\"key\":\"task/t1\",\"value\":{\"id\":\"t1\",\"title\":\"a\",\"priority\":2}},"
                    + "{\"op\":\"put\",\"key\":\"note/n1\",\"value\":{\"id\":\"n1\",\"text\":\"kept\"}}]}"),
        Cookie.NULL);
    first.close();

    JdbcSqlDriver second = new JdbcSqlDriver(file, false);
    try {
      Engine upgraded = open(second, v2(), Mutators.builder());
      List<Row> tasks =
          upgraded.read(tx -> tx.query(Query.from("task").where("priority", "=", 2)), null);
      assertEquals("t1", tasks.get(0).getString("id"));
      List<Row> notes = upgraded.read(tx -> tx.query(Query.from("note")), null);
      assertEquals("kept", notes.get(0).getString("text"));
      assertEquals(Cookie.of(1), upgraded.cookie());
    } finally {
      second.close();
    }
  }

  @Test
  void rebaseRevertsAndReplaysTableRows() throws Exception {
    JdbcSqlDriver driver = new JdbcSqlDriver(new File(directory.toFile(), "rebase.db"), false);
    try {
      Moshi moshi = new Moshi.Builder().build();
      Mutators.Builder mutators = Mutators.builder();
      mutators.add(
          "rename",
          String.class,
          (tx, title) -> tx.table("task").update(SchemaFixture.row("id", "t1", "title", title)));
      Engine local = open(driver, v1(), mutators);
      PullApplier applier = local.applier;
      applier.apply(
          new Buffer()
              .writeUtf8(
                  "{\"cookie\":1,\"lastMutationIDChanges\":{},\"patch\":[{\"op\":\"put\",\"key\":\"task/t1\","
                      + "\"value\":{\"id\":\"t1\",\"title\":\"server\"}}]}"),
          Cookie.NULL);
      local.mutate("rename", "mine", 0);
      assertEquals("mine", title(local));

      // The server has not seen the rename yet, and someone else retitled the task.
      applier.apply(
          new Buffer()
              .writeUtf8(
                  "{\"cookie\":2,\"lastMutationIDChanges\":{},\"patch\":[{\"op\":\"put\",\"key\":\"task/t1\","
                      + "\"value\":{\"id\":\"t1\",\"title\":\"theirs\"}}]}"),
          Cookie.of(1));
      assertEquals("mine", title(local), "the pending rename is replayed on top");

      // The server confirms the rename, with its own result.
      applier.apply(
          new Buffer()
              .writeUtf8(
                  "{\"cookie\":3,\"lastMutationIDChanges\":{\""
                      + local.clientID
                      + "\":1},\"patch\":[{\"op\":\"put\",\"key\":\"task/t1\","
                      + "\"value\":{\"id\":\"t1\",\"title\":\"mine (server)\"}}]}"),
          Cookie.of(2));
      assertEquals("mine (server)", title(local));
      assertEquals(0, local.pendingCount());
    } finally {
      driver.close();
    }
  }

  @Test
  void aKeyPutTwiceInOnePatchEndsWithTheLaterValue() throws Exception {
    JdbcSqlDriver driver = new JdbcSqlDriver(new File(directory.toFile(), "twice.db"), false);
    try {
      Engine local = open(driver, v1(), Mutators.builder());
      local.applier.apply(
          new Buffer()
              .writeUtf8(
                  "{\"cookie\":1,\"lastMutationIDChanges\":{},\"patch\":["
                      + "{\"op\":\"put\",\"key\":\"task/a\",\"value\":{\"id\":\"a\",\"title\":\"ok\"}},"
                      + "{\"op\":\"put\",\"key\":\"task/a\",\"value\":{\"id\":\"a\"}},"
                      + "{\"op\":\"put\",\"key\":\"task/b\",\"value\":{\"id\":\"b\"}},"
                      + "{\"op\":\"put\",\"key\":\"task/b\",\"value\":{\"id\":\"b\",\"title\":\"fixed\"}}]}"),
          Cookie.NULL);

      assertEquals("{\"id\":\"a\"}", local.read(tx -> tx.getJson("task/a"), null));
      List<Row> tasks = local.read(tx -> tx.query(Query.from("task")), null);
      assertEquals(1, tasks.size(), "task/a no longer fits; only task/b is a row");
      assertEquals("fixed", tasks.get(0).getString("title"));
      assertEquals(2, (int) local.read(tx -> tx.scan(ScanOptions.prefix("task/")).size(), null));
    } finally {
      driver.close();
    }
  }

  static String title(Engine local) throws Exception {
    return local.read(tx -> tx.query(Query.from("task")), null).get(0).getString("title");
  }
}
