package dev.tandem.sample.todo.ui;

import dev.tandem.sample.SampleArgs;
import java.io.BufferedReader;
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
    SampleArgs line = SampleArgs.parse(args, "todo", false, USAGE);
    if (line.noDisplay) {
      System.out.println("No display: running headless. Type 'help' for the commands.");
    }
    TodoClient client = new TodoClient(line.server, line.user, line.database, line.offline);
    if (line.headless) {
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
}
