package dev.tandem.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.protocol.RefusedMutation;
import dev.tandem.server.apps.ShelfApp;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reads inside shared mutators on the server ({@link ShelfApp}): a query's relationships (one to
 * many, many to one, through a junction, nested) hold the related rows the user may read and the
 * rows the push wrote, never the others; an old client's upsert over a row its user may not read
 * shows the mutation none of the columns its version lacks. Run on SQLite and on embedded Postgres.
 */
abstract class MutatorReadsContractTest {
  Database database;
  Backend backend;
  TeamClient ann;
  TeamClient bob;

  abstract Database openDatabase() throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    database = openDatabase();
    backend = Backend.builder().database(database).app(new ShelfApp()).build();
    ann = new TeamClient(backend, "ann", "g-ann");
    bob = new TeamClient(backend, "bob", "g-bob");
    ann.schemaVersion = "2";
    bob.schemaVersion = "2";
    bob.mutate("shelves.insert", "{'id':'sb','name':'B','owner_id':'bob','public':false}");
    ann.mutate("shelves.insert", "{'id':'sa','name':'A','owner_id':'ann','public':false}")
        // On bob's shelf: a private note (bob may not read it) and a public one.
        .mutate(
            "notes.insert",
            "{'id':'n1','title':'private','shelf_id':'sb','author_id':'ann','private':true,"
                + "'secret':'s3cr3t'}")
        .mutate(
            "notes.insert",
            "{'id':'n2','title':'public','shelf_id':'sb','author_id':'ann','private':false}")
        // A public note on ann's private shelf.
        .mutate(
            "notes.insert",
            "{'id':'n5','title':'public','shelf_id':'sa','author_id':'ann','private':false}")
        .mutate("tags.insert", "{'id':'t1','label':'seen','hidden':false}")
        .mutate("tags.insert", "{'id':'t2','label':'hidden','hidden':true}")
        .mutate("tags.insert", "{'id':'t4','label':'seen','hidden':false}")
        .mutate("tags.insert", "{'id':'t5','label':'seen','hidden':false}")
        .mutate("note_tags.insert", "{'note_id':'n2','tag_id':'t1','hidden':false}")
        .mutate("note_tags.insert", "{'note_id':'n2','tag_id':'t2','hidden':false}")
        // A hidden link to a tag bob may read.
        .mutate("note_tags.insert", "{'note_id':'n2','tag_id':'t4','hidden':true}");
    assertEquals("", refusals(ann) + refusals(bob));
  }

  @AfterEach
  void tearDown() {
    database.close();
  }

  @Test
  void relationshipsHoldTheReadableRowsAndThisPushsWrites() throws Exception {
    // One push: rows bob may write but not read, then the reads.
    bob.queue( // Bob may put a private note of ann's on his shelf, not read it.
            "notes.insert",
            "{'id':'n4','title':'dropped','shelf_id':'sb','author_id':'ann','private':true}")
        .queue("shelves.insert", "{'id':'sx','name':'X','owner_id':'ann','public':false}")
        .queue(
            "notes.insert",
            "{'id':'n6','title':'mine','shelf_id':'sx','author_id':'bob','private':false}")
        .queue("tags.insert", "{'id':'t3','label':'new','hidden':true}")
        .queue("note_tags.insert", "{'note_id':'n2','tag_id':'t3','hidden':false}")
        .queue("note_tags.insert", "{'note_id':'n2','tag_id':'t5','hidden':true}")
        .queue("look", "{'id':'L1','what':'shelfNotes','shelf':'sb'}")
        .queue("look", "{'id':'L2','what':'noteShelves'}")
        .queue("look", "{'id':'L3','what':'noteTags','note':'n2'}")
        .queue("look", "{'id':'L4','what':'nested'}");
    assertEquals(200, bob.push());
    assertEquals("", refusals(bob));

    assertEquals("sb: n2 n4", log("L1"), "one to many: not ann's private n1");
    assertEquals("n2>sb n4>sb n5>- n6>sx", log("L2"), "many to one: not ann's private shelf sa");
    assertEquals(
        "n2: t1 t3 t5", log("L3"), "through the junction: not the hidden t2, nor t4's hidden link");
    assertEquals("sb[n2(t1 t3 t5) n4()] sx[n6()]", log("L4"));
  }

  @Test
  void aJunctionRowReadableThroughItsPathLinks() throws Exception {
    // Ann, the author of n2, may read its hidden link to t4 (through the note); not the hidden t2.
    ann.mutate("look", "{'id':'L1','what':'noteTags','note':'n2'}");
    assertEquals("", refusals(ann));
    assertEquals("n2: t1 t4", log("L1"));
  }

  @Test
  void relationshipsSeeRowsAnEarlierPushWroteOnlyIfReadable() throws Exception {
    // n4 and sx were written by an earlier push: bob's client dropped them at its pull.
    bob.mutate(
            "notes.insert",
            "{'id':'n4','title':'dropped','shelf_id':'sb','author_id':'ann','private':true}")
        .mutate("shelves.insert", "{'id':'sx','name':'X','owner_id':'ann','public':false}")
        .mutate(
            "notes.insert",
            "{'id':'n6','title':'mine','shelf_id':'sx','author_id':'bob','private':false}")
        .mutate("look", "{'id':'L1','what':'shelfNotes','shelf':'sb'}")
        .mutate("look", "{'id':'L2','what':'noteShelves'}");
    assertEquals("", refusals(bob));

    assertEquals("sb: n2", log("L1"));
    assertEquals("n2>sb n5>- n6>-", log("L2"));
  }

  @Test
  void anOldClientsUpsertOverAnUnreadableRowShowsNoColumnItsVersionLacks() throws Exception {
    TeamClient bobV1 = new TeamClient(backend, "bob", "g-bob-v1");
    bobV1.schemaVersion = "1";

    // Bob's v1 client writes the whole note it knows over ann's private one, then reads it.
    bobV1
        .queue(
            "notes.upsert",
            "{'id':'n1','title':'overwritten','shelf_id':'sb','author_id':'ann',"
                + "'private':true}")
        .queue("look", "{'id':'L1','what':'secret','note':'n1','shelf':'sb','value':'s3cr3t'}");
    assertEquals(200, bobV1.push());
    assertEquals("", refusals(bobV1));

    // On bob's client the note is what he wrote: no secret. So on the server.
    assertEquals(
        "get: overwritten null; query: overwritten null; where secret: 0; related: null;"
            + " scan: null",
        log("L1"));
    // The column the v1 client does not know keeps its value.
    assertEquals("s3cr3t", query("SELECT secret FROM notes WHERE id = 'n1'"));
    assertEquals("overwritten", query("SELECT title FROM notes WHERE id = 'n1'"));
  }

  @Test
  void anOldClientsUpdateOfARowItWroteKeepsTheColumnsItLacks() throws Exception {
    TeamClient bobV1 = new TeamClient(backend, "bob", "g-bob-v1");
    bobV1.schemaVersion = "1";

    // The update reads the note (without the secret) to merge into it: the secret stays stored.
    bobV1
        .queue(
            "notes.upsert",
            "{'id':'n1','title':'overwritten','shelf_id':'sb','author_id':'ann',"
                + "'private':true}")
        .queue("notes.update", "{'id':'n1','title':'again'}");
    assertEquals(200, bobV1.push());
    assertEquals("", refusals(bobV1));

    assertEquals("again", query("SELECT title FROM notes WHERE id = 'n1'"));
    assertEquals("s3cr3t", query("SELECT secret FROM notes WHERE id = 'n1'"));
  }

  @Test
  void anOldClientsUpsertOverAReadableRowShowsItsStoredColumns() throws Exception {
    TeamClient annV1 = new TeamClient(backend, "ann", "g-ann-v1");
    annV1.schemaVersion = "1";

    // Ann may read her note, secret included (her client pulled it, unknown fields kept).
    annV1
        .queue(
            "notes.upsert",
            "{'id':'n1','title':'renamed','shelf_id':'sb','author_id':'ann','private':true}")
        .queue("look", "{'id':'L1','what':'secret','note':'n1','shelf':'sb','value':'s3cr3t'}");
    assertEquals(200, annV1.push());
    assertEquals("", refusals(annV1));

    assertEquals(
        "get: renamed s3cr3t; query: renamed s3cr3t; where secret: 1; related: ;" // sb is bob's
            + " scan: s3cr3t",
        log("L1"));
    assertEquals("s3cr3t", query("SELECT secret FROM notes WHERE id = 'n1'"));
  }

  @Test
  void aNewClientsWriteOverAnUnreadableRowShowsWhatItWrote() throws Exception {
    // A v2 client writes every column: what it reads back is its own.
    bob.queue(
            "notes.upsert",
            "{'id':'n1','title':'mine now','shelf_id':'sb','author_id':'ann','private':true,"
                + "'secret':'bobs'}")
        .queue("look", "{'id':'L1','what':'secret','note':'n1','shelf':'sb','value':'bobs'}");
    assertEquals(200, bob.push());
    assertEquals("", refusals(bob));

    assertEquals(
        "get: mine now bobs; query: mine now bobs; where secret: 1; related: bobs; scan: bobs",
        log("L1"));
  }

  String log(String id) throws Exception {
    return query("SELECT text FROM logs WHERE id = '" + id + "'");
  }

  String refusals(TeamClient who) throws Exception {
    who.pull();
    StringBuilder out = new StringBuilder();
    for (RefusedMutation r : who.refused) out.append(r.id()).append(": ").append(r.error());
    return out.toString();
  }

  String query(String sql) throws Exception {
    try (Connection connection = database.reads().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      return rows.next() ? rows.getString(1) : null;
    }
  }
}
