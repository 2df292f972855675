package dev.tandem;

import static dev.tandem.Column.bool;
import static dev.tandem.Column.number;
import static dev.tandem.Column.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Schema validation at build time: clear messages, no unsafe identifiers. */
class SchemaTest {
  static String problem(Schema.Builder builder) {
    return assertThrows(IllegalArgumentException.class, builder::build).getMessage();
  }

  static Table user() {
    return Table.named("user").columns(string("id"), string("name")).primaryKey("id");
  }

  @Test
  void theSeedExamplesBuild() {
    Schema schema = SchemaFixture.schema();
    assertEquals(7, schema.version());
    assertEquals(
        Arrays.asList(
            "user",
            "message",
            "issue",
            "label",
            "issueLabel",
            "member",
            "comment",
            "event",
            "userPref"),
        names(schema));
    assertEquals("analytics.event", schema.table("event").serverName());
    assertEquals("org_id", schema.table("userPref").column("orgID").field());
  }

  static java.util.List<String> names(Schema schema) {
    java.util.List<String> names = new java.util.ArrayList<>();
    for (Table table : schema.tables()) names.add(table.name());
    return names;
  }

  @Test
  void anUnknownPrimaryKeyColumnIsRejected() {
    assertEquals(
        "primary key of table 'user' names unknown column 'uid'",
        problem(
            Schema.builder().table(Table.named("user").columns(string("id")).primaryKey("uid"))));
  }

  @Test
  void aMissingPrimaryKeyIsRejected() {
    assertEquals(
        "table 'user' has no primary key",
        problem(Schema.builder().table(Table.named("user").columns(string("id")))));
  }

  @Test
  void anUnknownColumnOrTableInARelationshipIsRejected() {
    Table message =
        Table.named("message")
            .columns(string("id"), string("senderID"))
            .primaryKey("id")
            .relationships(Relationship.one("sender").hop("authorID", "user", "id"));
    assertEquals(
        "relationship 'message.sender' names unknown column 'message.authorID'",
        problem(Schema.builder().table(user()).table(message)));

    Table toNowhere =
        Table.named("message")
            .columns(string("id"))
            .primaryKey("id")
            .relationships(Relationship.one("sender").hop("id", "person", "id"));
    assertEquals(
        "relationship 'message.sender' names unknown table 'person'",
        problem(Schema.builder().table(user()).table(toNowhere)));

    Table wrongDest =
        Table.named("message")
            .columns(string("id"), string("senderID"))
            .primaryKey("id")
            .relationships(Relationship.one("sender").hop("senderID", "user", "uid"));
    assertEquals(
        "relationship 'message.sender' names unknown column 'user.uid'",
        problem(Schema.builder().table(user()).table(wrongDest)));
  }

  @Test
  void duplicateNamesAreRejected() {
    assertEquals(
        "table 'user' is defined twice",
        assertThrows(
                IllegalArgumentException.class, () -> Schema.builder().table(user()).table(user()))
            .getMessage());
    assertEquals(
        "column 'id' is defined twice in table 'user'",
        problem(
            Schema.builder()
                .table(Table.named("user").columns(string("id"), number("id")).primaryKey("id"))));
    assertEquals(
        "two tables sync from 'people': give each its own from()",
        problem(
            Schema.builder()
                .table(user().from("people"))
                .table(
                    Table.named("person").from("people").columns(string("id")).primaryKey("id"))));
  }

  @Test
  void unsafeIdentifiersAreRejected() {
    String[] unsafe = {"user\"; DROP TABLE x; --", "1user", "us er", "", "naïve"};
    for (String name : unsafe) {
      String message =
          problem(Schema.builder().table(Table.named(name).columns(string("id")).primaryKey("id")));
      assertEquals(true, message.contains("is not a safe identifier"), message);
    }
    String column =
        problem(
            Schema.builder()
                .table(Table.named("t").columns(string("id"), bool("x) --")).primaryKey("id")));
    assertEquals(true, column.contains("is not a safe identifier"), column);
    String from = problem(Schema.builder().table(user().from("a.b.c")));
    assertEquals(true, from.contains("use a name like"), from);
  }

  @Test
  void optionalPrimaryKeyColumnsAreRejected() {
    assertEquals(
        "primary key column 'user.id' cannot be optional",
        problem(
            Schema.builder()
                .table(Table.named("user").columns(string("id").optional()).primaryKey("id"))));
  }

  @Test
  void compoundRelationshipsMustMatchFieldCounts() {
    Table member =
        Table.named("member")
            .columns(string("orgID"), string("userID"))
            .primaryKey("orgID", "userID");
    Table message =
        Table.named("message")
            .columns(string("id"), string("orgID"))
            .primaryKey("id")
            .relationships(
                Relationship.one("sender")
                    .hop(
                        Relationship.fields("orgID"),
                        "member",
                        Relationship.fields("orgID", "userID")));
    assertEquals(
        "relationship 'message.sender' must match as many source fields as destination fields, at least one",
        problem(Schema.builder().table(member).table(message)));
  }
}
