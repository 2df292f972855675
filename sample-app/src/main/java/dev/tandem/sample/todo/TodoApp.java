package dev.tandem.sample.todo;

import static dev.tandem.Column.bool;
import static dev.tandem.Column.number;
import static dev.tandem.Column.string;

import dev.tandem.AppDefinition;
import dev.tandem.Mutators;
import dev.tandem.Relationship;
import dev.tandem.Schema;
import dev.tandem.Table;
import dev.tandem.sample.todo.TodoArgs.CreateList;
import dev.tandem.sample.todo.TodoArgs.CreateTodo;
import dev.tandem.sample.todo.TodoArgs.DeleteTodo;
import dev.tandem.sample.todo.TodoArgs.RenameTodo;
import dev.tandem.sample.todo.TodoArgs.ToggleTodo;

/**
 * Todo lists, defined once for the client ({@code Tandem.builder().app(new TodoApp())}) and the
 * Tandem server ({@code --app dev.tandem.sample.todo.TodoApp}).
 *
 * <ul>
 *   <li>{@code list} (id, name, ownerID), key {@code id}; {@code todos}: its todos.
 *   <li>{@code todo} (listID, id, title, done, rank), key {@code (listID, id)}; {@code list}: the
 *       list it is in.
 * </ul>
 *
 * <p>Mutators: {@code createList}, {@code createTodo}, {@code toggleTodo}, {@code renameTodo},
 * {@code deleteTodo} (see {@link TodoArgs}); on the server they refuse to touch another user's
 * lists.
 */
public final class TodoApp implements AppDefinition {
  /** The schema, version 1. */
  public static final Schema SCHEMA =
      Schema.builder()
          .version(1)
          .table(
              Table.named("list")
                  .columns(string("id"), string("name"), string("ownerID"))
                  .primaryKey("id")
                  .relationships(Relationship.many("todos").hop("id", "todo", "listID")))
          .table(
              Table.named("todo")
                  .columns(
                      string("listID"), string("id"), string("title"), bool("done"), number("rank"))
                  .primaryKey("listID", "id")
                  .relationships(Relationship.one("list").hop("listID", "list", "id")))
          .build();

  /** The mutators, by the names the client sends. */
  public static final Mutators MUTATORS =
      Mutators.builder()
          .add("createList", CreateList.class, TodoMutators::createList)
          .add("createTodo", CreateTodo.class, TodoMutators::createTodo)
          .add("toggleTodo", ToggleTodo.class, TodoMutators::toggleTodo)
          .add("renameTodo", RenameTodo.class, TodoMutators::renameTodo)
          .add("deleteTodo", DeleteTodo.class, TodoMutators::deleteTodo)
          .build();

  /** Public and without arguments, so the server can create it by name. */
  public TodoApp() {}

  @Override
  public Schema schema() {
    return SCHEMA;
  }

  @Override
  public Mutators mutators() {
    return MUTATORS;
  }
}
