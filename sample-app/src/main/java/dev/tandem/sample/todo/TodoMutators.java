package dev.tandem.sample.todo;

import dev.tandem.Query;
import dev.tandem.Row;
import dev.tandem.WriteTransaction;
import dev.tandem.WriteTransaction.Reason;
import dev.tandem.sample.todo.TodoArgs.CreateList;
import dev.tandem.sample.todo.TodoArgs.CreateTodo;
import dev.tandem.sample.todo.TodoArgs.DeleteTodo;
import dev.tandem.sample.todo.TodoArgs.RenameTodo;
import dev.tandem.sample.todo.TodoArgs.ToggleTodo;
import java.util.List;

/**
 * The bodies of the todo mutators, written once through {@code tx.table(...)}. Where they run
 * authoritatively (on the server) they also check ownership: a user creates lists only as
 * themselves, and changes todos only in their own lists. A refused mutation throws {@link
 * IllegalStateException}; the server reports its message to the client as the reason.
 */
final class TodoMutators {
  private TodoMutators() {}

  static void createList(WriteTransaction tx, CreateList args) {
    if (tx.reason() == Reason.AUTHORITATIVE && !args.ownerID.equals(tx.userID())) {
      throw new IllegalStateException(
          "user " + tx.userID() + " cannot create a list owned by " + args.ownerID);
    }
    tx.table("list").insert(new TodoList(args.id, args.name, args.ownerID));
  }

  static void createTodo(WriteTransaction tx, CreateTodo args) {
    requireOwner(tx, args.listID);
    tx.table("todo").insert(new Todo(args.listID, args.id, args.title, false, args.rank));
  }

  static void toggleTodo(WriteTransaction tx, ToggleTodo args) {
    requireOwner(tx, args.listID);
    tx.table("todo").update(args);
  }

  static void renameTodo(WriteTransaction tx, RenameTodo args) {
    requireOwner(tx, args.listID);
    tx.table("todo").update(args);
  }

  static void deleteTodo(WriteTransaction tx, DeleteTodo args) {
    requireOwner(tx, args.listID);
    tx.table("todo").delete(args);
  }

  /** On the server: the list exists and belongs to the user who sent the mutation. */
  private static void requireOwner(WriteTransaction tx, String listID) {
    if (tx.reason() != Reason.AUTHORITATIVE) return;
    List<Row> lists = tx.query(Query.from("list").where("id", "=", listID));
    if (lists.isEmpty()) throw new IllegalStateException("list " + listID + " does not exist");
    String owner = lists.get(0).getString("ownerID");
    if (!owner.equals(tx.userID())) {
      throw new IllegalStateException(
          "list " + listID + " belongs to " + owner + ", not to " + tx.userID());
    }
  }
}
