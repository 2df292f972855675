package dev.tandem.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.Assign;
import dev.tandem.Permissions;
import dev.tandem.protocol.RefusedMutation;
import dev.tandem.server.apps.TeamApp;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The permissions contract tests' starting point, on {@link TeamApp} (seeds/004's model): ann owns
 * project pa, with an issue, a comment and cat as a member; bob owns pb, with an issue. With the
 * helpers that check what a push refused, what a pull serves and what the tables hold. A test that
 * needs the server configured otherwise starts a second {@link #teamBackend} on the same database.
 */
abstract class PermissionsFixture {
  Database database;
  Backend backend;
  TeamClient ann;
  TeamClient bob;
  TeamClient cat;

  abstract Database openDatabase() throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    database = openDatabase();
    backend = teamBackend(builder -> builder);
    ann = new TeamClient(backend, "ann", "g-ann");
    bob = new TeamClient(backend, "bob", "g-bob");
    cat = new TeamClient(backend, "cat", "g-cat");
    ann.mutate("projects.insert", "{'id':'pa','name':'A','owner_id':'ann'}")
        .mutate("issues.insert", "{'id':'ia1','title':'a bug','project_id':'pa'}")
        .mutate(
            "comments.insert", "{'id':'ca1','content':'seen','author_id':'ann','issue_id':'ia1'}")
        .mutate("memberships.insert", "{'project_id':'pa','user_id':'cat','role':'member'}");
    bob.mutate("projects.insert", "{'id':'pb','name':'B','owner_id':'bob'}")
        .mutate("issues.insert", "{'id':'ib1','title':'b bug','project_id':'pb'}");
    assertEquals("", refusals(ann) + refusals(bob));
  }

  @AfterEach
  void tearDown() {
    database.close();
  }

  /** Another backend serving {@link TeamApp} on the test's database, as {@code configure} sets. */
  Backend teamBackend(UnaryOperator<Backend.Builder> configure) throws Exception {
    return configure.apply(Backend.builder().database(database).app(new TeamApp())).build();
  }

  /** Permissions of {@link TeamApp}'s schema, project roles held through {@code memberships}. */
  static Permissions.Builder projectMembers() {
    return Permissions.builder(TeamApp.SCHEMA)
        .assign(
            Assign.table("projects", "memberships", "project_id", "user_id").roleColumn("role"));
  }

  /** Another client of {@code who}'s group, on {@code server}, holding its cookie and view. */
  static TeamClient sameGroupAs(TeamClient who, Backend server) {
    TeamClient other = new TeamClient(server, who.user, who.group);
    other.cookie = who.cookie;
    other.view.putAll(who.view);
    return other;
  }

  /** The stored title of issue {@code id}; null if there is none. */
  String title(String id) throws Exception {
    return query("SELECT title FROM issues WHERE id = '" + id + "' AND _tandem_deleted = false");
  }

  static final String PA = "projects/pa";
  static final String PB = "projects/pb";

  /** pa's rows as {@link #setUp} leaves them (its issue, comment and cat's membership). */
  static final String[] PA_ROWS = {PA, "issues/ia1", "comments/ca1", "memberships/pa/cat"};

  /** pb's rows as {@link #setUp} leaves them. */
  static final String[] PB_ROWS = {PB, "issues/ib1"};

  /** Each user pulls and must hold exactly {@code expected} (keys), then the next step runs. */
  void sees(TeamClient who, String... expected) throws Exception {
    who.pull();
    assertEquals(TeamClient.keys(expected), who.keys(), who.user + "'s view");
  }

  /**
   * Pushes the mutation as {@code who}: it must be refused with a reason naming {@code what}, no
   * table changed, and the client's mutation ID counted (its next mutation applies).
   */
  void refusedWithNothingChanged(TeamClient who, String name, String args, String what)
      throws Exception {
    String before = snapshot();
    long id = who.nextID;
    who.mutate(name, args);
    assertEquals(before, snapshot(), "nothing may change");
    who.pull();
    RefusedMutation refusal = null;
    for (RefusedMutation r : who.refused) if (r.id() == id) refusal = r;
    assertTrue(refusal != null, "refusal of " + id + " not listed: " + who.refused);
    assertTrue(refusal.error().equals("permission denied: you may not " + what), refusal.error());
    assertEquals(id, (long) who.last.lastMutationIDChanges().get(who.clientID));
  }

  String refusals(TeamClient who) throws Exception {
    who.pull();
    StringBuilder out = new StringBuilder();
    for (RefusedMutation r : who.refused) out.append(r.id()).append(": ").append(r.error());
    return out.toString();
  }

  /** A poke stream's listener that counts its pokes in {@code count}. */
  static Pokes.StreamListener counting(AtomicInteger count) {
    return new Pokes.StreamListener() {
      @Override
      public void poked() {
        count.incrementAndGet();
      }

      @Override
      public void revoked() {}
    };
  }

  /** The rows of {@code table} recorded for the client group {@code group}. */
  long rows(String table, String group) throws Exception {
    try (Connection connection = database.reads().getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT COUNT(*) FROM " + table + " WHERE client_group_id = ?")) {
      statement.setString(1, group);
      try (ResultSet result = statement.executeQuery()) {
        result.next();
        return result.getLong(1);
      }
    }
  }

  String query(String sql) throws Exception {
    try (Connection connection = database.reads().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      return rows.next() ? rows.getString(1) : null;
    }
  }

  /** Every row of the app's tables, without their versions. */
  String snapshot() throws Exception {
    StringBuilder out = new StringBuilder();
    try (Connection connection = database.reads().getConnection();
        Statement statement = connection.createStatement()) {
      for (String table : new String[] {"users", "projects", "memberships", "issues", "comments"}) {
        try (ResultSet rows = statement.executeQuery("SELECT * FROM " + table + " ORDER BY 1, 2")) {
          ResultSetMetaData meta = rows.getMetaData();
          while (rows.next()) {
            out.append(table);
            for (int i = 1; i <= meta.getColumnCount(); i++) {
              if (meta.getColumnName(i).equals("_tandem_version")) continue;
              out.append(' ').append(rows.getString(i));
            }
            out.append('\n');
          }
        }
      }
    }
    return out.toString();
  }
}
