package dev.tandem.sample.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.MutationException;
import dev.tandem.Query;
import dev.tandem.Row;
import dev.tandem.Tandem;
import dev.tandem.sample.todo.TodoArgs.CreateList;
import dev.tandem.sample.todo.TodoArgs.CreateTodo;
import dev.tandem.sample.todo.TodoArgs.DeleteTodo;
import dev.tandem.sample.todo.TodoArgs.RenameTodo;
import dev.tandem.sample.todo.TodoArgs.ToggleTodo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared todo mutators on a real, local-only Tandem (a SQLite file, no server). */
class TodoMutatorsTest {
  @TempDir Path directory;
  Tandem tandem;

  @BeforeEach
  void open() {
    tandem =
        Tandem.builder()
            .databaseFile(directory.resolve("todo.db").toFile())
            .app(new TodoApp())
            .build();
    tandem.mutate("createList", new CreateList("l1", "Groceries", "ann"));
  }

  @AfterEach
  void close() {
    tandem.close();
  }

  @Test
  void todosOfAListComeInRankOrder() {
    tandem.mutate("createList", new CreateList("l2", "Work", "ann"));
    tandem.mutate("createTodo", new CreateTodo("l1", "t3", "bread", 3));
    tandem.mutate("createTodo", new CreateTodo("l1", "t1", "milk", 1));
    tandem.mutate("createTodo", new CreateTodo("l2", "t1", "report", 1));
    tandem.mutate("createTodo", new CreateTodo("l1", "t2", "eggs", 2));

    assertEquals(List.of("milk", "eggs", "bread"), titles("l1"));
    assertEquals(List.of("report"), titles("l2"));
  }

  @Test
  void aNewTodoIsNotDoneAndKeyedByItsListAndID() {
    tandem.mutate("createTodo", new CreateTodo("l1", "t1", "milk", 1));

    Row todo = tandem.query(Query.from("todo")).get(0);
    assertEquals("todo/l1/t1", todo.key());
    assertEquals(Boolean.FALSE, todo.getBool("done"));
    assertEquals(1.0, todo.getNumber("rank"));
  }

  @Test
  void relationshipsLeadFromAListToItsTodosAndBack() {
    tandem.mutate("createTodo", new CreateTodo("l1", "t1", "milk", 1));
    tandem.mutate("createTodo", new CreateTodo("l1", "t2", "eggs", 2));

    Row list = tandem.query(Query.from("list").related("todos")).get(0);
    assertEquals(2, list.many("todos").size());
    Row todo = tandem.query(Query.from("todo").where("id", "=", "t2").related("list")).get(0);
    assertEquals("Groceries", todo.one("list").getString("name"));
  }

  @Test
  void toggleSetsDoneAndBack() {
    tandem.mutate("createTodo", new CreateTodo("l1", "t1", "milk", 1));

    tandem.mutate("toggleTodo", new ToggleTodo("l1", "t1", true));
    assertEquals(Boolean.TRUE, todo("t1").getBool("done"));
    tandem.mutate("toggleTodo", new ToggleTodo("l1", "t1", false));
    assertEquals(Boolean.FALSE, todo("t1").getBool("done"));
    assertEquals("milk", todo("t1").getString("title"));
  }

  @Test
  void renameChangesOnlyTheTitle() {
    tandem.mutate("createTodo", new CreateTodo("l1", "t1", "milk", 4));
    tandem.mutate("toggleTodo", new ToggleTodo("l1", "t1", true));

    tandem.mutate("renameTodo", new RenameTodo("l1", "t1", "oat milk"));

    Row todo = todo("t1");
    assertEquals("oat milk", todo.getString("title"));
    assertEquals(Boolean.TRUE, todo.getBool("done"));
    assertEquals(4.0, todo.getNumber("rank"));
  }

  @Test
  void deleteRemovesOnlyThatTodo() {
    tandem.mutate("createList", new CreateList("l2", "Work", "ann"));
    tandem.mutate("createTodo", new CreateTodo("l1", "t1", "milk", 1));
    tandem.mutate("createTodo", new CreateTodo("l2", "t1", "report", 1));

    tandem.mutate("deleteTodo", new DeleteTodo("l1", "t1"));

    assertEquals(List.of(), titles("l1"));
    assertEquals(List.of("report"), titles("l2"));
  }

  @Test
  void aSecondTodoWithTheSameKeyIsRefusedAndChangesNothing() {
    tandem.mutate("createTodo", new CreateTodo("l1", "t1", "milk", 1));

    assertThrows(
        MutationException.class,
        () -> tandem.mutate("createTodo", new CreateTodo("l1", "t1", "eggs", 2)));
    assertEquals(List.of("milk"), titles("l1"));
  }

  @Test
  void changingATodoThatDoesNotExistIsRefused() {
    MutationException e =
        assertThrows(
            MutationException.class,
            () -> tandem.mutate("toggleTodo", new ToggleTodo("l1", "nope", true)));
    assertTrue(e.getCause() instanceof IllegalStateException, String.valueOf(e.getCause()));
    assertFalse(tandem.query(Query.from("todo")).iterator().hasNext());
  }

  private List<String> titles(String listID) {
    List<String> titles = new ArrayList<>();
    for (Row row : tandem.query(Query.from("todo").where("listID", "=", listID).orderBy("rank"))) {
      titles.add(row.getString("title"));
    }
    return titles;
  }

  private Row todo(String id) {
    return tandem.query(Query.from("todo").where("id", "=", id)).get(0);
  }
}
