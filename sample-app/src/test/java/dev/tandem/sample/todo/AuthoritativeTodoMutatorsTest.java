package dev.tandem.sample.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.MutationException;
import dev.tandem.Mutator;
import dev.tandem.Query;
import dev.tandem.Tandem;
import dev.tandem.sample.todo.TodoArgs.CreateList;
import dev.tandem.sample.todo.TodoArgs.CreateTodo;
import dev.tandem.sample.todo.TodoArgs.DeleteTodo;
import dev.tandem.sample.todo.TodoArgs.RenameTodo;
import dev.tandem.sample.todo.TodoArgs.ToggleTodo;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ownership rules the todo mutators apply where they run authoritatively, checked on a real
 * local store: each mutator runs as the server would run it for bob ({@link AsServer}), and ann's
 * lists are written first as ann.
 */
class AuthoritativeTodoMutatorsTest {
  @TempDir Path directory;
  Tandem tandem;

  @BeforeEach
  void open() {
    tandem =
        Tandem.builder()
            .databaseFile(directory.resolve("server-like.db").toFile())
            .schema(TodoApp.SCHEMA)
            .mutator("createList", CreateList.class, as(TodoMutators::createList))
            .mutator("createTodo", CreateTodo.class, as(TodoMutators::createTodo))
            .mutator("toggleTodo", ToggleTodo.class, as(TodoMutators::toggleTodo))
            .mutator("renameTodo", RenameTodo.class, as(TodoMutators::renameTodo))
            .mutator("deleteTodo", DeleteTodo.class, as(TodoMutators::deleteTodo))
            .build();
    user = "ann";
    tandem.mutate("createList", new CreateList("ann-list", "Ann's groceries", "ann"));
    tandem.mutate("createTodo", new CreateTodo("ann-list", "t1", "milk", 1));
    user = "bob";
    tandem.mutate("createList", new CreateList("bob-list", "Bob's chores", "bob"));
  }

  @AfterEach
  void close() {
    tandem.close();
  }

  /** Who the server authenticated; the mutators below run as this user. */
  volatile String user;

  <A> Mutator<A> as(Mutator<A> mutator) {
    return (tx, args) -> mutator.mutate(new AsServer(tx, user), args);
  }

  @Test
  void aUserMayCreateListsOnlyAsThemselves() {
    String reason = refused("createList", new CreateList("l9", "Not mine", "ann"));
    assertEquals("user bob cannot create a list owned by ann", reason);
  }

  @Test
  void aUserMayNotAddToSomeoneElsesList() {
    String reason = refused("createTodo", new CreateTodo("ann-list", "t2", "beer", 2));
    assertEquals("list ann-list belongs to ann, not to bob", reason);
  }

  @Test
  void aUserMayNotToggleRenameOrDeleteInSomeoneElsesList() {
    refused("toggleTodo", new ToggleTodo("ann-list", "t1", true));
    refused("renameTodo", new RenameTodo("ann-list", "t1", "beer"));
    refused("deleteTodo", new DeleteTodo("ann-list", "t1"));

    var todo = tandem.query(Query.from("todo").where("listID", "=", "ann-list")).get(0);
    assertEquals("milk", todo.getString("title"));
    assertEquals(Boolean.FALSE, todo.getBool("done"));
  }

  @Test
  void aTodoInAListThatDoesNotExistIsRefused() {
    assertEquals(
        "list gone does not exist", refused("createTodo", new CreateTodo("gone", "t1", "x", 1)));
  }

  @Test
  void theOwnerMayChangeTheirOwnList() {
    tandem.mutate("createTodo", new CreateTodo("bob-list", "t1", "dishes", 1));
    tandem.mutate("toggleTodo", new ToggleTodo("bob-list", "t1", true));
    tandem.mutate("renameTodo", new RenameTodo("bob-list", "t1", "all the dishes"));

    var todo = tandem.query(Query.from("todo").where("listID", "=", "bob-list")).get(0);
    assertEquals("all the dishes", todo.getString("title"));
    assertEquals(Boolean.TRUE, todo.getBool("done"));
    tandem.mutate("deleteTodo", new DeleteTodo("bob-list", "t1"));
    assertTrue(tandem.query(Query.from("todo").where("listID", "=", "bob-list")).isEmpty());
  }

  /** Runs a mutation that must be refused; returns the reason. */
  private String refused(String name, Object args) {
    MutationException e = assertThrows(MutationException.class, () -> tandem.mutate(name, args));
    assertTrue(e.getCause() instanceof IllegalStateException, String.valueOf(e.getCause()));
    return e.getCause().getMessage();
  }
}
