package dev.tandem.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.protocol.Cookie;
import dev.tandem.server.apps.TeamApp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Pulls of an app with permissions (seeds/004's model, {@link TeamApp}), served with client view
 * records: each user sees exactly the rows they may read as memberships, grants and rows change,
 * pokes reach only the groups whose view changed, subsets, records collected, cookies old, forged
 * or unknown, and records forgotten with their group. Run on SQLite and on embedded Postgres, each
 * test from {@link PermissionsFixture}'s story.
 */
abstract class PermissionsPullContractTest extends PermissionsFixture {
  @Test
  void clientGcForgetsAGroupsViewRecordsToo() throws Exception {
    ForgetClientsContractTest.TestClock clock = new ForgetClientsContractTest.TestClock();
    Backend forgetting =
        teamBackend(builder -> builder.clock(clock).forgetClientsAfter(Duration.ofDays(30)));
    TeamClient dan = new TeamClient(forgetting, "dan", "g-dan");
    dan.pull();
    assertTrue(rows("tandem_cvr", "g-dan") > 0, "the pull recorded a view");
    clock.advance(Duration.ofDays(31));
    assertTrue(forgetting.forgetInactiveClients() >= 1);
    assertEquals(0, rows("tandem_cvr", "g-dan"));
    assertEquals(0, rows("tandem_cvr_entry", "g-dan"));
  }

  @Test
  void eachUserSeesExactlyTheirRowsThroughTheStory() throws Exception {
    sees(ann, PA_ROWS);
    sees(bob, PB_ROWS);
    sees(cat, PA_ROWS);

    // Invite: ann adds bob to pa, bob adds ann to pb.
    ann.mutate("memberships.insert", "{'project_id':'pa','user_id':'bob','role':'member'}");
    bob.mutate("memberships.insert", "{'project_id':'pb','user_id':'ann','role':'member'}");
    String[] both = {
      PA,
      PB,
      "issues/ia1",
      "issues/ib1",
      "comments/ca1",
      "memberships/pa/bob",
      "memberships/pa/cat",
      "memberships/pb/ann"
    };
    sees(ann, both);
    sees(bob, both);
    sees(cat, PA, "issues/ia1", "comments/ca1", "memberships/pa/bob", "memberships/pa/cat");

    // Remove: ann removes cat and bob from pa.
    ann.mutate("memberships.delete", "{'project_id':'pa','user_id':'cat'}")
        .mutate("memberships.delete", "{'project_id':'pa','user_id':'bob'}");
    sees(ann, PA, PB, "issues/ia1", "issues/ib1", "comments/ca1", "memberships/pb/ann");
    sees(bob, PB, "issues/ib1", "memberships/pb/ann");
    sees(cat);

    // Move an issue: ann moves ia1 into pb; its comment follows it.
    ann.mutate("issues.update", "{'id':'ia1','project_id':'pb'}")
        .mutate("issues.insert", "{'id':'ia2','title':'stays','project_id':'pa'}");
    sees(
        ann,
        PA,
        PB,
        "issues/ia1",
        "issues/ia2",
        "issues/ib1",
        "comments/ca1",
        "memberships/pb/ann");
    sees(bob, PB, "issues/ia1", "issues/ib1", "comments/ca1", "memberships/pb/ann");
    assertEquals(
        "pb", ann.value("issues/ia1").toString().replaceAll(".*project_id\":\"(\\w+).*", "$1"));
    sees(cat);

    // Make pa public: everyone reads it and its issues, not its memberships.
    ann.mutate("projects.update", "{'id':'pa','public':true}");
    sees(cat, PA, "issues/ia2");
    sees(
        bob,
        PA,
        PB,
        "issues/ia1",
        "issues/ia2",
        "issues/ib1",
        "comments/ca1",
        "memberships/pb/ann");

    // Revoke it.
    ann.mutate("projects.update", "{'id':'pa','public':false}");
    sees(cat);
    sees(bob, PB, "issues/ia1", "issues/ib1", "comments/ca1", "memberships/pb/ann");
    sees(
        ann,
        PA,
        PB,
        "issues/ia1",
        "issues/ia2",
        "issues/ib1",
        "comments/ca1",
        "memberships/pb/ann");
  }

  @Test
  void aDroppedGrantRemovesItsRowsAtTheNextPull() throws Exception {
    ann.mutate("projects.update", "{'id':'pa','public':true}");
    sees(bob, PA, PB, "issues/ia1", "issues/ib1", "comments/ca1");
    // The server restarts with the public grants dropped.
    Backend restarted =
        teamBackend(builder -> builder.permissions(TeamApp.permissionsBuilder(false).build()));
    TeamClient bobAgain = sameGroupAs(bob, restarted);
    sees(bobAgain, PB_ROWS);
    assertTrue(bobAgain.cookie.compareTo(bob.cookie) > 0);
  }

  @Test
  void aPushPokesOnlyTheGroupsWhoseViewItChanged() throws Exception {
    for (TeamClient who : new TeamClient[] {ann, bob, cat}) who.pull();
    Map<String, AtomicInteger> pokes = new TreeMap<>();
    List<Pokes.Subscription> streams = new ArrayList<>();
    for (TeamClient who : new TeamClient[] {ann, bob, cat}) {
      AtomicInteger count = new AtomicInteger();
      pokes.put(who.user, count);
      streams.add(backend.subscribePokes(who.user, who.group, counting(count)));
    }
    // On Postgres the relay of other instances' pokes starts with the first stream and pokes every
    // stream once as it starts listening: count from after that.
    assertTrue(backend.awaitPokeRelay(20_000), "the poke relay never listened");
    for (AtomicInteger count : pokes.values()) count.set(0);
    try {
      bob.mutate("issues.insert", "{'id':'ib8','title':'only bob','project_id':'pb'}");
      assertEquals("{ann=0, bob=1, cat=0}", pokes.toString());
      ann.mutate("issues.update", "{'id':'ia1','title':'seen by cat'}");
      assertEquals("{ann=1, bob=1, cat=1}", pokes.toString());
      ann.mutate("memberships.insert", "{'project_id':'pa','user_id':'bob','role':'member'}");
      assertEquals("{ann=2, bob=2, cat=2}", pokes.toString());
      bob.pull(); // bob now has pa's rows: their removal must reach him

      cat.mutate(
          "comments.insert", "{'id':'cc9','content':'hi','author_id':'cat','issue_id':'ia1'}");
      assertEquals("{ann=3, bob=3, cat=3}", pokes.toString());
      ann.mutate("memberships.delete", "{'project_id':'pa','user_id':'bob'}");
      assertEquals("{ann=4, bob=4, cat=4}", pokes.toString());
      bob.pull();
      bob.mutate("issues.update", "{'id':'ib1','title':'bob alone again'}");
      assertEquals("{ann=4, bob=5, cat=4}", pokes.toString());
      ann.mutate("projects.update", "{'id':'pa','public':true}"); // read by anyone: every group
      assertEquals("{ann=5, bob=6, cat=5}", pokes.toString());
    } finally {
      for (Pokes.Subscription stream : streams) stream.close();
    }
  }

  @Test
  void aClientChoosesASubsetOfWhatItMayReadAndChangesIt() throws Exception {
    bob.mutate("memberships.insert", "{'project_id':'pb','user_id':'ann','role':'member'}");
    String[] all = {
      PA, PB, "issues/ia1", "issues/ib1", "comments/ca1", "memberships/pa/cat", "memberships/pb/ann"
    };
    sees(ann, all);
    ann.mutate("tandem.subset", "{'keys':['pa']}");
    sees(ann, PA_ROWS);
    // A write outside the subset still applies; it just does not come back.
    ann.mutate("issues.insert", "{'id':'ib9','title':'elsewhere','project_id':'pb'}");
    sees(ann, PA_ROWS);
    assertEquals("elsewhere", query("SELECT title FROM issues WHERE id = 'ib9'"));
    ann.mutate("tandem.subset", "{'keys':['pb']}");
    sees(ann, PB, "issues/ib1", "issues/ib9", "memberships/pb/ann");
    ann.mutate("issues.update", "{'id':'ib9','project_id':'pa'}"); // leaves the subset
    sees(ann, PB, "issues/ib1", "memberships/pb/ann");
    // Within what it may read: choosing a project it cannot read gives nothing.
    cat.mutate("tandem.subset", "{'keys':['pb']}");
    sees(cat);
    ann.mutate("tandem.subset", "{'keys':null}");
    sees(
        ann,
        PA,
        PB,
        "issues/ia1",
        "issues/ib1",
        "issues/ib9",
        "comments/ca1",
        "memberships/pa/cat",
        "memberships/pb/ann");
    long id = ann.nextID;
    ann.mutate("tandem.subset", "{'keys':[true]}");
    ann.pull();
    assertEquals(id, ann.refused.get(ann.refused.size() - 1).id());
    assertEquals(
        "a subset key is a string or a number, not true",
        ann.refused.get(ann.refused.size() - 1).error());
  }

  @Test
  void oldRecordsAndTheirTombstonesAreCollectedAndTheirCookiesStartOver() throws Exception {
    sees(bob, PB_ROWS);
    TeamClient old = sameGroupAs(bob, backend);
    for (int i = 0; i < 2 * 16; i++) {
      bob.mutate("issues.insert", "{'id':'t" + i + "','title':'temp','project_id':'pb'}");
      bob.pull();
      bob.mutate("issues.delete", "{'id':'t" + i + "'}");
      bob.pull();
    }
    assertEquals(TeamClient.keys(PB_ROWS), bob.keys());
    assertTrue(rows("tandem_cvr", "g-bob") <= 2 * 16, "records are collected");
    assertTrue(
        Long.parseLong(
                query(
                    "SELECT COUNT(*) FROM tandem_cvr_entry WHERE client_group_id = 'g-bob'"
                        + " AND del_order IS NOT NULL"))
            < 2 * 16,
        "tombstones are collected");
    old.pull(); // its record is gone: it starts over
    assertEquals("CLEAR", old.last.patch().get(0).op().name());
    assertEquals(TeamClient.keys(PB_ROWS), old.keys());
  }

  @Test
  void aClientOnAnOlderRecordCatchesUp() throws Exception {
    sees(cat, PA_ROWS);
    // A second client of cat's group that kept the cookie (and view) of this record.
    TeamClient behind = sameGroupAs(cat, backend);
    ann.mutate("issues.insert", "{'id':'ia5','title':'new','project_id':'pa'}");
    sees(cat, PA, "issues/ia1", "issues/ia5", "comments/ca1", "memberships/pa/cat");
    ann.mutate("issues.update", "{'id':'ia1','title':'renamed'}")
        .mutate("comments.delete", "{'id':'ca1'}");
    sees(cat, PA, "issues/ia1", "issues/ia5", "memberships/pa/cat");
    sees(behind, PA, "issues/ia1", "issues/ia5", "memberships/pa/cat");
    assertEquals(cat.view, behind.view);
    assertEquals(cat.cookie, behind.cookie);
  }

  @Test
  void anUnchangedViewKeepsItsCookie() throws Exception {
    sees(bob, PB_ROWS);
    Cookie cookie = bob.cookie;
    ann.mutate("issues.insert", "{'id':'ia6','title':'not for bob','project_id':'pa'}");
    assertTrue(bob.pull().patch().isEmpty());
    assertEquals(cookie, bob.cookie);
    bob.mutate("issues.update", "{'id':'ib1','title':'changed'}");
    bob.pull();
    assertTrue(bob.cookie.compareTo(cookie) > 0, bob.cookie + " after " + cookie);
  }

  @Test
  void aForgedCookieOfAnotherGroupGetsOnlyYourOwnView() throws Exception {
    sees(ann, PA_ROWS);
    sees(bob, PB_ROWS);
    TeamClient forger = new TeamClient(backend, "bob", "g-bob");
    forger.cookie = ann.cookie; // ann's record, presented for bob's group
    forger.pull();
    assertEquals("CLEAR", forger.last.patch().get(0).op().name());
    assertEquals(TeamClient.keys(PB_ROWS), forger.keys());
    // And ann's own group stays ann's: bob may not pull it.
    assertEquals(
        403, backend.pull("bob", Requests.body(Requests.pullJson("g-ann", ann.cookie))).status());
  }

  @Test
  void anUnknownCookieStartsFromClearWithAHigherOrder() throws Exception {
    TeamClient lost = new TeamClient(backend, "bob", "g-bob");
    lost.cookie = Cookie.parse("{\"order\":500,\"cvrID\":\"gone\"}");
    lost.pull();
    assertEquals("CLEAR", lost.last.patch().get(0).op().name());
    assertEquals(TeamClient.keys(PB_ROWS), lost.keys());
    assertTrue(lost.cookie.compareTo(Cookie.of(500)) > 0, lost.cookie.toString());
    TeamClient numeric = new TeamClient(backend, "bob", "g-bob");
    numeric.cookie = Cookie.of(42); // a global-version cookie
    numeric.pull();
    assertEquals(TeamClient.keys(PB_ROWS), numeric.keys());
  }

  @Test
  void anOfflineClientsMutationsIntoARevokedProjectAreRefusedTheRestApplies() throws Exception {
    ann.mutate("memberships.insert", "{'project_id':'pa','user_id':'bob','role':'member'}");
    sees(
        bob,
        PA,
        PB,
        "issues/ia1",
        "issues/ib1",
        "comments/ca1",
        "memberships/pa/bob",
        "memberships/pa/cat");
    // bob goes offline and works in both projects...
    bob.queue("issues.insert", "{'id':'ia7','title':'offline in pa','project_id':'pa'}")
        .queue("issues.insert", "{'id':'ib7','title':'offline in pb','project_id':'pb'}")
        .queue("issues.update", "{'id':'ia1','title':'offline edit'}");
    // ...while ann removes him from pa.
    ann.mutate("memberships.delete", "{'project_id':'pa','user_id':'bob'}");
    assertEquals(200, bob.push());
    sees(bob, PB, "issues/ib1", "issues/ib7");
    assertEquals(2, bob.refused.size(), bob.refused.toString());
    assertEquals("permission denied: you may not insert issues/ia7", bob.refused.get(0).error());
    assertEquals("permission denied: you may not update issues/ia1", bob.refused.get(1).error());
    assertEquals(null, query("SELECT title FROM issues WHERE id = 'ia7'"));
    assertEquals("a bug", query("SELECT title FROM issues WHERE id = 'ia1'"));
  }
}
