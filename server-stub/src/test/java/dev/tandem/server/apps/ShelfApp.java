package dev.tandem.server.apps;

import dev.tandem.AppDefinition;
import dev.tandem.Assign;
import dev.tandem.Column;
import dev.tandem.Condition;
import dev.tandem.Grant;
import dev.tandem.Migration;
import dev.tandem.Migrations;
import dev.tandem.Mutators;
import dev.tandem.Permissions;
import dev.tandem.Query;
import dev.tandem.Relationship;
import dev.tandem.Row;
import dev.tandem.Schema;
import dev.tandem.Table;
import dev.tandem.WriteTransaction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shelves of notes with tags (through a junction), for reads inside mutators on the server: a note
 * is read by its author, or by anyone when it is not private; a shelf by its owner, or by anyone
 * when public; a tag by anyone unless hidden; a note's link to a tag by anyone unless hidden, and
 * by the note's author. A shelf's owner may put notes on it and change them without reading the
 * private ones (a drop box). Two served schema versions: v2 adds {@code notes.secret}.
 */
public final class ShelfApp implements AppDefinition {
  public static final Schema V1 =
      Schema.builder()
          .version(1)
          .table(
              Table.named("shelves")
                  .columns(
                      Column.string("id"),
                      Column.string("name"),
                      Column.string("owner_id"),
                      Column.bool("public").optional())
                  .primaryKey("id")
                  .relationships(Relationship.many("notes").hop("id", "notes", "shelf_id")))
          .table(
              Table.named("notes")
                  .columns(
                      Column.string("id"),
                      Column.string("title"),
                      Column.string("shelf_id"),
                      Column.string("author_id"),
                      Column.bool("private").optional())
                  .primaryKey("id")
                  .relationships(
                      Relationship.one("shelf").hop("shelf_id", "shelves", "id"),
                      Relationship.many("tags")
                          .hop("id", "note_tags", "note_id")
                          .hop("tag_id", "tags", "id")))
          .table(
              Table.named("tags")
                  .columns(
                      Column.string("id"), Column.string("label"), Column.bool("hidden").optional())
                  .primaryKey("id"))
          .table(
              Table.named("note_tags")
                  .columns(
                      Column.string("note_id"),
                      Column.string("tag_id"),
                      Column.bool("hidden").optional())
                  .primaryKey("note_id", "tag_id")
                  .relationships(Relationship.one("note").hop("note_id", "notes", "id")))
          .table(
              Table.named("logs")
                  .columns(Column.string("id"), Column.string("text"))
                  .primaryKey("id"))
          .build();

  public static final Schema V2 =
      V1.toBuilder()
          .version(2)
          .replace(V1.table("notes").columns(Column.string("secret").optional()))
          .build();

  public static final Permissions PERMISSIONS =
      Permissions.builder(V2)
          .assign(Assign.column("shelves:owner", "owner_id"))
          .assign(Assign.column("notes:author", "author_id"))
          .grant(Grant.all("shelves").to("shelves:owner"))
          .grant(
              Grant.select("shelves")
                  .to(Permissions.AUTHENTICATED)
                  .where(Condition.eq("public", true)))
          .grant(Grant.insert("shelves").to(Permissions.AUTHENTICATED))
          .grant(Grant.all("notes").to("notes:author"))
          .grant(
              Grant.select("notes")
                  .to(Permissions.AUTHENTICATED)
                  .where(Condition.eq("private", false)))
          .grant(
              Grant.on("notes", Grant.Operation.INSERT, Grant.Operation.UPDATE)
                  .to("shelves:owner")
                  .through("shelf"))
          .grant(
              Grant.select("note_tags")
                  .to(Permissions.AUTHENTICATED)
                  .where(Condition.eq("hidden", false)))
          .grant(Grant.select("note_tags").to("notes:author").through("note"))
          .grant(Grant.insert("note_tags").to(Permissions.AUTHENTICATED))
          .grant(
              Grant.select("tags")
                  .to(Permissions.AUTHENTICATED)
                  .where(Condition.eq("hidden", false)))
          .grant(Grant.insert("tags").to(Permissions.AUTHENTICATED))
          .grant(Grant.insert("logs").to(Permissions.AUTHENTICATED))
          .build();

  public static final Mutators MUTATORS =
      Mutators.builder()
          .crud(V2.table("shelves"))
          .crud(V2.table("notes"))
          .crud(V2.table("tags"))
          .crud(V2.table("note_tags"))
          .add("look", Map.class, ShelfApp::look)
          .build();

  /**
   * Runs the read {@code args.what} names and logs what it found as {@code logs/<args.id>}: a
   * shared mutator, run on the client too.
   */
  static void look(WriteTransaction tx, Map<?, ?> args) {
    StringBuilder seen = new StringBuilder();
    switch ((String) args.get("what")) {
      case "shelfNotes": // one to many
        for (Row shelf :
            tx.query(
                Query.from("shelves")
                    .where("id", "=", args.get("shelf"))
                    .related("notes", q -> q.orderBy("id")))) {
          seen.append(shelf.getString("id")).append(':');
          for (Row note : shelf.many("notes")) seen.append(' ').append(note.getString("id"));
        }
        break;
      case "noteShelves": // many to one
        for (Row note : tx.query(Query.from("notes").orderBy("id").related("shelf"))) {
          Row shelf = note.one("shelf");
          seen.append(seen.length() == 0 ? "" : " ")
              .append(note.getString("id"))
              .append('>')
              .append(shelf == null ? "-" : shelf.getString("id"));
        }
        break;
      case "noteTags": // through a junction
        for (Row note :
            tx.query(
                Query.from("notes")
                    .where("id", "=", args.get("note"))
                    .related("tags", q -> q.orderBy("id")))) {
          seen.append(note.getString("id")).append(':');
          for (Row tag : note.many("tags")) seen.append(' ').append(tag.getString("id"));
        }
        break;
      case "nested": // every shelf, its notes, their tags
        for (Row shelf :
            tx.query(
                Query.from("shelves")
                    .orderBy("id")
                    .related(
                        "notes", q -> q.orderBy("id").related("tags", t -> t.orderBy("id"))))) {
          seen.append(seen.length() == 0 ? "" : " ").append(shelf.getString("id")).append('[');
          List<Row> notes = shelf.many("notes");
          for (int i = 0; i < notes.size(); i++) {
            seen.append(i == 0 ? "" : " ").append(notes.get(i).getString("id")).append('(');
            List<Row> tags = notes.get(i).many("tags");
            for (int j = 0; j < tags.size(); j++) {
              seen.append(j == 0 ? "" : " ").append(tags.get(j).getString("id"));
            }
            seen.append(')');
          }
          seen.append(']');
        }
        break;
      case "secret": // a note's v2 column, by key, by query on its key, by query on its value
        String id = (String) args.get("note");
        Map<?, ?> byKey = (Map<?, ?>) tx.get("notes/" + id);
        List<Row> byQuery = tx.query(Query.from("notes").where("id", "=", id));
        seen.append("get: ")
            .append(byKey == null ? "none" : byKey.get("title") + " " + byKey.get("secret"))
            .append("; query: ")
            .append(
                byQuery.isEmpty()
                    ? "none"
                    : byQuery.get(0).getString("title") + " " + byQuery.get(0).get("secret"))
            .append("; where secret: ")
            .append(tx.query(Query.from("notes").where("secret", "=", args.get("value"))).size())
            .append("; related: ")
            .append(
                tx
                    .query(
                        Query.from("shelves")
                            .where("id", "=", args.get("shelf"))
                            .related("notes", q -> q.where("id", "=", id)))
                    .stream()
                    .flatMap(shelf -> shelf.many("notes").stream())
                    .map(note -> String.valueOf(note.get("secret")))
                    .reduce("", String::concat))
            .append("; scan: ")
            .append(
                tx.scan(dev.tandem.ScanOptions.prefix("notes/" + id)).stream()
                    .map(e -> String.valueOf(((Map<?, ?>) e.value()).get("secret")))
                    .reduce("", String::concat));
        break;
      default:
        throw new IllegalArgumentException("what?");
    }
    Map<String, Object> log = new LinkedHashMap<>();
    log.put("id", args.get("id"));
    log.put("text", seen.toString());
    tx.table("logs").insert(log);
  }

  @Override
  public Schema schema() {
    return V2;
  }

  @Override
  public Migrations migrations() {
    return Migrations.of(Migration.to(V1), Migration.to(V2));
  }

  @Override
  public Mutators mutators() {
    return MUTATORS;
  }

  @Override
  public Permissions permissions() {
    return PERMISSIONS;
  }
}
