package dev.tandem.server;

import static dev.tandem.server.Requests.body;
import static dev.tandem.server.Requests.mutation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.Column;
import dev.tandem.Migration;
import dev.tandem.Migrations;
import dev.tandem.Mutators;
import dev.tandem.Schema;
import dev.tandem.Table;
import dev.tandem.protocol.Cookie;
import dev.tandem.protocol.ErrorResponse;
import dev.tandem.protocol.PatchOperation;
import dev.tandem.protocol.ProtocolJson;
import dev.tandem.protocol.PullRequest;
import dev.tandem.protocol.PullResult;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server's migrations on a real database: steps applied once and in order, each atomic and
 * recorded with its checksum; edited, removed and unknown steps stop the start; the served version
 * range follows the steps; each client writes the columns its version has; mirrors keep a renamed
 * column's two names equal; contract steps drop what no served version has. SQLite and Postgres.
 */
abstract class MigrationContractTest {
  static final Table PERSON_1 =
      Table.named("person")
          .columns(
              Column.string("id"), Column.string("nickname"), Column.enumeration("role", "member"))
          .primaryKey("id");
  static final Schema V1 = Schema.builder().version(1).table(PERSON_1).build();

  /** + bio (optional), + an index, + a role. */
  static final Schema V2 =
      V1.toBuilder()
          .version(2)
          .replace(
              Table.named("person")
                  .columns(
                      Column.string("id"),
                      Column.string("nickname"),
                      Column.enumeration("role", "member", "admin"),
                      Column.string("bio").optional())
                  .primaryKey("id")
                  .index("nickname"))
          .build();

  /** + displayName, mirrored from nickname (the expand half of a rename). */
  static final Schema V3 =
      V2.toBuilder()
          .version(3)
          .replace(V2.table("person").columns(Column.string("displayName").optional()))
          .build();

  /** nickname gone (the contract half). */
  static final Schema V4 =
      V3.toBuilder().version(4).replace(V3.table("person").withoutColumns("nickname")).build();

  static final Migration M1 = Migration.to(V1);
  static final Migration M2 = Migration.to(V2);
  static final Migration M3 = Migration.to(V3).mirror("person", "nickname", "displayName", "?");
  static final Migration M4 = Migration.to(V4).contract(4);

  private final List<Database> opened = new ArrayList<>();
  private Database database;
  private Backend backend;
  private long nextID = 1;

  abstract Database openDatabase() throws Exception;

  /** The same database again, as another server process would open it. */
  abstract Database reopen() throws Exception;

  @AfterEach
  void closeAll() {
    for (Database each : opened) each.close();
  }

  private Backend start(Migration... steps) throws Exception {
    if (database != null) database.close();
    database = database == null ? openDatabase() : reopen();
    opened.add(database);
    Migrations migrations = Migrations.of(steps);
    Schema current = migrations.current();
    Mutators.Builder mutators = Mutators.builder();
    for (Table table : current.tables()) mutators.crud(table);
    backend =
        Backend.builder()
            .database(database)
            .migrations(migrations)
            .mutators(mutators.build())
            .build();
    return backend;
  }

  private HandlerResponse push(String schemaVersion, String name, String args) {
    return backend.push(
        "ann",
        body(
            Requests.pushJson(
                "g1", schemaVersion, Arrays.asList(mutation("c1", nextID++, name, args)))));
  }

  private void pushOk(String schemaVersion, String name, String args) {
    HandlerResponse response = push(schemaVersion, name, args);
    assertEquals("{}", response.body(), name + " " + args);
  }

  private PullResult pull(String schemaVersion, Cookie cookie) throws Exception {
    String json =
        ProtocolJson.moshi()
            .adapter(PullRequest.class)
            .toJson(new PullRequest(1, "g1", "profile", schemaVersion, cookie));
    HandlerResponse response = backend.pull("ann", body(json));
    assertEquals(200, response.status(), response.body());
    return ProtocolJson.moshi().adapter(PullResult.class).fromJson(response.body());
  }

  /** The person rows a first pull serves, by key, as JSON text. */
  private Map<String, String> people(String schemaVersion) throws Exception {
    Map<String, String> rows = new LinkedHashMap<>();
    for (PatchOperation op : pull(schemaVersion, Cookie.NULL).response().patch()) {
      if (op.op() == PatchOperation.Op.PUT) rows.put(op.key(), op.value().toString());
    }
    return rows;
  }

  private List<String> columns(String table) throws Exception {
    List<String> names = new ArrayList<>();
    try (Connection connection = database.reads().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
      for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
        names.add(rows.getMetaData().getColumnName(i));
      }
    }
    return names;
  }

  private List<Long> appliedVersions() throws Exception {
    List<Long> versions = new ArrayList<>();
    try (Connection connection = database.reads().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT version FROM tandem_migration ORDER BY version")) {
      while (rows.next()) versions.add(rows.getLong(1));
    }
    return versions;
  }

  @Test
  void stepsApplyOnceInOrderAndAddWhatEachAdds() throws Exception {
    start(M1);
    pushOk("1", "person.insert", "{\"id\":\"p1\",\"nickname\":\"ann\",\"role\":\"member\"}");
    assertFalse(columns("person").contains("bio"));
    start(M1, M2);
    assertEquals(Arrays.asList(1L, 2L), appliedVersions());
    assertTrue(columns("person").contains("bio"));
    // A value the widened enumeration has (no CHECK left to refuse it).
    pushOk("2", "person.insert", "{\"id\":\"p2\",\"nickname\":\"bo\",\"role\":\"admin\"}");
    start(M1, M2); // Nothing left to apply.
    assertEquals(Arrays.asList(1L, 2L), appliedVersions());
    assertEquals(2, people("2").size());
  }

  @Test
  void aDatabaseFromBeforeMigrationsIsAdoptedAndItsEnumerationChecksGoWhenValuesAreAdded()
      throws Exception {
    // The layout an earlier server created, with the enumeration checked by the database.
    database = openDatabase();
    opened.add(database);
    try (Connection connection = database.writes().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE person (id TEXT NOT NULL, nickname TEXT NOT NULL,"
              + " role TEXT NOT NULL CHECK (role IN ('member')), _tandem_version BIGINT NOT NULL,"
              + " _tandem_deleted BOOLEAN NOT NULL, PRIMARY KEY (id))");
      statement.execute(
          "INSERT INTO person VALUES ('p0', 'old', 'member', 1, " + falseLiteral() + ")");
    }
    backend = null;
    start(M1);
    assertEquals(Arrays.asList(1L), appliedVersions());
    start(M1, M2);
    pushOk("2", "person.insert", "{\"id\":\"p1\",\"nickname\":\"ann\",\"role\":\"admin\"}");
    Map<String, String> people = people("2");
    assertEquals(2, people.size());
    assertEquals(
        "{\"id\":\"p0\",\"nickname\":\"old\",\"role\":\"member\"}", people.get("person/p0"));
  }

  /** A false boolean as both databases take it in SQL. */
  private String falseLiteral() {
    return database.dialect() == Dialect.POSTGRES ? "false" : "0";
  }

  @Test
  void anOlderClientsWriteKeepsTheColumnsItDoesNotKnow() throws Exception {
    start(M1, M2);
    pushOk(
        "2",
        "person.insert",
        "{\"id\":\"p1\",\"nickname\":\"ann\",\"role\":\"member\",\"bio\":\"hello\"}");
    // Version 1 writes the whole row it knows: bio stays.
    pushOk("1", "person.upsert", "{\"id\":\"p1\",\"nickname\":\"annie\",\"role\":\"member\"}");
    assertEquals(
        "{\"id\":\"p1\",\"nickname\":\"annie\",\"role\":\"member\",\"bio\":\"hello\"}",
        people("1").get("person/p1"));
    // Version 2 knows bio: leaving it out clears it.
    pushOk("2", "person.upsert", "{\"id\":\"p1\",\"nickname\":\"annie\",\"role\":\"member\"}");
    assertEquals(
        "{\"id\":\"p1\",\"nickname\":\"annie\",\"role\":\"member\"}", people("2").get("person/p1"));
  }

  @Test
  void theServedRangeFollowsTheStepsWithAReasonEachSide() throws Exception {
    start(M1, M2, M3);
    assertNull(pull("1", Cookie.NULL).error());
    assertNull(pull("3", Cookie.NULL).error());
    ErrorResponse tooNew = pull("4", Cookie.NULL).error();
    assertEquals(ErrorResponse.schemaNotSupported(ErrorResponse.CLIENT_TOO_NEW, "1", "3"), tooNew);
    start(M1, M2, M3, M4);
    ErrorResponse tooOld = pull("3", Cookie.NULL).error();
    assertEquals(ErrorResponse.schemaNotSupported(ErrorResponse.CLIENT_TOO_OLD, "4", "4"), tooOld);
    assertTrue(push("2", "person.upsert", "{}").body().contains("clientTooOld"));
  }

  @Test
  void aMirrorBackfillsAndKeepsBothNamesEqualUntilTheContractStepDropsTheOld() throws Exception {
    start(M1, M2);
    pushOk("2", "person.insert", "{\"id\":\"p1\",\"nickname\":\"ann\",\"role\":\"member\"}");
    Cookie before = pull("2", Cookie.NULL).response().cookie();
    start(M1, M2, M3);
    // The backfill is a change: a client that was up to date pulls the row again.
    List<PatchOperation> changed = pull("2", before).response().patch();
    assertEquals(1, changed.size());
    assertEquals(
        "{\"id\":\"p1\",\"nickname\":\"ann\",\"role\":\"member\",\"displayName\":\"ann\"}",
        changed.get(0).value().toString());
    // The old name written by an old client: the new name follows.
    pushOk("2", "person.update", "{\"id\":\"p1\",\"nickname\":\"annie\"}");
    assertTrue(people("3").get("person/p1").contains("\"displayName\":\"annie\""));
    // The new name written by a new client: the old name follows.
    pushOk("3", "person.update", "{\"id\":\"p1\",\"displayName\":\"Ann B\"}");
    assertTrue(people("2").get("person/p1").contains("\"nickname\":\"Ann B\""));
    // A new row with only the new name; the old, required, one gets it too.
    pushOk("3", "person.insert", "{\"id\":\"p2\",\"nickname\":\"x\",\"role\":\"member\"}");
    pushOk("3", "person.update", "{\"id\":\"p2\",\"displayName\":null}");
    assertTrue(people("3").get("person/p2").contains("\"nickname\":\"?\""));

    start(M1, M2, M3, M4);
    assertFalse(columns("person").contains("nickname"));
    assertEquals(
        "{\"id\":\"p1\",\"role\":\"member\",\"displayName\":\"Ann B\"}",
        people("4").get("person/p1"));
    pushOk("4", "person.insert", "{\"id\":\"p3\",\"role\":\"admin\",\"displayName\":\"Cy\"}");
  }

  @Test
  void aFailingStepLeavesNothingBehind() throws Exception {
    start(M1);
    Migration broken = Migration.to(V2).sql(Migration.ANY, "THIS IS NOT SQL");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> start(M1, broken));
    assertTrue(e.getMessage().contains("migration 2 failed and was rolled back"), e.getMessage());
    database = reopen();
    opened.add(database);
    assertEquals(Arrays.asList(1L), appliedVersions());
    assertFalse(columns("person").contains("bio"));
    start(M1, M2);
    assertTrue(columns("person").contains("bio"));
  }

  @Test
  void handWrittenSqlRunsWithTheStepsVersionAndIsCheckedAfterwards() throws Exception {
    start(M1);
    pushOk("1", "person.insert", "{\"id\":\"p1\",\"nickname\":\"ann\",\"role\":\"member\"}");
    Cookie before = pull("1", Cookie.NULL).response().cookie();
    Migration withSql =
        Migration.to(V2)
            .sql(Migration.ANY, "UPDATE person SET bio = 'from sql', _tandem_version = ${version}");
    start(M1, withSql);
    List<PatchOperation> changed = pull("2", before).response().patch();
    assertEquals(1, changed.size());
    assertTrue(changed.get(0).value().toString().contains("from sql"));
    // SQL that leaves the table unlike the schema is rolled back.
    Migration breaking =
        Migration.to(V3)
            .sql(
                Migration.ANY,
                "ALTER TABLE person ADD COLUMN extra TEXT NOT NULL DEFAULT ''",
                "ALTER TABLE person DROP COLUMN bio");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> start(M1, withSql, breaking));
    assertTrue(e.getMessage().contains("column bio is missing"), e.getMessage());
  }

  @Test
  void editedRemovedOrUnknownAppliedStepsStopTheStart() throws Exception {
    start(M1, M2);
    Migration edited = Migration.to(V2).sql(Migration.ANY, "SELECT 1");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> start(M1, edited));
    assertTrue(e.getMessage().contains("migration 2 was edited"), e.getMessage());
    database = reopen();
    opened.add(database);
    e = assertThrows(IllegalStateException.class, () -> start(M1));
    assertTrue(e.getMessage().contains("migration 2 is applied in this database"), e.getMessage());
    database = reopen();
    opened.add(database);
    e = assertThrows(IllegalStateException.class, () -> start(M2));
    assertTrue(e.getMessage().contains("app has no migration 1"), e.getMessage());
  }

  @Test
  void theAppsSchemaMustBeItsLastMigrations() throws Exception {
    database = openDatabase();
    opened.add(database);
    Backend.Builder builder =
        Backend.builder().database(database).schema(V2).migrations(Migrations.of(M1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
    assertTrue(e.getMessage().contains("not the schema of its last migration"), e.getMessage());
    Backend.Builder ranged =
        Backend.builder()
            .database(database)
            .migrations(Migrations.of(M1))
            .schemaVersions(SchemaVersions.range(1, 5));
    assertThrows(IllegalArgumentException.class, ranged::build);
  }
}
