package dev.tandem.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.Assign;
import dev.tandem.Grant;
import dev.tandem.server.apps.TeamApp;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Permissions enforced on push (seeds/004's model, {@link TeamApp}): every escalation is refused as
 * a whole, with nothing changed, its mutation ID counted and its reason in the group's next pull.
 * Run on SQLite and on embedded Postgres, each test from {@link PermissionsFixture}'s story.
 */
abstract class PermissionsContractTest extends PermissionsFixture {
  @Test
  void writingIntoAProjectYouAreNotAMemberOfIsRefused() throws Exception {
    refusedWithNothingChanged(
        bob,
        "issues.insert",
        "{'id':'ib2','title':'sneaky','project_id':'pa'}",
        "insert issues/ib2");
  }

  @Test
  void reassigningTheOwnerToYourselfIsRefused() throws Exception {
    refusedWithNothingChanged(
        bob, "projects.update", "{'id':'pa','owner_id':'bob'}", "update projects/pa");
  }

  @Test
  void insertingAMembershipForYourselfIsRefused() throws Exception {
    refusedWithNothingChanged(
        bob,
        "memberships.insert",
        "{'project_id':'pa','user_id':'bob','role':'member'}",
        "insert memberships/pa/bob");
  }

  @Test
  void deletingSomeoneElsesCommentIsRefused() throws Exception {
    refusedWithNothingChanged(cat, "comments.delete", "{'id':'ca1'}", "delete comments/ca1");
  }

  @Test
  void commentingInSomeoneElsesNameIsRefused() throws Exception {
    refusedWithNothingChanged(
        cat,
        "comments.insert",
        "{'id':'cc1','content':'I am ann','author_id':'ann','issue_id':'ia1'}",
        "insert comments/cc1");
  }

  @Test
  void movingYourIssueIntoAProjectYouCannotWriteIsRefused() throws Exception {
    // Allowed before the change (bob owns pb), not after (pa is not his): checked on both.
    refusedWithNothingChanged(
        bob, "issues.update", "{'id':'ib1','project_id':'pa'}", "update issues/ib1");
  }

  @Test
  void givingYourProjectAwayIsRefusedAsItLeavesYourReach() throws Exception {
    refusedWithNothingChanged(
        ann, "projects.update", "{'id':'pa','owner_id':'bob'}", "update projects/pa");
  }

  @Test
  void aMutationWithOneRefusedWriteLeavesNothing() throws Exception {
    refusedWithNothingChanged(
        cat,
        "issueWithComment",
        "{'issue':{'id':'ia2','title':'ok','project_id':'pa'},"
            + "'comment':{'id':'cc2','content':'as ann','author_id':'ann','issue_id':'ia2'}}",
        "insert comments/cc2");
  }

  @Test
  void aMutatorThatCatchesTheRefusalIsRefusedAnyway() throws Exception {
    refusedWithNothingChanged(
        cat,
        "swallowRefusal",
        "{'issue':{'id':'ia3','title':'ok','project_id':'pa'},"
            + "'forbidden':{'id':'ib3','title':'no','project_id':'pb'}}",
        "insert issues/ib3");
  }

  // ------------------------------------------------------- reads inside mutators on the server

  @Test
  void aSharedMutatorCannotCopyARowItsUserMayNotRead() throws Exception {
    bob.pull();
    assertTrue(!bob.view.containsKey("issues/ia1"), "bob's client does not hold ann's issue");
    String before = snapshot();

    // On bob's client copyIssue finds no issues/ia1 and writes nothing: so must the server.
    bob.mutate("copyIssue", "{'from':'ia1','id':'ib9','project':'pb'}");

    assertEquals(before, snapshot(), "nothing copied");
    assertEquals("", refusals(bob), "not refused: it found nothing, as on the client");
    assertTrue(!bob.view.containsKey("issues/ib9"));
  }

  @Test
  void readsInsideMutatorsSeeWhatTheUserMayRead() throws Exception {
    bob.mutate("probe", "{'how':'get','from':'ia1','id':'x1','project':'pb'}")
        .mutate("probe", "{'how':'has','from':'ia1','id':'x2','project':'pb'}")
        .mutate("probe", "{'how':'query','from':'ia1','id':'x3','project':'pb'}")
        .mutate("probe", "{'how':'get','from':'ib1','id':'x4','project':'pb'}")
        .mutate("probe", "{'how':'query','from':'ib1','id':'x5','project':'pb'}")
        .mutate("probe", "{'how':'has','from':'ib1','id':'x6','project':'pb'}");
    cat.mutate("probe", "{'how':'scan','from':'','id':'y1','project':'pa'}");

    assertEquals("none", title("x1"), "ann's issue, by key");
    assertEquals("has false", title("x2"));
    assertEquals("none", title("x3"), "ann's issue, by query");
    assertEquals("b bug", title("x4"), "bob's own issue");
    assertEquals("b bug", title("x5"));
    assertEquals("has true", title("x6"));
    // cat, a member of pa, sees pa's issues, not pb's (bob's probes are in pb).
    assertEquals("issues/ia1", title("y1"));
    assertEquals("", refusals(bob) + refusals(cat));
  }

  @Test
  void aMutationReadsTheRowItJustInserted() throws Exception {
    bob.mutate(
        "insertThenRead", "{'issue':{'id':'ib2','title':'fresh','project_id':'pb'},'id':'ib3'}");

    assertEquals("fresh", title("ib3"));
    assertEquals("", refusals(bob));
  }

  @Test
  void aServerMutatorOverrideReadsEverythingThroughUnfiltered() throws Exception {
    Backend server =
        teamBackend(
            builder ->
                builder.serverMutator(
                    "copyIssue",
                    Map.class,
                    (tx, args) -> TeamApp.copyIssue(ServerTransaction.of(tx).unfiltered(), args)));
    TeamClient bobHere = new TeamClient(server, "bob", "g-bob-2");

    bobHere.mutate("copyIssue", "{'from':'ia1','id':'ib9','project':'pb'}");
    assertEquals("a bug", title("ib9"), "the override saw ann's issue");
    // Its writes are still checked: copying into ann's project is refused.
    bobHere.mutate("copyIssue", "{'from':'ib1','id':'ia9','project':'pa'}");
    assertEquals(null, title("ia9"));
    assertEquals("2: permission denied: you may not insert issues/ia9", refusals(bobHere));
  }

  @Test
  void updatingARowYouMayWriteButNotReadIsRefused() throws Exception {
    Backend writeOnly =
        teamBackend(
            builder ->
                builder.permissions(
                    projectMembers()
                        .grant(Grant.update("issues").to("projects:member").through("project"))
                        .build()));
    TeamClient member = new TeamClient(writeOnly, "cat", "g-cat3");
    String before = snapshot();

    // update() reads the row to merge into it; cat's client does not hold it, nor may the server
    // read it for cat's mutator.
    member.mutate("issues.update", "{'id':'ia1','title':'blind'}");

    assertEquals(before, snapshot());
    assertEquals("1: permission denied: you may not update issues/ia1", refusals(member));
  }

  @Test
  void aSharedMutatorMayNotReadUnfiltered() throws Exception {
    bob.mutate("peekUnfiltered", "{}");
    String refused = refusals(bob);
    assertTrue(refused.contains("unfiltered() is for serverMutator overrides"), refused);
  }

  @Test
  void readsOfAnAppWithoutPermissionsSeeEveryRow() throws Exception {
    Backend open = teamBackend(builder -> builder.permissions(null));
    TeamClient bobHere = new TeamClient(open, "bob", "g-bob-open");

    bobHere
        .mutate("copyIssue", "{'from':'ia1','id':'ib9','project':'pb'}")
        .mutate("probe", "{'how':'scan','from':'','id':'z1','project':'pb'}");

    assertEquals("a bug", title("ib9"));
    assertEquals("issues/ia1 issues/ib1 issues/ib9", title("z1"));
  }

  @Test
  void aWriteIsCheckedAgainstRowsAnEarlierWriteOfTheSameMutationMade() throws Exception {
    // The comment's path runs through the issue the same mutation inserted just before.
    cat.mutate(
        "issueWithComment",
        "{'issue':{'id':'ia2','title':'ok','project_id':'pa'},"
            + "'comment':{'id':'cc2','content':'mine','author_id':'cat','issue_id':'ia2'}}");

    assertEquals("", refusals(cat));
    assertEquals("mine", query("SELECT content FROM comments WHERE id = 'cc2'"));
  }

  @Test
  void anInsertOverALiveRowIsRefusedForWhatItIs() throws Exception {
    // The check rides in the insert, which writes nothing either way: the two are told apart.
    ann.mutate("issues.insert", "{'id':'ia1','title':'again','project_id':'pa'}");
    assertEquals("5: table 'issues' already has issues/ia1", refusals(ann));
    refusedWithNothingChanged(
        bob, "issues.insert", "{'id':'ia1','title':'mine','project_id':'pa'}", "insert issues/ia1");
  }

  @Test
  void onlyAdminsAddUsers() throws Exception {
    refusedWithNothingChanged(ann, "users.insert", "{'id':'eve','name':'Eve'}", "insert users/eve");
  }

  @Test
  void keysOutsideTheTablesAreRefused() throws Exception {
    refusedWithNothingChanged(
        ann, "putValue", "{'key':'notes/1','value':'hi'}", "write notes/1 (it is in no table)");
  }

  @Test
  void columnLimitsBindInsertsAndUpdates() throws Exception {
    Backend limited =
        teamBackend(
            builder ->
                builder.permissions(
                    projectMembers()
                        .assign(Assign.column("projects:owner", "owner_id"))
                        .grant(Grant.all("projects").to("projects:owner"))
                        // update() reads the row first: a member must read what they update.
                        .grant(Grant.select("issues").to("projects:member").through("project"))
                        .grant(
                            Grant.update("issues")
                                .to("projects:member")
                                .through("project")
                                .columns("title"))
                        .grant(
                            Grant.insert("issues")
                                .to("projects:member")
                                .through("project")
                                .columns("id", "title", "project_id"))
                        .build()));
    // cat is a member of both projects, so only the column limit stands in the way of a move.
    bob.mutate("memberships.insert", "{'project_id':'pb','user_id':'cat','role':'member'}");
    TeamClient member = new TeamClient(limited, "cat", "g-cat2");
    member.mutate("issues.update", "{'id':'ia1','title':'retitled'}");
    member.mutate("issues.insert", "{'id':'ia8','title':'new','project_id':'pa'}");
    assertEquals("", refusals(member));
    assertEquals("retitled", query("SELECT title FROM issues WHERE id = 'ia1'"));
    String before = snapshot();
    long id = member.nextID;
    member.mutate("issues.update", "{'id':'ia1','project_id':'pb'}");
    assertEquals(before, snapshot());
    member.pull();
    assertEquals(id, member.refused.get(0).id());
    assertEquals("permission denied: you may not update issues/ia1", member.refused.get(0).error());
  }

  @Test
  void allowedWritesApply() throws Exception {
    cat.mutate("issues.insert", "{'id':'ia4','title':'from cat','project_id':'pa'}")
        .mutate(
            "comments.insert", "{'id':'cc4','content':'mine','author_id':'cat','issue_id':'ia4'}")
        .mutate("comments.delete", "{'id':'cc4'}");
    ann.mutate("comments.delete", "{'id':'ca1'}"); // The project's owner may.
    assertEquals("", refusals(cat) + refusals(ann));
    assertEquals("from cat", query("SELECT title FROM issues WHERE id = 'ia4'"));
    assertEquals(
        "deleted",
        query(
            "SELECT CASE WHEN _tandem_deleted THEN 'deleted' ELSE 'live' END FROM comments"
                + " WHERE id = 'ca1'"));
  }

  @Test
  void theAdminListHoldsAdmin() throws Exception {
    TeamClient root = new TeamClient(backend, "root", "g-root");
    root.mutate("users.insert", "{'id':'eve','name':'Eve'}");
    assertEquals("", refusals(root));
    assertEquals("Eve", query("SELECT name FROM users WHERE id = 'eve'"));
  }

  @Test
  void permissionsWithoutTheSchemaAreRefusedAtBuild() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ChatDomain.install(Backend.builder())
                    .database(database)
                    .app(new TeamApp())
                    .clientView((connection, since, out) -> {})
                    .build());
    assertTrue(e.getMessage().contains("clientView"), e.getMessage());
  }
}
