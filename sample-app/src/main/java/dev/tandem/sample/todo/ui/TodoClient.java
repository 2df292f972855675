package dev.tandem.sample.todo.ui;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import com.squareup.moshi.Types;
import dev.tandem.AuthProvider;
import dev.tandem.PendingMutation;
import dev.tandem.Query;
import dev.tandem.RefusedMutation;
import dev.tandem.Row;
import dev.tandem.SyncStatus;
import dev.tandem.Tandem;
import dev.tandem.UpdateNeeded;
import dev.tandem.sample.todo.TodoApp;
import dev.tandem.sample.todo.TodoArgs.CreateList;
import dev.tandem.sample.todo.TodoArgs.CreateTodo;
import dev.tandem.sample.todo.TodoArgs.DeleteTodo;
import dev.tandem.sample.todo.TodoArgs.RenameTodo;
import dev.tandem.sample.todo.TodoArgs.ToggleTodo;
import io.reactivex.rxjava3.core.BackpressureStrategy;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Observable;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The todo lists on Tandem, through the shared {@link TodoApp}: live lists and todos that mark what
 * the server has not confirmed yet, and the mutations the UI makes (IDs and ranks chosen here, so
 * the mutators stay deterministic).
 */
final class TodoClient implements AutoCloseable {
  private static final JsonAdapter<Map<String, Object>> ARGS =
      new Moshi.Builder()
          .build()
          .adapter(Types.newParameterizedType(Map.class, String.class, Object.class));

  private final Tandem tandem;
  private final String user;

  /** A client of {@code server} (null: local only, nothing syncs) as {@code user}. */
  TodoClient(String server, String user, File database, boolean offline) {
    this.user = user;
    Tandem.Builder builder =
        Tandem.builder()
            .databaseFile(database)
            .app(new TodoApp())
            .auth(AuthProvider.of(user))
            .networkAvailable(!offline);
    if (server != null) builder.serverUrl(server);
    this.tandem = builder.build();
  }

  String user() {
    return user;
  }

  /** Creates a list owned by this user; returns its ID. */
  String createList(String name) {
    String id = newID();
    tandem.mutate("createList", new CreateList(id, name, user));
    return id;
  }

  /** Adds a todo at the end of list {@code listID}; returns its ID. */
  String addTodo(String listID, String title) {
    List<Row> last =
        tandem.query(
            Query.from("todo")
                .where("listID", "=", listID)
                .orderBy("rank", Query.Direction.DESC)
                .limit(1));
    double rank = last.isEmpty() ? 1 : Math.floor(last.get(0).getNumber("rank")) + 1;
    String id = newID();
    tandem.mutate("createTodo", new CreateTodo(listID, id, title, rank));
    return id;
  }

  void setDone(TodoItem todo, boolean done) {
    tandem.mutate("toggleTodo", new ToggleTodo(todo.listID(), todo.id(), done));
  }

  void rename(TodoItem todo, String title) {
    tandem.mutate("renameTodo", new RenameTodo(todo.listID(), todo.id(), title));
  }

  void delete(TodoItem todo) {
    tandem.mutate("deleteTodo", new DeleteTodo(todo.listID(), todo.id()));
  }

  /** Every list by name, with counts, re-emitted when they or their pending state change. */
  Flowable<List<ListItem>> lists() {
    Flowable<List<Row>> rows = tandem.watch(Query.from("list").orderBy("name").related("todos"));
    return Flowable.combineLatest(rows, pendingCount(), (list, count) -> toLists(list))
        .distinctUntilChanged();
  }

  /** The todos of {@code listID} by rank, re-emitted when they or their pending state change. */
  Flowable<List<TodoItem>> todos(String listID) {
    Flowable<List<Row>> rows =
        tandem.watch(Query.from("todo").where("listID", "=", listID).orderBy("rank"));
    return Flowable.combineLatest(rows, pendingCount(), (list, count) -> toTodos(list))
        .distinctUntilChanged();
  }

  Observable<SyncStatus> status() {
    return tandem.status();
  }

  Observable<UpdateNeeded> updateNeeded() {
    return tandem.updateNeeded();
  }

  /** Mutations the server refused, each once, after their effect was undone. */
  Observable<RefusedMutation> refusedMutations() {
    return tandem.refusedMutations();
  }

  /** Cuts the client off the network, or lets it back on (and sync at once). */
  void setOnline(boolean online) {
    tandem.setNetworkAvailable(online);
  }

  @Override
  public void close() {
    tandem.close();
  }

  private Flowable<Long> pendingCount() {
    return tandem
        .status()
        .map(SyncStatus::pendingCount)
        .distinctUntilChanged()
        .toFlowable(BackpressureStrategy.LATEST);
  }

  private List<ListItem> toLists(List<Row> rows) {
    Set<String> pending = pendingKeys();
    List<ListItem> lists = new ArrayList<>(rows.size());
    for (Row row : rows) {
      List<Row> todos = row.many("todos");
      int open = 0;
      for (Row todo : todos) if (!Boolean.TRUE.equals(todo.getBool("done"))) open++;
      String id = row.getString("id");
      lists.add(
          new ListItem(
              id,
              row.getString("name"),
              row.getString("ownerID"),
              open,
              todos.size(),
              pending.contains("list/" + id)));
    }
    return lists;
  }

  private List<TodoItem> toTodos(List<Row> rows) {
    Set<String> pending = pendingKeys();
    List<TodoItem> todos = new ArrayList<>(rows.size());
    for (Row row : rows) {
      String listID = row.getString("listID");
      String id = row.getString("id");
      todos.add(
          new TodoItem(
              listID,
              id,
              row.getString("title"),
              Boolean.TRUE.equals(row.getBool("done")),
              row.getNumber("rank"),
              pending.contains("todo/" + listID + "/" + id)));
    }
    return todos;
  }

  /** The keys of the rows that pending mutations change: {@code list/<id>}, {@code todo/…}. */
  private Set<String> pendingKeys() {
    Set<String> keys = new HashSet<>();
    for (PendingMutation mutation : tandem.pendingMutations()) {
      Map<String, Object> args;
      try {
        args = ARGS.fromJson(mutation.argsJson());
      } catch (IOException | RuntimeException e) {
        continue; // Not one we can mark; it still syncs.
      }
      if (args == null) continue;
      if (mutation.name().equals("createList")) keys.add("list/" + args.get("id"));
      else keys.add("todo/" + args.get("listID") + "/" + args.get("id"));
    }
    return keys;
  }

  private static String newID() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }
}
