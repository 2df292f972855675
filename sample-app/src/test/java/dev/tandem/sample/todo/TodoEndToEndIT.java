package dev.tandem.sample.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.sample.SampleProcess;
import java.io.File;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The todo sample as a new user runs it: the standalone server loading {@code TodoApp} with {@code
 * --app} (no server code), and two headless clients, each its own process. A list and its todos
 * cross from ann to bob; bob adding to ann's list is refused by the same mutator run on the server,
 * and bob hears why; ann's offline todos survive a kill and arrive once.
 */
class TodoEndToEndIT {
  static final Path SERVER_JAR =
      Paths.get("../server-stub/target/tandem-server.jar").toAbsolutePath();
  static final Path TODO_JAR = Paths.get("target/tandem-todo.jar").toAbsolutePath();
  static final int WAIT = 60;

  @TempDir Path directory;

  SampleProcess server() throws Exception {
    return SampleProcess.start(
        "server",
        directory,
        List.of(
            SampleProcess.JAVA,
            "-cp",
            TODO_JAR + File.pathSeparator + SERVER_JAR,
            "dev.tandem.server.Main",
            "--app",
            TodoApp.class.getName(),
            "--port",
            "0",
            "--db",
            directory.resolve("server.db").toString()));
  }

  static String url(SampleProcess server) throws InterruptedException {
    return SampleProcess.serverUrl(server, WAIT);
  }

  SampleProcess todo(String user, String url) throws Exception {
    return SampleProcess.start(
        user,
        directory,
        List.of(
            SampleProcess.JAVA,
            "-jar",
            TODO_JAR.toString(),
            "--server",
            url,
            "--user",
            user,
            "--db",
            directory.resolve(user + ".db").toString(),
            "--headless"));
  }

  @Test
  void twoClientsSyncTodosThroughTheServerWithNoServerCode() throws Exception {
    try (SampleProcess server = server()) {
      String url = url(server);
      try (SampleProcess bob = todo("bob", url)) {
        bob.awaitLine("READY bob", WAIT);
        SampleProcess ann = todo("ann", url);
        ann.awaitLine("READY ann", WAIT);
        ann.type("new Groceries");
        ann.type("add milk");
        ann.awaitLine("TODO 1 [ ] milk", WAIT); // Confirmed by the server: no "(pending)".
        bob.awaitLine("LIST 1 Groceries (ann's) [1 of 1 open]", WAIT);

        // The server runs createTodo too, and there the list's owner must be the user.
        bob.type("use 1");
        bob.type("add eggs");
        bob.await(l -> l.startsWith("REFUSED createTodo: "), WAIT, "the refusal");
        bob.awaitLine("TODO 1 [ ] milk", WAIT);

        ann.type("offline");
        ann.awaitLine("OFFLINE", WAIT);
        ann.type("add bread");
        ann.type("add butter");
        ann.awaitLine("TODO 3 [ ] butter (pending)", WAIT);
        ann.kill();

        ann = todo("ann", url);
        ann.awaitLine("READY ann", WAIT);
        ann.type("online");
        bob.awaitLine("LIST 1 Groceries (ann's) [3 of 3 open]", WAIT);
        ann.type("quit");
      }
    }
    try (Connection db =
            DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("server.db"));
        ResultSet titles =
            db.createStatement().executeQuery("SELECT title FROM todo ORDER BY title")) {
      StringBuilder all = new StringBuilder();
      while (titles.next()) all.append(titles.getString(1)).append(' ');
      assertEquals("bread butter milk ", all.toString(), "each todo once, bob's refused one not");
    }
  }
}
