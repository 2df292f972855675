package dev.tandem.sample.todo.ui;

import java.awt.GraphicsEnvironment;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Parses the todo sample's command line and opens the window or the headless mode. */
public final class TodoCommand {
  private TodoCommand() {}

  static final String USAGE =
      "usage: java -jar tandem-todo.jar --server URL --user NAME [--db FILE] [--headless]"
          + " [--offline]\n"
          + "  URL is the server's Replicache base, e.g. http://localhost:8080/api/replicache";

  /** Runs the sample; exits the process when the headless mode ends. */
  public static void main(String[] args) throws Exception {
    String server = null;
    String user = null;
    String db = null;
    boolean headless = false;
    boolean offline = false;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--headless")) {
        headless = true;
        continue;
      }
      if (flag.equals("--offline")) {
        offline = true;
        continue;
      }
      if (i + 1 >= args.length) fail(flag + " needs a value");
      String value = args[++i];
      switch (flag) {
        case "--server" -> server = value;
        case "--user" -> user = value;
        case "--db" -> db = value;
        default -> fail("unknown flag " + flag);
      }
    }
    if (server == null || user == null) fail("--server and --user are required");
    File database = new File(db != null ? db : "todo-" + user + ".db");
    if (!headless && GraphicsEnvironment.isHeadless()) {
      System.out.println("No display: running headless. Type 'help' for the commands.");
      headless = true;
    }
    TodoClient client = new TodoClient(server, user, database, offline);
    if (headless) {
      try (client) {
        new HeadlessTodo(
                client,
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                System.out)
            .run();
      }
      System.exit(0);
    } else {
      TodoWindow.open(client);
    }
  }

  private static void fail(String message) {
    System.err.println(message);
    System.err.println(USAGE);
    System.exit(2);
  }
}
