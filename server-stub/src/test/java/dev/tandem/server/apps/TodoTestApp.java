package dev.tandem.server.apps;

import dev.tandem.AppDefinition;
import dev.tandem.Column;
import dev.tandem.Mutators;
import dev.tandem.Relationship;
import dev.tandem.Schema;
import dev.tandem.Table;
import dev.tandem.WriteTransaction;
import java.util.Map;

/**
 * A small app for the schema-driven server's tests (and {@code --app} in StandaloneJarIT): lists
 * and their todos under a schema-qualified {@code from()} name, a compound key with a number, every
 * column type, optional columns and an enumeration.
 */
public final class TodoTestApp implements AppDefinition {
  /** A todo's priority. */
  public enum Priority {
    low,
    high
  }

  public static final Schema SCHEMA =
      Schema.builder()
          .version(1)
          .table(
              Table.named("list")
                  .from("todo_list")
                  .columns(
                      Column.string("id"),
                      Column.string("name"),
                      Column.string("ownerID").from("owner_id"))
                  .primaryKey("id")
                  .relationships(Relationship.many("todos").hop("id", "todo", "listID")))
          .table(
              Table.named("todo")
                  .from("app.todo")
                  .columns(
                      Column.string("listID").from("list_id"),
                      Column.number("id"),
                      Column.string("title"),
                      Column.bool("done"),
                      Column.enumeration("priority", Priority.class).optional(),
                      Column.json("meta").optional(),
                      Column.number("due").optional())
                  .primaryKey("listID", "id")
                  .relationships(Relationship.one("list").hop("listID", "list", "id")))
          .build();

  /** Args of {@code createList}. */
  public static final class CreateList {
    public String id;
    public String name;
  }

  /** A todo, as args and as a row. */
  public static final class Todo {
    public String listID;
    public Double id;
    public String title;
    public Boolean done;
    public Priority priority;
    public Object meta;
    public Double due;
  }

  /** Args of {@code toggleTodo} and {@code deleteTodo}. */
  public static final class TodoKey {
    public String listID;
    public double id;
  }

  /** Args of {@code putValue}: a raw put of any key. */
  public static final class Put {
    public String key;
    public Object value;
  }

  public static final Mutators MUTATORS =
      Mutators.builder()
          .add("createList", CreateList.class, TodoTestApp::createList)
          .add("createTodo", Todo.class, (tx, todo) -> tx.table("todo").insert(todo))
          .add("upsertTodo", Todo.class, (tx, todo) -> tx.table("todo").upsert(todo))
          .add("toggleTodo", TodoKey.class, TodoTestApp::toggle)
          .add(
              "deleteTodo",
              TodoKey.class,
              (tx, key) -> {
                if (!tx.table("todo").delete(key)) throw new IllegalStateException("no such todo");
              })
          .crud(SCHEMA.table("todo"))
          .add("putValue", Put.class, (tx, put) -> tx.put(put.key, put.value))
          .add("delValue", String.class, (tx, key) -> tx.del(key))
          .add(
              "fail",
              Void.class,
              (tx, none) -> {
                tx.put("kv/doomed", "x");
                throw new IllegalStateException("this mutator always says no");
              })
          .build();

  static void createList(WriteTransaction tx, CreateList args) {
    String owner = tx.reason() == WriteTransaction.Reason.AUTHORITATIVE ? tx.userID() : "me";
    Map<String, Object> row = new java.util.LinkedHashMap<>();
    row.put("id", args.id);
    row.put("name", args.name);
    row.put("ownerID", owner);
    tx.table("list").insert(row);
  }

  static void toggle(WriteTransaction tx, TodoKey key) {
    @SuppressWarnings("unchecked")
    Map<String, Object> value =
        (Map<String, Object>) tx.get("app.todo/" + key.listID + "/" + (long) key.id);
    if (value == null) throw new IllegalStateException("no todo " + key.listID + "/" + key.id);
    Map<String, Object> change = new java.util.LinkedHashMap<>();
    change.put("listID", key.listID);
    change.put("id", key.id);
    change.put("done", !Boolean.TRUE.equals(value.get("done")));
    tx.table("todo").update(change);
  }

  @Override
  public Schema schema() {
    return SCHEMA;
  }

  @Override
  public Mutators mutators() {
    return MUTATORS;
  }
}
