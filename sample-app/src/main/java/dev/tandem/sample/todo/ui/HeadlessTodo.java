package dev.tandem.sample.todo.ui;

import dev.tandem.MutationException;
import dev.tandem.RefusedMutation;
import dev.tandem.SyncStatus;
import io.reactivex.rxjava3.disposables.CompositeDisposable;
import io.reactivex.rxjava3.disposables.Disposable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The todo lists in a terminal, one command a line (see {@link #HELP}). Prints {@code LIST …} and
 * {@code TODO …} lines as lists and the selected list's todos appear or change ({@code (pending)}
 * until the server confirms them), {@code STATUS …}, {@code REFUSED …} when the server refuses a
 * mutation, and {@code UPDATE NEEDED …} if the server wants a newer app.
 */
final class HeadlessTodo {
  static final String HELP =
      String.join(
          "\n",
          "commands:",
          "  lists               the lists, numbered",
          "  new NAME            create a list and use it",
          "  use N               use list N",
          "  show                the todos of the list in use, numbered",
          "  add TITLE           add a todo to the list in use",
          "  done N / undo N     mark todo N done / not done",
          "  rename N TITLE      rename todo N",
          "  delete N            delete todo N",
          "  offline / online    cut the network / restore it",
          "  status              the sync status",
          "  quit");

  private final TodoClient client;
  private final BufferedReader in;
  private final PrintStream out;
  private final CompositeDisposable subscriptions = new CompositeDisposable();
  private final Map<String, String> shownLists = new HashMap<>();
  private final Map<String, String> shownTodos = new HashMap<>();
  private List<ListItem> lists = List.of();
  private List<TodoItem> todos = List.of();
  private String listID;
  private Disposable todosSubscription = Disposable.empty();
  private String lastStatus = "";

  HeadlessTodo(TodoClient client, BufferedReader in, PrintStream out) {
    this.client = client;
    this.in = in;
    this.out = out;
  }

  void run() throws IOException {
    subscriptions.add(client.lists().subscribe(this::showLists, this::failed));
    subscriptions.add(client.status().subscribe(this::showStatus, this::failed));
    subscriptions.add(client.refusedMutations().subscribe(this::showRefused, this::failed));
    subscriptions.add(
        client
            .updateNeeded()
            .subscribe(
                update ->
                    print(
                        "UPDATE NEEDED: the server does not support this app's "
                            + (update.versionType() == null
                                ? "version"
                                : update.versionType() + " version")
                            + "; update the app. Your changes are kept until then.")));
    print("READY " + client.user());
    try {
      for (String line; (line = in.readLine()) != null; ) {
        line = line.strip();
        if (line.isEmpty()) continue;
        if (line.equals("quit")) break;
        try {
          command(line);
        } catch (MutationException | IllegalArgumentException | IllegalStateException e) {
          print("ERROR " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
        }
      }
    } finally {
      synchronized (this) {
        todosSubscription.dispose();
      }
      subscriptions.dispose();
    }
  }

  private void command(String line) {
    int space = line.indexOf(' ');
    String verb = space < 0 ? line : line.substring(0, space);
    String rest = space < 0 ? "" : line.substring(space + 1).strip();
    switch (verb) {
      case "help" -> print(HELP);
      case "lists" -> printLists();
      case "new" -> {
        String name = required(rest, "a name");
        use(client.createList(name), name);
      }
      case "use" -> {
        ListItem list = listAt(rest);
        use(list.id(), list.name());
      }
      case "show" -> printTodos();
      case "add" -> client.addTodo(selected(), required(rest, "a title"));
      case "done" -> client.setDone(todoAt(rest), true);
      case "undo" -> client.setDone(todoAt(rest), false);
      case "rename" -> {
        int title = rest.indexOf(' ');
        if (title < 0) throw new IllegalArgumentException("rename N TITLE");
        client.rename(todoAt(rest.substring(0, title)), rest.substring(title + 1).strip());
      }
      case "delete" -> client.delete(todoAt(rest));
      case "offline" -> {
        client.setOnline(false);
        print("OFFLINE");
      }
      case "online" -> {
        client.setOnline(true);
        print("ONLINE");
      }
      case "status" -> print(lastStatus);
      default -> print("ERROR unknown command '" + verb + "'; type help");
    }
  }

  private synchronized void use(String id, String name) {
    listID = id;
    todos = List.of();
    shownTodos.clear();
    todosSubscription.dispose();
    todosSubscription = client.todos(id).subscribe(found -> showTodos(id, found), this::failed);
    print("USING " + name);
  }

  private synchronized String selected() {
    if (listID == null) throw new IllegalStateException("no list in use: new NAME or use N");
    return listID;
  }

  private synchronized ListItem listAt(String number) {
    return lists.get(index(number, lists.size(), "list"));
  }

  private synchronized TodoItem todoAt(String number) {
    selected();
    return todos.get(index(number, todos.size(), "todo"));
  }

  private static int index(String number, int size, String what) {
    int n;
    try {
      n = Integer.parseInt(number.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a " + what + " number: '" + number + "'");
    }
    if (n < 1 || n > size) throw new IllegalArgumentException("no " + what + " " + n);
    return n - 1;
  }

  private static String required(String value, String what) {
    if (value.isEmpty()) throw new IllegalArgumentException("give " + what);
    return value;
  }

  private synchronized void showLists(List<ListItem> found) {
    lists = found;
    Map<String, String> before = new HashMap<>(shownLists);
    shownLists.clear();
    for (int i = 0; i < found.size(); i++) {
      String line = listLine(i, found.get(i));
      shownLists.put(found.get(i).id(), line);
      if (!line.equals(before.get(found.get(i).id()))) print(line);
    }
  }

  private synchronized void showTodos(String id, List<TodoItem> found) {
    if (!id.equals(listID)) return; // A late result of a list no longer in use.
    todos = found;
    Map<String, String> before = new HashMap<>(shownTodos);
    shownTodos.clear();
    for (int i = 0; i < found.size(); i++) {
      String line = todoLine(i, found.get(i));
      shownTodos.put(found.get(i).id(), line);
      if (!line.equals(before.remove(found.get(i).id()))) print(line);
    }
    for (String gone : before.values()) print("GONE " + gone.substring(gone.indexOf(']') + 2));
  }

  private synchronized void printLists() {
    if (lists.isEmpty()) print("no lists yet: new NAME");
    for (int i = 0; i < lists.size(); i++) print(listLine(i, lists.get(i)));
  }

  private synchronized void printTodos() {
    selected();
    if (todos.isEmpty()) print("no todos yet: add TITLE");
    for (int i = 0; i < todos.size(); i++) print(todoLine(i, todos.get(i)));
  }

  private String listLine(int index, ListItem list) {
    return "LIST "
        + (index + 1)
        + " "
        + list.name()
        + (list.ownerID().equals(client.user()) ? "" : " (" + list.ownerID() + "'s)")
        + " ["
        + list.open()
        + " of "
        + list.total()
        + " open]"
        + (list.pending() ? " (pending)" : "");
  }

  private static String todoLine(int index, TodoItem todo) {
    return "TODO "
        + (index + 1)
        + " ["
        + (todo.done() ? "x" : " ")
        + "] "
        + todo.title()
        + (todo.pending() ? " (pending)" : "");
  }

  private void showStatus(SyncStatus status) {
    String line = "STATUS " + Format.status(status);
    synchronized (this) {
      if (line.equals(lastStatus)) return;
      lastStatus = line;
    }
    print(line);
  }

  private void showRefused(RefusedMutation refused) {
    print("REFUSED " + refused.mutation().name() + ": " + refused.reason());
  }

  private void failed(Throwable error) {
    print("ERROR " + error);
  }

  private synchronized void print(String line) {
    out.println(line);
    out.flush();
  }
}
