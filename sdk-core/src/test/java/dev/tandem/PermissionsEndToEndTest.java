package dev.tandem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivex.rxjava3.schedulers.Schedulers;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tandem clients of three users against the real server stub serving an app with permissions
 * (seeds/004's model, docs/PERMISSIONS.md): each client holds exactly its user's rows after each
 * step (invite, remove, move an issue, make a project public, revoke it), and a write its user may
 * not make is refused and rolled back on its client.
 */
class PermissionsEndToEndTest {
  static final Schema SCHEMA =
      Schema.builder()
          .version(1)
          .table(
              Table.named("projects")
                  .columns(
                      Column.string("id"),
                      Column.string("name"),
                      Column.string("owner_id"),
                      Column.bool("public").optional())
                  .primaryKey("id"))
          .table(
              Table.named("memberships")
                  .columns(Column.string("project_id"), Column.string("user_id"))
                  .primaryKey("project_id", "user_id")
                  .relationships(Relationship.one("project").hop("project_id", "projects", "id")))
          .table(
              Table.named("issues")
                  .columns(Column.string("id"), Column.string("title"), Column.string("project_id"))
                  .primaryKey("id")
                  .relationships(Relationship.one("project").hop("project_id", "projects", "id")))
          .build();

  static final AppDefinition APP =
      new AppDefinition() {
        final Mutators mutators =
            Subset.register(Mutators.builder())
                .crud(SCHEMA.table("projects"))
                .crud(SCHEMA.table("memberships"))
                .crud(SCHEMA.table("issues"))
                .build();
        final Permissions permissions =
            Permissions.builder(SCHEMA)
                .assign(Assign.column("projects:owner", "owner_id"))
                .assign(Assign.table("projects:member", "memberships", "project_id", "user_id"))
                .assign(Assign.where("projects:public", Condition.eq("public", true)))
                .grant(Grant.all("projects").to("projects:owner"))
                .grant(Grant.select("projects").to("projects:member"))
                .grant(Grant.select("projects").to("projects:public"))
                .grant(Grant.all("memberships").to("projects:owner").through("project"))
                .grant(Grant.select("memberships").to("projects:member").through("project"))
                .grant(Grant.all("issues").to("projects:owner").through("project"))
                .grant(Grant.all("issues").to("projects:member").through("project"))
                .grant(Grant.select("issues").to("projects:public").through("project"))
                .subset(
                    Subset.of("projects")
                        .through("memberships", "project")
                        .through("issues", "project"))
                .build();

        @Override
        public Schema schema() {
          return SCHEMA;
        }

        @Override
        public Mutators mutators() {
          return mutators;
        }

        @Override
        public Permissions permissions() {
          return permissions;
        }
      };

  @TempDir Path directory;
  StubServer server;
  final TestScheduler scheduler = new TestScheduler();
  final Map<String, Tandem> clients = new LinkedHashMap<>();
  final List<RefusedMutation> refused = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void setUp() throws Exception {
    server = new StubServer(directory, builder -> builder.app(APP));
    for (String user : Arrays.asList("ann", "bob", "cat")) {
      Tandem client =
          Tandem.builder()
              .app(APP)
              .databaseFile(new File(directory.toFile(), user + ".db"))
              .serverUrl(server.url())
              .pokeUrl(null)
              .pullInterval(0)
              .scheduler(scheduler)
              .queryScheduler(Schedulers.trampoline())
              .auth(AuthProvider.of(user))
              .onMutationRefused(refused::add)
              .build();
      clients.put(user, client);
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Tandem client : clients.values()) client.close();
    server.close();
  }

  void mutate(String user, String name, Object... keysAndValues) throws Exception {
    Map<String, Object> args = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2)
      args.put((String) keysAndValues[i], keysAndValues[i + 1]);
    Tandem client = clients.get(user);
    client.mutate(name, args);
    ConvergencePropertyTest.settle(client.flush(), scheduler);
  }

  /** Every client pulls; each must hold exactly its expected keys. */
  void sees(String ann, String bob, String cat) throws Exception {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("ann", ann);
    expected.put("bob", bob);
    expected.put("cat", cat);
    for (Map.Entry<String, String> entry : expected.entrySet()) {
      Tandem client = clients.get(entry.getKey());
      ConvergencePropertyTest.settle(client.pull(), scheduler);
      List<String> keys = new ArrayList<>();
      for (KeyValue kv : client.query(tx -> tx.scan(ScanOptions.all()))) keys.add(kv.key());
      List<String> want = new ArrayList<>();
      if (!entry.getValue().isEmpty()) want.addAll(Arrays.asList(entry.getValue().split(" ")));
      Collections.sort(want);
      Collections.sort(keys);
      assertEquals(want, keys, entry.getKey() + "'s client");
    }
  }

  @Test
  void eachClientHoldsExactlyItsUsersRowsThroughTheStory() throws Exception {
    mutate("ann", "projects.insert", "id", "pa", "name", "A", "owner_id", "ann");
    mutate("ann", "issues.insert", "id", "ia1", "title", "a bug", "project_id", "pa");
    mutate("bob", "projects.insert", "id", "pb", "name", "B", "owner_id", "bob");
    sees("projects/pa issues/ia1", "projects/pb", "");

    mutate("ann", "memberships.insert", "project_id", "pa", "user_id", "cat"); // invite
    mutate("bob", "memberships.insert", "project_id", "pb", "user_id", "ann");
    sees(
        "projects/pa projects/pb issues/ia1 memberships/pa/cat memberships/pb/ann",
        "projects/pb memberships/pb/ann",
        "projects/pa issues/ia1 memberships/pa/cat");

    mutate("ann", "issues.update", "id", "ia1", "project_id", "pb"); // move
    sees(
        "projects/pa projects/pb issues/ia1 memberships/pa/cat memberships/pb/ann",
        "projects/pb issues/ia1 memberships/pb/ann",
        "projects/pa memberships/pa/cat");

    mutate("ann", "memberships.delete", "project_id", "pa", "user_id", "cat"); // remove
    sees(
        "projects/pa projects/pb issues/ia1 memberships/pb/ann",
        "projects/pb issues/ia1 memberships/pb/ann",
        "");

    mutate("ann", "issues.insert", "id", "ia2", "title", "open", "project_id", "pa");
    mutate("ann", "projects.update", "id", "pa", "public", true); // make public
    String ann = "projects/pa projects/pb issues/ia1 issues/ia2 memberships/pb/ann";
    sees(
        ann,
        "projects/pa projects/pb issues/ia1 issues/ia2 memberships/pb/ann",
        "projects/pa issues/ia2");

    mutate("ann", "projects.update", "id", "pa", "public", false); // revoke
    sees(ann, "projects/pb issues/ia1 memberships/pb/ann", "");

    // cat writes into pa anyway: it shows at once, then the server refuses it.
    clients
        .get("cat")
        .mutate("issues.insert", map("id", "ic1", "title", "sneaky", "project_id", "pa"));
    assertEquals(1, clients.get("cat").query(Query.from("issues")).size());
    ConvergencePropertyTest.settle(clients.get("cat").flush(), scheduler);
    sees(ann, "projects/pb issues/ia1 memberships/pb/ann", "");
    assertEquals(1, refused.size(), refused.toString());
    assertTrue(refused.get(0).reason().startsWith("permission denied"), refused.get(0).reason());
    assertEquals(0, clients.get("cat").pendingMutations().size());
  }

  @Test
  void aClientNarrowsToOneProjectAndItsPendingWritesStillLand() throws Exception {
    mutate("ann", "projects.insert", "id", "pa", "name", "A", "owner_id", "ann");
    mutate("ann", "projects.insert", "id", "pb", "name", "B", "owner_id", "ann");
    mutate("ann", "issues.insert", "id", "ia1", "title", "in a", "project_id", "pa");
    mutate("ann", "issues.insert", "id", "ib1", "title", "in b", "project_id", "pb");
    sees("projects/pa projects/pb issues/ia1 issues/ib1", "", "");
    Tandem ann = clients.get("ann");
    ann.mutate(Subset.MUTATOR, Subset.choose("pa"));
    // Offline, in the same queue: a write into pb, outside the new subset.
    ann.mutate("issues.insert", map("id", "ib2", "title", "later", "project_id", "pb"));
    ConvergencePropertyTest.settle(ann.flush(), scheduler);
    sees("projects/pa issues/ia1", "", "");
    assertEquals(0, ann.pendingMutations().size());
    assertTrue(refused.isEmpty(), refused.toString());
    ann.mutate(Subset.MUTATOR, Subset.everything());
    ConvergencePropertyTest.settle(ann.flush(), scheduler);
    sees("projects/pa projects/pb issues/ia1 issues/ib1 issues/ib2", "", "");
  }

  static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2)
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    return map;
  }
}
