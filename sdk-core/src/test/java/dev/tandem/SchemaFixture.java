package dev.tandem;

import static dev.tandem.Column.bool;
import static dev.tandem.Column.enumeration;
import static dev.tandem.Column.json;
import static dev.tandem.Column.number;
import static dev.tandem.Column.string;
import static dev.tandem.Relationship.fields;

import java.util.LinkedHashMap;
import java.util.Map;

/** The user/message/issue/label examples of seeds/003 as one schema, and a mutator to fill it. */
final class SchemaFixture {
  private SchemaFixture() {}

  enum Mood {
    happy,
    sad,
    taco
  }

  static final class Settings {
    String theme;
  }

  static Schema schema() {
    return Schema.builder()
        .version(7)
        .table(
            Table.named("user")
                .columns(
                    string("id"),
                    string("name"),
                    bool("partner"),
                    string("nickName").optional(),
                    enumeration("mood", Mood.class).optional(),
                    json("settings", Settings.class).optional())
                .primaryKey("id"))
        .table(
            Table.named("message")
                .columns(
                    string("id"),
                    string("senderID"),
                    string("parentMessageID").optional(),
                    string("content"),
                    number("order"))
                .primaryKey("id")
                .relationships(
                    Relationship.one("sender").hop("senderID", "user", "id"),
                    Relationship.many("replies").hop("id", "message", "parentMessageID")))
        .table(
            Table.named("issue")
                .columns(string("id"), string("title"), enumeration("status", "open", "closed"))
                .primaryKey("id")
                .relationships(
                    Relationship.many("labels")
                        .hop("id", "issueLabel", "issueID")
                        .hop("labelID", "label", "id")))
        .table(Table.named("label").columns(string("id"), string("name")).primaryKey("id"))
        .table(
            Table.named("issueLabel")
                .columns(string("issueID"), string("labelID"))
                .primaryKey("issueID", "labelID"))
        .table(
            Table.named("member")
                .columns(string("orgID"), string("userID"), string("name"))
                .primaryKey("orgID", "userID")
                .relationships(
                    Relationship.many("comments")
                        .hop(
                            fields("orgID", "userID"),
                            "comment",
                            fields("authorOrgID", "authorUserID"))))
        .table(
            Table.named("comment")
                .columns(
                    string("id"),
                    string("authorOrgID"),
                    string("authorUserID"),
                    string("parentID").optional(),
                    string("text"))
                .primaryKey("id")
                .relationships(
                    Relationship.one("author")
                        .hop(
                            fields("authorOrgID", "authorUserID"),
                            "member",
                            fields("orgID", "userID")),
                    Relationship.one("parent").hop("parentID", "comment", "id")))
        .table(
            Table.named("event")
                .from("analytics.event")
                .columns(string("id"), string("kind"))
                .primaryKey("id"))
        .table(
            Table.named("userPref")
                .from("user_pref")
                .columns(string("id"), string("orgID").from("org_id"))
                .primaryKey("id"))
        .build();
  }

  /** Args of the {@code insert} mutator. */
  static final class Insert {
    String table;
    Map<String, Object> row;

    Insert(String table, Map<String, Object> row) {
      this.table = table;
      this.row = row;
    }
  }

  static Tandem.Builder register(Tandem.Builder builder) {
    return builder
        .schema(schema())
        .mutator("insert", Insert.class, (tx, m) -> tx.table(m.table).insert(m.row))
        .mutator("upsert", Insert.class, (tx, m) -> tx.table(m.table).upsert(m.row))
        .mutator("update", Insert.class, (tx, m) -> tx.table(m.table).update(m.row))
        .mutator("delete", Insert.class, (tx, m) -> tx.table(m.table).delete(m.row));
  }

  static Map<String, Object> row(Object... pairs) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) row.put((String) pairs[i], pairs[i + 1]);
    return row;
  }
}
