package dev.tandem;

import static dev.tandem.SchemaFixture.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.squareup.moshi.Moshi;
import dev.tandem.SchemaFixture.Insert;
import dev.tandem.internal.Engine;
import dev.tandem.internal.app.JsonCodec;
import dev.tandem.internal.db.JdbcSqlDriver;
import dev.tandem.internal.rebase.PullApplier;
import dev.tandem.protocol.Cookie;
import io.reactivex.rxjava3.schedulers.Schedulers;
import io.reactivex.rxjava3.subscribers.TestSubscriber;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queries over the seeds/003 fixture, checked against answers worked out by hand. */
class TableQueryTest {
  @TempDir Path directory;
  Tandem tandem;
  final List<String> violations = new ArrayList<>();

  @BeforeEach
  void open() {
    tandem =
        SchemaFixture.register(Tandem.builder())
            .databaseFile(new File(directory.toFile(), "tables.db"))
            .queryScheduler(Schedulers.trampoline())
            .onSchemaViolation((table, key, json, problem) -> violations.add(key + ": " + problem))
            .build();
    insert("user", row("id", "u1", "name", "Ann", "partner", true, "mood", "happy"));
    insert("user", row("id", "u2", "name", "Bob", "partner", false, "nickName", "bobby"));
    insert(
        "user", row("id", "u3", "name", "Cy", "partner", false, "settings", row("theme", "dark")));
    insert("message", row("id", "m1", "senderID", "u1", "content", "hello", "order", 1));
    insert(
        "message",
        row(
            "id",
            "m2",
            "senderID",
            "u2",
            "content",
            "hi ann",
            "order",
            2,
            "parentMessageID",
            "m1"));
    insert(
        "message",
        row(
            "id",
            "m3",
            "senderID",
            "u3",
            "content",
            "hey all",
            "order",
            3,
            "parentMessageID",
            "m1"));
    insert(
        "message",
        row(
            "id",
            "m4",
            "senderID",
            "u1",
            "content",
            "thanks",
            "order",
            4,
            "parentMessageID",
            "m2"));
    insert("message", row("id", "m5", "senderID", "u9", "content", "ghost", "order", 2));
  }

  @AfterEach
  void close() {
    tandem.close();
  }

  void insert(String table, java.util.Map<String, Object> row) {
    tandem.mutate("insert", new Insert(table, row));
  }

  List<String> ids(Query query) throws Exception {
    List<String> ids = new ArrayList<>();
    for (Row row : tandem.query(query)) ids.add(row.getString("id"));
    return ids;
  }

  @Test
  void rowsSyncUnderTheirTableKeys() throws Exception {
    assertEquals(
        "{\"id\":\"m1\",\"senderID\":\"u1\",\"content\":\"hello\",\"order\":1}",
        tandem.query(tx -> tx.getJson("message/m1")));
    assertEquals(5, (int) tandem.query(tx -> tx.scan(ScanOptions.prefix("message/")).size()));
    assertEquals(8, (int) tandem.query(tx -> tx.scan(ScanOptions.all()).size()));
  }

  @Test
  void whereSupportsEveryOperator() throws Exception {
    Query messages = Query.from("message");
    assertEquals(Arrays.asList("m1", "m4"), ids(messages.where("senderID", "=", "u1")));
    assertEquals(Arrays.asList("m2", "m3", "m5"), ids(messages.where("senderID", "!=", "u1")));
    assertEquals(Arrays.asList("m1", "m2", "m5"), ids(messages.where("order", "<=", 2)));
    assertEquals(Arrays.asList("m1"), ids(messages.where("order", "<", 2)));
    assertEquals(Arrays.asList("m3", "m4"), ids(messages.where("order", ">", 2.5)));
    assertEquals(Arrays.asList("m3", "m4"), ids(messages.where("order", ">=", 3)));
    assertEquals(
        Arrays.asList("m2", "m5"),
        ids(messages.where("senderID", "IN", Arrays.asList("u2", "u9"))));
    assertEquals(
        Arrays.asList("m2", "m3"), ids(messages.where(Condition.like("content", "h% a%"))));
    assertEquals(
        Arrays.asList("m1", "m5"), ids(messages.where(Condition.isNull("parentMessageID"))));
    assertEquals(
        Arrays.asList("m1", "m3", "m5"),
        ids(
            messages.where(
                Condition.or(
                    Condition.isNull("parentMessageID"),
                    Condition.and(
                        Condition.eq("senderID", "u3"), Condition.cmp("order", ">", 2))))));
    assertEquals(Arrays.asList("u1"), ids(Query.from("user").where("partner", "=", true)));
    assertEquals(
        Arrays.asList("u1"), ids(Query.from("user").where("mood", "=", SchemaFixture.Mood.happy)));
    assertEquals(Arrays.asList(), ids(messages.where(Condition.in("id", new ArrayList<>()))));
  }

  @Test
  void orderLimitAndStartAfterPage() throws Exception {
    Query byOrder =
        Query.from("message").orderBy("order", Query.Direction.DESC).orderBy("senderID").limit(2);
    List<Row> first = tandem.query(byOrder);
    assertEquals(Arrays.asList("m4", "m3"), idsOf(first));
    List<Row> second = tandem.query(byOrder.startAfter(first.get(1)));
    assertEquals(Arrays.asList("m2", "m5"), idsOf(second));
    List<Row> third = tandem.query(byOrder.startAfter(second.get(1)));
    assertEquals(Arrays.asList("m1"), idsOf(third));
    assertEquals(
        Arrays.asList("m5", "m1"),
        ids(
            Query.from("message")
                .where(Condition.isNull("parentMessageID"))
                .orderBy("order", Query.Direction.DESC)));
  }

  static List<String> idsOf(List<Row> rows) {
    List<String> ids = new ArrayList<>();
    for (Row row : rows) ids.add(row.getString("id"));
    return ids;
  }

  @Test
  void oneAndManyRelationshipsNestToAnyDepth() throws Exception {
    List<Row> rows =
        tandem.query(
            Query.from("message")
                .where(Condition.isNull("parentMessageID"))
                .related("sender")
                .related(
                    "replies",
                    q ->
                        q.orderBy("order", Query.Direction.DESC)
                            .related("sender")
                            .related("replies")));

    Row m1 = rows.get(0);
    assertEquals("Ann", m1.one("sender").getString("name"));
    assertEquals(Arrays.asList("m3", "m2"), idsOf(m1.many("replies")));
    assertEquals("Cy", m1.many("replies").get(0).one("sender").getString("name"));
    assertEquals(Arrays.asList("m4"), idsOf(m1.many("replies").get(1).many("replies")));
    Row m5 = rows.get(1);
    assertNull(m5.one("sender"), "u9 does not exist");
    assertEquals(Arrays.asList(), m5.many("replies"));
  }

  @Test
  void aRelationshipLimitAppliesPerRow() throws Exception {
    List<Row> rows =
        tandem.query(
            Query.from("message")
                .where(Condition.isNull("parentMessageID"))
                .related("replies", q -> q.orderBy("order").limit(1)));
    assertEquals(Arrays.asList("m2"), idsOf(rows.get(0).many("replies")));
  }

  @Test
  void manyToManyThroughAJunctionTable() throws Exception {
    insert("issue", row("id", "i1", "title", "crash", "status", "open"));
    insert("issue", row("id", "i2", "title", "typo", "status", "closed"));
    insert("label", row("id", "l1", "name", "bug"));
    insert("label", row("id", "l2", "name", "urgent"));
    insert("label", row("id", "l3", "name", "docs"));
    insert("issueLabel", row("issueID", "i1", "labelID", "l2"));
    insert("issueLabel", row("issueID", "i1", "labelID", "l1"));
    insert("issueLabel", row("issueID", "i2", "labelID", "l3"));

    List<Row> issues =
        tandem.query(
            Query.from("issue").related("labels", q -> q.orderBy("name", Query.Direction.DESC)));

    assertEquals(Arrays.asList("l2", "l1"), idsOf(issues.get(0).many("labels")));
    assertEquals(Arrays.asList("l3"), idsOf(issues.get(1).many("labels")));
    assertEquals(Arrays.asList("i1"), ids(Query.from("issue").where("status", "=", "open")));
    assertEquals("issueLabel/i1/l1", tandem.query(Query.from("issueLabel")).get(0).key());
  }

  @Test
  void compoundKeyAndCircularRelationships() throws Exception {
    insert("member", row("orgID", "o1", "userID", "u1", "name", "Ann at o1"));
    insert("member", row("orgID", "o2", "userID", "u1", "name", "Ann at o2"));
    insert("comment", row("id", "c1", "authorOrgID", "o1", "authorUserID", "u1", "text", "first"));
    insert(
        "comment",
        row(
            "id",
            "c2",
            "authorOrgID",
            "o2",
            "authorUserID",
            "u1",
            "text",
            "reply",
            "parentID",
            "c1"));
    insert(
        "comment",
        row(
            "id",
            "c3",
            "authorOrgID",
            "o1",
            "authorUserID",
            "u1",
            "text",
            "again",
            "parentID",
            "c2"));

    List<Row> comments =
        tandem.query(
            Query.from("comment")
                .orderBy("id")
                .related("author")
                .related("parent", q -> q.related("parent")));

    assertEquals("Ann at o2", comments.get(1).one("author").getString("name"));
    assertEquals("c1", comments.get(1).one("parent").getString("id"));
    assertEquals("c1", comments.get(2).one("parent").one("parent").getString("id"));
    assertNull(comments.get(0).one("parent"));
    List<Row> members = tandem.query(Query.from("member").orderBy("orgID").related("comments"));
    assertEquals(Arrays.asList("c1", "c3"), idsOf(members.get(0).many("comments")));
    assertEquals(Arrays.asList("c2"), idsOf(members.get(1).many("comments")));
  }

  /** A class rows map to, relationships included. */
  static final class Message {
    String id;
    String content;
    double order;
    User sender;
  }

  static final class User {
    String id;
    String name;
    boolean partner;
    SchemaFixture.Mood mood;
    SchemaFixture.Settings settings;
  }

  @Test
  void rowsMapToClassesWithEnumsJsonAndRelationships() throws Exception {
    List<Message> messages =
        tandem.query(Query.from("message").where("id", "=", "m1").related("sender"), Message.class);
    assertEquals("hello", messages.get(0).content);
    assertEquals(SchemaFixture.Mood.happy, messages.get(0).sender.mood);
    User cy = tandem.query(Query.from("user").where("id", "=", "u3"), User.class).get(0);
    assertEquals("dark", cy.settings.theme);
  }

  @Test
  void mutatorsWriteThroughTables() throws Exception {
    MutationException duplicate =
        assertThrows(
            MutationException.class,
            () -> insert("user", row("id", "u1", "name", "Again", "partner", true)));
    assertTrue(duplicate.getMessage().contains("already has user/u1"), duplicate.getMessage());

    tandem.mutate("update", new Insert("user", row("id", "u2", "name", "Robert")));
    Row bob = tandem.query(Query.from("user").where("id", "=", "u2")).get(0);
    assertEquals("Robert", bob.getString("name"));
    assertEquals("bobby", bob.getString("nickName"));

    tandem.mutate("delete", new Insert("message", row("id", "m5")));
    assertEquals(4, tandem.query(Query.from("message")).size());
    assertThrows(
        MutationException.class,
        () -> tandem.mutate("update", new Insert("user", row("id", "nobody", "name", "x"))));
    assertThrows(
        MutationException.class,
        () -> tandem.mutate("upsert", new Insert("user", row("id", "u4", "colour", "red"))));
  }

  @Test
  void aLiveTableQueryReRunsOnlyForRowsItReturnedOrItsConditionsMaySelect() {
    java.util.concurrent.atomic.AtomicInteger runs =
        new java.util.concurrent.atomic.AtomicInteger();
    Query firstOfAnn = Query.from("message").where("senderID", "=", "u1").orderBy("order").limit(1);
    TestSubscriber<List<Row>> first =
        tandem
            .watch(
                tx -> {
                  runs.incrementAndGet();
                  return tx.query(firstOfAnn);
                })
            .test();
    assertEquals(1, runs.get());

    insert("message", row("id", "m6", "senderID", "u2", "content", "not ann's", "order", 0));
    tandem.mutate("update", new Insert("message", row("id", "m2", "content", "edited")));
    tandem.mutate("delete", new Insert("message", row("id", "m5")));
    assertEquals(1, runs.get(), "rows the conditions exclude, before and after");

    insert("message", row("id", "m7", "senderID", "u1", "content", "first", "order", 0));
    assertEquals(2, runs.get(), "a row the conditions select");
    tandem.mutate("update", new Insert("message", row("id", "m7", "senderID", "u2")));
    assertEquals(3, runs.get(), "a row it returned, leaving");

    List<String> ids = new ArrayList<>();
    for (List<Row> rows : first.values()) ids.add(rows.get(0).getString("id"));
    assertEquals(Arrays.asList("m1", "m7", "m1"), ids);
  }

  @Test
  void liveTableQueriesAlwaysEqualAFreshQuery() throws Exception {
    List<Query> queries =
        Arrays.asList(
            Query.from("message").where("senderID", "=", "u1"),
            Query.from("message").where("senderID", "!=", "u1").orderBy("order").limit(2),
            Query.from("message").where("order", "<", 3),
            Query.from("message").where("order", ">=", 2.5).orderBy("order", Query.Direction.DESC),
            Query.from("message").where("content", "LIKE", "a%"),
            Query.from("message").where(Condition.in("senderID", Arrays.asList("u2", "u3"))),
            Query.from("message").where(Condition.isNull("parentMessageID")).limit(3),
            Query.from("message")
                .where(
                    Condition.or(
                        Condition.eq("senderID", "u3"),
                        Condition.and(
                            Condition.cmp("order", "<=", 1),
                            Condition.isNotNull("parentMessageID"))))
                .orderBy("content"),
            Query.from("user").where("partner", "=", true),
            Query.from("issue").where("status", "=", "closed"));
    List<TestSubscriber<List<Row>>> live = new ArrayList<>();
    for (Query query : queries) live.add(tandem.watch(query).test());
    java.util.Random random = new java.util.Random(15);
    String[] senders = {"u1", "u2", "u3"};
    for (int step = 0; step < 300; step++) {
      String id = "r" + random.nextInt(12);
      int op = random.nextInt(4);
      try {
        if (op == 0) {
          tandem.mutate("delete", new Insert("message", row("id", id)));
        } else if (op == 1) {
          tandem.mutate("delete", new Insert("issue", row("id", "i" + random.nextInt(3))));
          tandem.mutate(
              "upsert",
              new Insert(
                  "issue",
                  row(
                      "id",
                      "i" + random.nextInt(3),
                      "title",
                      "t",
                      "status",
                      random.nextBoolean() ? "open" : "closed")));
        } else {
          java.util.Map<String, Object> values =
              row(
                  "id",
                  id,
                  "senderID",
                  senders[random.nextInt(3)],
                  "content",
                  (random.nextBoolean() ? "a" : "b") + random.nextInt(5),
                  "order",
                  random.nextInt(8) / 2.0);
          if (random.nextBoolean()) values.put("parentMessageID", "m1");
          tandem.mutate("upsert", new Insert("message", values));
        }
        if (random.nextInt(10) == 0) {
          tandem.mutate(
              "update", new Insert("user", row("id", "u2", "partner", random.nextBoolean())));
        }
      } catch (MutationException expected) {
        // Deleting a row that is not there.
      }
      for (int q = 0; q < queries.size(); q++) {
        List<List<Row>> values = live.get(q).values();
        assertEquals(
            tandem.query(queries.get(q)),
            values.get(values.size() - 1),
            "step " + step + ", query " + q);
      }
    }
  }

  @Test
  void liveTableQueriesEmitOnlyForCommitsThatChangeTheirResult() {
    TestSubscriber<List<Row>> roots =
        tandem.watch(Query.from("message").where(Condition.isNull("parentMessageID"))).test();
    assertEquals(1, roots.values().size());

    insert("user", row("id", "u4", "name", "Di", "partner", false)); // Another table.
    insert(
        "message",
        row("id", "m6", "senderID", "u4", "content", "reply", "order", 6, "parentMessageID", "m1"));
    insert("message", row("id", "m7", "senderID", "u4", "content", "new thread", "order", 7));

    assertEquals(2, roots.values().size(), "only m7 changed the result");
    assertEquals(3, roots.values().get(1).size());

    TestSubscriber<List<Row>> withSender =
        tandem.watch(Query.from("message").where("id", "=", "m7").related("sender")).test();
    tandem.mutate("update", new Insert("user", row("id", "u4", "name", "Diana")));
    assertEquals("Diana", withSender.values().get(1).get(0).one("sender").getString("name"));
  }

  @Test
  void queriesNamingUnknownThingsFailClearly() {
    IllegalArgumentException column =
        assertThrows(
            IllegalArgumentException.class,
            () -> tandem.query(Query.from("user").where("age", ">", 3)));
    assertEquals("table 'user' has no column 'age'", column.getMessage());
    IllegalArgumentException table =
        assertThrows(IllegalArgumentException.class, () -> tandem.query(Query.from("users")));
    assertEquals("no table 'users' in the schema", table.getMessage());
    IllegalArgumentException relationship =
        assertThrows(
            IllegalArgumentException.class,
            () -> tandem.query(Query.from("user").related("friends")));
    assertEquals("table 'user' has no relationship 'friends'", relationship.getMessage());
    IllegalArgumentException notLoaded =
        assertThrows(
            IllegalArgumentException.class,
            () -> tandem.query(Query.from("message")).get(0).one("sender"));
    assertTrue(notLoaded.getMessage().contains("was not loaded"));
  }

  @Test
  void syncedValuesMapFieldsAndTablesAndKeepWhatDoesNotFit() throws Exception {
    tandem.close();
    JdbcSqlDriver driver = new JdbcSqlDriver(new File(directory.toFile(), "synced.db"), false);
    try {
      Moshi moshi = new Moshi.Builder().build();
      JsonCodec codec = new JsonCodec(moshi);
      Engine local =
          Engine.open(
              driver,
              SchemaFixture.schema(),
              Mutators.builder(),
              (table, key, json, problem) -> violations.add(key + ": " + problem));
      local.applier.apply(
          new Buffer()
              .writeUtf8(
                  "{\"cookie\":1,\"lastMutationIDChanges\":{},\"patch\":["
                      + "{\"op\":\"put\",\"key\":\"user_pref/p1\",\"value\":{\"id\":\"p1\",\"org_id\":\"o7\"}},"
                      + "{\"op\":\"put\",\"key\":\"analytics.event/e1\",\"value\":{\"id\":\"e1\",\"kind\":\"click\"}},"
                      + "{\"op\":\"put\",\"key\":\"user/bad\",\"value\":{\"id\":\"bad\",\"partner\":\"yes\"}},"
                      + "{\"op\":\"put\",\"key\":\"label/l9\",\"value\":{\"name\":\"from the key\"}},"
                      + "{\"op\":\"put\",\"key\":\"settings/theme\",\"value\":\"dark\"}]}"),
          Cookie.NULL);

      assertEquals(
          "o7", local.read(tx -> tx.query(Query.from("userPref")), null).get(0).getString("orgID"));
      assertEquals(
          "click", local.read(tx -> tx.query(Query.from("event")), null).get(0).getString("kind"));
      assertEquals(
          "l9", local.read(tx -> tx.query(Query.from("label")), null).get(0).getString("id"));
      assertEquals(0, local.read(tx -> tx.query(Query.from("user")), null).size());
      assertEquals(
          "{\"id\":\"bad\",\"partner\":\"yes\"}", local.read(tx -> tx.getJson("user/bad"), null));
      assertEquals("\"dark\"", local.read(tx -> tx.getJson("settings/theme"), null));
      assertEquals(Arrays.asList("user/bad: required column 'name' is missing"), violations);
    } finally {
      driver.close();
    }
    tandem =
        SchemaFixture.register(Tandem.builder())
            .databaseFile(new File(directory.toFile(), "x.db"))
            .build();
  }

  @Test
  void aKeyPutTwiceInOneBatchKeepsTheLaterValueWhereverEachFits() throws Exception {
    // The patch writer batches puts; a key put twice in a batch must land in order, also when the
    // first value fits the typed table and the second does not (or the other way round): once
    // right after itself (keys still ascending) and once after the keys stopped ascending.
    tandem.close();
    JdbcSqlDriver driver = new JdbcSqlDriver(new File(directory.toFile(), "twice.db"), false);
    try {
      Engine local =
          Engine.open(
              driver,
              SchemaFixture.schema(),
              dev.tandem.Mutators.builder(),
              (table, key, json, problem) -> violations.add(key + ": " + problem));
      String fits = "{\"id\":\"%s\",\"name\":\"Ann\",\"partner\":true}";
      String misfit = "{\"id\":\"%s\",\"partner\":\"yes\"}";
      for (boolean parallel : new boolean[] {false, true}) {
        String patch =
            "{\"op\":\"clear\"},"
                + put("user/u1", String.format(fits, "u1"))
                + ","
                + put("user/u1", String.format(misfit, "u1"))
                + ","
                + put("user/u5", String.format(fits, "u5"))
                + ","
                + put("user/u2", String.format(misfit, "u2"))
                + ","
                + put("user/u5", String.format(misfit, "u5"))
                + ","
                + put("user/u2", String.format(fits, "u2"));
        PullApplier.Outcome outcome =
            local.applier.apply(
                new Buffer()
                    .writeUtf8(
                        "{\"cookie\":"
                            + (parallel ? 2 : 1)
                            + ",\"lastMutationIDChanges\":{},\"patch\":["
                            + patch
                            + "]}"),
                local.cookie(),
                parallel);
        assertEquals(PullApplier.Outcome.Kind.APPLIED, outcome.kind);
        assertEquals(
            String.format(misfit, "u1"), local.read(tx -> tx.getJson("user/u1"), null), "u1");
        assertEquals(
            String.format(misfit, "u5"), local.read(tx -> tx.getJson("user/u5"), null), "u5");
        List<Row> users = local.read(tx -> tx.query(Query.from("user")), null);
        assertEquals(1, users.size(), "only u2 fits the table: " + users);
        assertEquals("u2", users.get(0).getString("id"));
        assertEquals("Ann", users.get(0).getString("name"));
      }
    } finally {
      driver.close();
    }
    tandem =
        SchemaFixture.register(Tandem.builder())
            .databaseFile(new File(directory.toFile(), "y.db"))
            .build();
  }

  private static String put(String key, String json) {
    return "{\"op\":\"put\",\"key\":\"" + key + "\",\"value\":" + json + "}";
  }
}
