package dev.tandem.benchmarks;

import dev.tandem.AppDefinition;
import dev.tandem.Column;
import dev.tandem.Mutators;
import dev.tandem.Relationship;
import dev.tandem.Schema;
import dev.tandem.Table;
import dev.tandem.WriteTransaction;

/**
 * The apps the server benchmarks serve through the schema-driven server: the chat as a shared
 * definition (the same pushes as {@code ChatDomain}'s, with the same authority check), and a
 * two-table todo app for the first pull.
 */
final class SharedApps {
  private SharedApps() {}

  /** Args of the shared {@code createMessage}: the chat's. */
  static final class CreateMessage {
    String id;
    String from;
    String content;
    double order;
  }

  /**
   * The chat as an app: table {@code message} with {@code ChatDomain}'s column names ({@code from}
   * is stored as {@code sender}, {@code order} as {@code ord}), and {@code createMessage}, which
   * refuses on the server a message whose sender is not the authenticated user.
   */
  static final AppDefinition CHAT =
      app(
          Schema.builder()
              .table(
                  Table.named("message")
                      .columns(
                          Column.string("id"),
                          Column.string("from").from("sender"),
                          Column.string("content"),
                          Column.number("order").from("ord"))
                      .primaryKey("id"))
              .build(),
          Mutators.builder()
              .add(
                  "createMessage",
                  CreateMessage.class,
                  (tx, message) -> {
                    if (tx.reason() == WriteTransaction.Reason.AUTHORITATIVE
                        && !message.from.equals(tx.userID())) {
                      throw new IllegalArgumentException("sent by another user");
                    }
                    tx.table("message").insert(message);
                  })
              .build());

  /** Args of {@code createList}. */
  static final class CreateList {
    String id;
    String name;
    String ownerID;
  }

  /** Args of {@code createTodo}. */
  static final class CreateTodo {
    String listID;
    double id;
    String title;
    boolean done;
  }

  /** Lists and their todos: two tables, a compound key, a relationship. */
  static final AppDefinition TODO =
      app(
          Schema.builder()
              .table(
                  Table.named("list")
                      .columns(
                          Column.string("id"),
                          Column.string("name"),
                          Column.string("ownerID").from("owner_id"))
                      .primaryKey("id"))
              .table(
                  Table.named("todo")
                      .columns(
                          Column.string("listID").from("list_id"),
                          Column.number("id"),
                          Column.string("title"),
                          Column.bool("done"))
                      .primaryKey("listID", "id")
                      .relationships(Relationship.one("list").hop("listID", "list", "id")))
              .build(),
          Mutators.builder()
              .add("createList", CreateList.class, (tx, list) -> tx.table("list").insert(list))
              .add("createTodo", CreateTodo.class, (tx, todo) -> tx.table("todo").insert(todo))
              .build());

  private static AppDefinition app(Schema schema, Mutators mutators) {
    return new AppDefinition() {
      @Override
      public Schema schema() {
        return schema;
      }

      @Override
      public Mutators mutators() {
        return mutators;
      }
    };
  }
}
