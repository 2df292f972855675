package dev.tandem.server;

import static dev.tandem.server.Requests.body;
import static dev.tandem.server.Requests.mutation;
import static dev.tandem.server.Requests.pullJson;
import static dev.tandem.server.Requests.pullResponse;
import static dev.tandem.server.Requests.pushJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.Condition;
import dev.tandem.KeyValue;
import dev.tandem.Query;
import dev.tandem.Row;
import dev.tandem.ScanOptions;
import dev.tandem.protocol.Cookie;
import dev.tandem.protocol.Mutation;
import dev.tandem.protocol.PatchOperation;
import dev.tandem.protocol.PullResponse;
import dev.tandem.protocol.RefusedMutation;
import dev.tandem.server.apps.TodoTestApp;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The schema-driven server ({@link Backend.Builder#app}) on a real database: typed tables under
 * {@code from()} names, compound keys, every column type, validation, soft deletes, {@code
 * tandem_kv}, the pull's keys and values, refusals, and the check of existing tables. Run on SQLite
 * and on embedded Postgres.
 */
abstract class SchemaBackendContractTest {
  static final String ANN = "ann";

  Database database;
  Backend backend;
  private long nextID = 1;

  abstract Database openDatabase() throws Exception;

  /**
   * The SQL name of table {@code app.todo}: one identifier on SQLite, schema-qualified on Postgres.
   */
  abstract String todoTable();

  @BeforeEach
  void setUp() throws Exception {
    database = openDatabase();
    backend =
        ChatDomain.install(Backend.builder())
            .database(database)
            .app(new TodoTestApp())
            .serverMutator("inspect", String.class, SchemaBackendContractTest::inspect)
            .build();
  }

  @AfterEach
  void tearDown() {
    database.close();
  }

  /** A server-only mutator that reads through the transaction and stores what it saw. */
  static void inspect(dev.tandem.WriteTransaction tx, String what) {
    Object seen;
    switch (what) {
      case "query":
        List<Object> rows = new ArrayList<>();
        for (Row row :
            tx.query(
                Query.from("todo")
                    .where("done", "=", false)
                    .where(
                        Condition.or(
                            Condition.isNull("priority"), Condition.eq("priority", "high")))
                    .orderBy("title", Query.Direction.DESC)
                    .limit(2)
                    .related("list"))) {
          rows.add(row.key() + " " + row.get("title") + " " + row.one("list").get("name"));
        }
        seen = rows;
        break;
      case "page":
        List<Row> first = tx.query(Query.from("todo").orderBy("title").limit(1));
        List<Object> keys = new ArrayList<>();
        for (Row row : tx.query(Query.from("todo").orderBy("title").startAfter(first.get(0)))) {
          keys.add(row.key());
        }
        seen = keys;
        break;
      case "lists":
        List<Object> lists = new ArrayList<>();
        for (Row row : tx.query(Query.from("list").related("todos", q -> q.orderBy("id")))) {
          lists.add(row.key() + " " + row.many("todos").size());
        }
        seen = lists;
        break;
      case "scan":
        List<Object> scanned = new ArrayList<>();
        for (KeyValue entry :
            tx.scan(ScanOptions.prefix("").startAfter("app.todo/l1/1").limit(3))) {
          scanned.add(entry.key());
        }
        seen = scanned;
        break;
      default:
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("has", tx.has("app.todo/l1/1"));
        facts.put("hasNot", tx.has("app.todo/l1/1.0"));
        facts.put("get", tx.get("app.todo/l1/1"));
        facts.put("empty", tx.isEmpty());
        facts.put("reason", tx.reason().name());
        facts.put("user", tx.userID());
        facts.put("client", tx.clientID());
        facts.put("mutation", tx.mutationID());
        seen = facts;
    }
    tx.put("seen/" + what, seen);
  }

  Mutation next(String name, String argsJson) {
    return mutation("c1", nextID++, name, argsJson);
  }

  HandlerResponse push(Mutation... mutations) {
    return backend.push(ANN, body(pushJson("g1", mutations)));
  }

  PullResponse pull(Cookie cookie) throws Exception {
    return pullResponse(backend.pull(ANN, body(pullJson("g1", cookie))));
  }

  static Map<String, String> puts(PullResponse response) {
    Map<String, String> puts = new LinkedHashMap<>();
    for (PatchOperation op : response.patch()) {
      if (op.op() == PatchOperation.Op.PUT) puts.put(op.key(), op.value().toString());
    }
    return puts;
  }

  static List<String> dels(PullResponse response) {
    List<String> dels = new ArrayList<>();
    for (PatchOperation op : response.patch()) {
      if (op.op() == PatchOperation.Op.DEL) dels.add(op.key());
    }
    return dels;
  }

  static String todo(String list, int id, String title) {
    return "{\"listID\":\""
        + list
        + "\",\"id\":"
        + id
        + ",\"title\":\""
        + title
        + "\",\"done\":false}";
  }

  Mutation put(String key, String valueJson) {
    return next("putValue", "{\"key\":\"" + key + "\",\"value\":" + valueJson + "}");
  }

  long count(String sql) throws Exception {
    try (Connection connection = database.reads().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  String refusal(PullResponse response, long id) {
    for (RefusedMutation refused : response.refusedMutations()) {
      if (refused.id() == id) return refused.error();
    }
    return null;
  }

  @Test
  void theCrudMutatorsOfATableRunOnTheServer() throws Exception {
    push(
        next("createList", "{\"id\":\"l1\",\"name\":\"Home\",\"ownerID\":\"ann\"}"),
        next("todo.insert", "{\"listID\":\"l1\",\"id\":7,\"title\":\"milk\",\"done\":false}"),
        next("todo.update", "{\"listID\":\"l1\",\"id\":7,\"done\":true}"),
        next("todo.upsert", "{\"listID\":\"l1\",\"id\":8,\"title\":\"eggs\",\"done\":false}"),
        next("todo.delete", "{\"listID\":\"l1\",\"id\":8}"),
        next("todo.insert", "{\"listID\":\"l1\",\"id\":7,\"title\":\"again\",\"done\":false}"));

    PullResponse pulled = pull(Cookie.NULL);
    assertEquals(
        "{\"list_id\":\"l1\",\"id\":7,\"title\":\"milk\",\"done\":true}",
        puts(pulled).get("app.todo/l1/7"));
    assertEquals(null, puts(pulled).get("app.todo/l1/8"));
    assertTrue(refusal(pulled, 6).contains("already"), refusal(pulled, 6));
  }

  @Test
  void aPullServesEachColumnTypeUnderTheClientsKeys() throws Exception {
    push(
        next("createList", "{\"id\":\"l1\",\"name\":\"Groceries\"}"),
        next(
            "createTodo",
            "{\"listID\":\"l1\",\"id\":1,\"title\":\"milk\",\"done\":true,\"priority\":\"high\","
                + "\"meta\":{\"tags\":[\"a\",2.5,null]},\"due\":1.5}"),
        next("createTodo", todo("l1", 10, "bread")));

    PullResponse response = pull(Cookie.NULL);

    assertEquals(PatchOperation.Op.CLEAR, response.patch().get(0).op());
    Map<String, String> puts = puts(response);
    assertEquals(
        "{\"id\":\"l1\",\"name\":\"Groceries\",\"owner_id\":\"ann\"}", puts.get("todo_list/l1"));
    assertEquals(
        "{\"list_id\":\"l1\",\"id\":1,\"title\":\"milk\",\"done\":true,\"priority\":\"high\","
            + "\"meta\":{\"tags\":[\"a\",2.5,null]},\"due\":1.5}",
        puts.get("app.todo/l1/1"));
    assertEquals(
        "{\"list_id\":\"l1\",\"id\":10,\"title\":\"bread\",\"done\":false}",
        puts.get("app.todo/l1/10"));
    assertEquals(3, puts.size());
    assertEquals(Map.of("c1", 3L), response.lastMutationIDChanges());
    assertEquals(2, count("SELECT COUNT(*) FROM " + todoTable() + " WHERE list_id = 'l1'"));
  }

  @Test
  void rowsAreStoredInTypedColumnsNamedByTheirFields() throws Exception {
    push(next("createTodo", todo("l1", 2, "eggs")));
    assertEquals(
        1,
        count(
            "SELECT COUNT(*) FROM "
                + todoTable()
                + " WHERE list_id = 'l1' AND id = 2 AND title = 'eggs' AND done = "
                + (database.dialect() == Dialect.POSTGRES ? "false" : "0")
                + " AND priority IS NULL AND _tandem_deleted = "
                + (database.dialect() == Dialect.POSTGRES ? "false" : "0")
                + " AND _tandem_version > 1"));
  }

  @Test
  void anEnumerationValueOutsideItsSetIsRefused() throws Exception {
    push(put("app.todo/l1/3", "{\"title\":\"x\",\"done\":false,\"priority\":\"urgent\"}"));
    PullResponse response = pull(Cookie.NULL);
    assertEquals(
        "table 'todo': column 'priority' should be one of [low, high] but is \"urgent\"",
        refusal(response, 1));
    assertTrue(puts(response).isEmpty());
  }

  @Test
  void valuesThatDoNotFitTheSchemaAreRefusedWithTheirReason() throws Exception {
    push(
        put("app.todo/l1/3", "{\"title\":5,\"done\":false}"),
        put("app.todo/l1/4", "{\"done\":false}"),
        put("app.todo/l1/5", "{\"title\":\"t\",\"done\":false,\"colour\":\"red\"}"),
        put("app.todo/l1/6", "[1]"),
        put("app.todo/l1/6.0", "{\"list_id\":\"l1\",\"id\":6,\"title\":\"t\",\"done\":false}"),
        put("app.todo/l1/7", "{\"title\":\"t\",\"done\":\"no\"}"));
    PullResponse response = pull(Cookie.NULL);
    assertEquals("table 'todo': column 'title' should be string but is 5.0", refusal(response, 1));
    assertEquals("table 'todo': required column 'title' is missing", refusal(response, 2));
    assertEquals("table 'todo' has no column for field 'colour'", refusal(response, 3));
    assertTrue(refusal(response, 4).contains("is not a JSON object"), refusal(response, 4));
    assertTrue(refusal(response, 5).contains("does not match"), refusal(response, 5));
    assertEquals("table 'todo': column 'done' should be bool but is \"no\"", refusal(response, 6));
    assertTrue(puts(response).isEmpty());
    assertEquals(0, count("SELECT COUNT(*) FROM " + todoTable()));
  }

  @Test
  void aPutWhoseValueLeavesOutTheKeyFieldsTakesThemFromTheKey() throws Exception {
    push(put("app.todo/l2/7", "{\"title\":\"t\",\"done\":false}"));
    assertEquals(
        "{\"list_id\":\"l2\",\"id\":7,\"title\":\"t\",\"done\":false}",
        puts(pull(Cookie.NULL)).get("app.todo/l2/7"));
  }

  @Test
  void deletesAreSoftAndServedAsDel() throws Exception {
    push(next("createTodo", todo("l1", 1, "milk")), next("createTodo", todo("l1", 2, "eggs")));
    Cookie cookie = pull(Cookie.NULL).cookie();

    push(next("deleteTodo", "{\"listID\":\"l1\",\"id\":1}"));

    PullResponse after = pull(cookie);
    assertEquals(List.of("app.todo/l1/1"), dels(after));
    assertTrue(puts(after).isEmpty());
    assertEquals(
        Map.of("app.todo/l1/2", todoJson("l1", 2, "eggs", false)), puts(pull(Cookie.NULL)));
    assertEquals(2, count("SELECT COUNT(*) FROM " + todoTable()));
  }

  static String todoJson(String list, int id, String title, boolean done) {
    return "{\"list_id\":\""
        + list
        + "\",\"id\":"
        + id
        + ",\"title\":\""
        + title
        + "\",\"done\":"
        + done
        + "}";
  }

  @Test
  void updateMergesTheGivenFieldsAndInsertRefusesAnExistingRow() throws Exception {
    push(
        next(
            "createTodo",
            "{\"listID\":\"l1\",\"id\":1,\"title\":\"milk\",\"done\":false,\"due\":3}"),
        next("toggleTodo", "{\"listID\":\"l1\",\"id\":1}"),
        next("createTodo", todo("l1", 1, "again")),
        next("toggleTodo", "{\"listID\":\"l1\",\"id\":9}"));
    PullResponse response = pull(Cookie.NULL);
    assertEquals(
        "{\"list_id\":\"l1\",\"id\":1,\"title\":\"milk\",\"done\":true,\"due\":3}",
        puts(response).get("app.todo/l1/1"));
    assertEquals("table 'todo' already has app.todo/l1/1", refusal(response, 3));
    assertEquals("no todo l1/9.0", refusal(response, 4));
  }

  @Test
  void aDeletedRowCanBeInsertedAgain() throws Exception {
    push(
        next("createTodo", todo("l1", 1, "milk")),
        next("deleteTodo", "{\"listID\":\"l1\",\"id\":1}"),
        next("createTodo", todo("l1", 1, "milk again")));
    assertEquals(
        todoJson("l1", 1, "milk again", false), puts(pull(Cookie.NULL)).get("app.todo/l1/1"));
  }

  @Test
  void keysMatchingNoTableLiveInTandemKv() throws Exception {
    push(put("kv/a", "{\"n\":1}"), put("kv/b", "[true,\"x\"]"), put("plain", "4"));
    PullResponse first = pull(Cookie.NULL);
    assertEquals(
        Map.of("kv/a", "{\"n\":1.0}", "kv/b", "[true,\"x\"]", "plain", "4.0"), puts(first));

    push(next("delValue", "\"kv/a\""), put("todo_list", "\"no slash: not a row\""));
    PullResponse second = pull(first.cookie());
    assertEquals(List.of("kv/a"), dels(second));
    assertEquals(Map.of("todo_list", "\"no slash: not a row\""), puts(second));
    assertEquals(1, count("SELECT COUNT(*) FROM tandem_kv WHERE deleted = " + sqlBool(true)));
  }

  String sqlBool(boolean value) {
    return database.dialect() == Dialect.POSTGRES ? Boolean.toString(value) : value ? "1" : "0";
  }

  @Test
  void aRefusedMutationIsListedInTheNextPullOnly() throws Exception {
    push(
        next("fail", "null"),
        next("nope", "{}"),
        next("createTodo", "{\"listID\":\"l1\",\"id\":\"not a number\"}"),
        next("createMessage", "{\"id\":\"m1\",\"from\":\"bob\",\"content\":\"hi\",\"order\":1}"),
        next("createTodo", todo("l1", 1, "milk")));

    PullResponse first = pull(Cookie.NULL);
    assertEquals(4, first.refusedMutations().size());
    assertEquals("this mutator always says no", refusal(first, 1));
    assertEquals("unknown mutator 'nope'", refusal(first, 2));
    assertTrue(refusal(first, 3).startsWith("cannot read Todo"), refusal(first, 3));
    assertEquals("message 'm1' from 'bob' sent by another user", refusal(first, 4));
    assertEquals(Map.of("app.todo/l1/1", todoJson("l1", 1, "milk", false)), puts(first));
    assertEquals(Map.of("c1", 5L), first.lastMutationIDChanges());

    PullResponse second = pull(first.cookie());
    assertTrue(second.refusedMutations().isEmpty());

    push(next("fail", "null"));
    PullResponse third = pull(second.cookie());
    assertEquals(
        List.of(new RefusedMutation("c1", 6, "this mutator always says no")),
        third.refusedMutations());
  }

  @Test
  void refusalsReachOnlyTheirClientGroup() throws Exception {
    push(next("fail", "null"));
    PullResponse other = pullResponse(backend.pull(ANN, body(pullJson("g2", Cookie.NULL))));
    assertTrue(other.refusedMutations().isEmpty());
  }

  @Test
  void aSharedMutatorRunsAuthoritativelyAsTheAuthenticatedUser() throws Exception {
    push(next("createTodo", todo("l1", 1, "milk")), next("inspect", "\"facts\""));
    assertEquals(
        "{\"has\":true,\"hasNot\":false,\"get\":{\"list_id\":\"l1\",\"id\":1.0,\"title\":\"milk\","
            + "\"done\":false},\"empty\":false,\"reason\":\"AUTHORITATIVE\",\"user\":\"ann\","
            + "\"client\":\"c1\",\"mutation\":2}",
        puts(pull(Cookie.NULL)).get("seen/facts"));
  }

  @Test
  void queriesRunOnTheRealTables() throws Exception {
    push(
        next("createList", "{\"id\":\"l1\",\"name\":\"Home\"}"),
        next("createList", "{\"id\":\"l2\",\"name\":\"Work\"}"),
        next("createTodo", todo("l1", 1, "apples")),
        next("createTodo", todo("l1", 2, "Zebra")),
        next(
            "createTodo",
            "{\"listID\":\"l2\",\"id\":3,\"title\":\"b\",\"done\":false,\"priority\":\"low\"}"),
        next("createTodo", "{\"listID\":\"l2\",\"id\":4,\"title\":\"c\",\"done\":true}"),
        next("createTodo", todo("l2", 5, "d")),
        next("inspect", "\"query\""),
        next("inspect", "\"page\""),
        next("inspect", "\"lists\""),
        next("inspect", "\"scan\""));
    Map<String, String> puts = puts(pull(Cookie.NULL));
    // Byte order: lower case after upper case; l2/3 is low priority, l2/4 done.
    assertEquals(
        "[\"app.todo/l2/5 d Work\",\"app.todo/l1/1 apples Home\"]", puts.get("seen/query"));
    assertEquals(
        "[\"app.todo/l1/1\",\"app.todo/l2/3\",\"app.todo/l2/4\",\"app.todo/l2/5\"]",
        puts.get("seen/page"));
    assertEquals("[\"todo_list/l1 2\",\"todo_list/l2 3\"]", puts.get("seen/lists"));
    assertEquals("[\"app.todo/l1/2\",\"app.todo/l2/3\",\"app.todo/l2/4\"]", puts.get("seen/scan"));
  }

  @Test
  void aPrimaryKeyValueHoldingASlashIsRefused() throws Exception {
    push(next("createTodo", todo("a/b", 1, "x")));
    assertTrue(refusal(pull(Cookie.NULL), 1).contains("holds '/'"));
  }

  @Test
  void aServerMutatorOverridesTheSharedOneOnTheServerOnly() throws Exception {
    Database other = openDatabase();
    try {
      Backend overriding =
          Backend.builder()
              .database(other)
              .app(new TodoTestApp())
              .serverMutator(
                  "createList",
                  TodoTestApp.CreateList.class,
                  (tx, list) -> {
                    if (list.name.isEmpty())
                      throw new IllegalArgumentException("a list needs a name");
                    tx.table("list")
                        .insert(Map.of("id", list.id, "name", list.name, "ownerID", "server"));
                  })
              .build();
      overriding.push(
          ANN,
          body(
              pushJson(
                  "g1",
                  mutation("c1", 1, "createList", "{\"id\":\"l1\",\"name\":\"\"}"),
                  mutation("c1", 2, "createList", "{\"id\":\"l2\",\"name\":\"n\"}"))));
      PullResponse response = pullResponse(overriding.pull(ANN, body(pullJson("g1", Cookie.NULL))));
      assertEquals("a list needs a name", refusal(response, 1));
      assertEquals(
          "{\"id\":\"l2\",\"name\":\"n\",\"owner_id\":\"server\"}",
          puts(response).get("todo_list/l2"));
    } finally {
      other.close();
    }
  }

  @Test
  void aHandWrittenMutatorOfAnAppMutatorsNameIsRefusedAtBuild() throws Exception {
    Database other = openDatabase();
    try {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  Backend.builder()
                      .database(other)
                      .mutator("createList", (context, args) -> {})
                      .app(new TodoTestApp())
                      .build());
      assertTrue(e.getMessage().contains("'createList'"), e.getMessage());
    } finally {
      other.close();
    }
  }

  @Test
  void aMismatchedExistingTableStopsTheBuildAndChangesNothing() throws Exception {
    Database other = openDatabase();
    try {
      try (Connection connection = other.writes().getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute(
            "CREATE TABLE todo_list (id TEXT NOT NULL, name BOOLEAN, extra TEXT NOT NULL,"
                + " _tandem_version BIGINT NOT NULL, PRIMARY KEY (id, name))");
      }
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> Backend.builder().database(other).app(new TodoTestApp()).build());
      String message = e.getMessage();
      assertTrue(
          message.startsWith("the database does not match the app's schema; nothing was changed"),
          message);
      for (String expected :
          new String[] {
            "table todo_list: column name is "
                + (other.dialect() == Dialect.POSTGRES ? "boolean" : "BOOLEAN"),
            "table todo_list: column owner_id is missing",
            "table todo_list: bookkeeping column _tandem_deleted BOOLEAN NOT NULL is missing",
            "table todo_list: column extra is not in the schema and is NOT NULL without a default",
            "table todo_list: the primary key is [id, name], but the schema's is [id]",
          }) {
        assertTrue(message.contains(expected), "missing '" + expected + "' in:\n" + message);
      }
      assertFalse(exists(other, "replicache_server"));
      assertFalse(exists(other, "tandem_kv"));
    } finally {
      other.close();
    }
  }

  @Test
  void aMatchingExistingTableIsUsedAsItIs() throws Exception {
    push(next("createTodo", todo("l1", 1, "milk")));
    Backend again = Backend.builder().database(database).app(new TodoTestApp()).build();
    PullResponse response = pullResponse(again.pull(ANN, body(pullJson("g1", Cookie.NULL))));
    assertEquals(todoJson("l1", 1, "milk", false), puts(response).get("app.todo/l1/1"));
  }

  static boolean exists(Database database, String table) throws Exception {
    try (Connection connection = database.reads().getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                database.dialect() == Dialect.POSTGRES
                    ? "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = ?"
                    : "SELECT COUNT(*) FROM sqlite_master WHERE name = ?")) {
      statement.setString(1, table);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1) > 0;
      }
    }
  }
}
