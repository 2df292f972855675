package dev.tandem.sample.chat;

import java.awt.GraphicsEnvironment;
import java.io.File;

/**
 * {@code java -jar tandem-chat.jar --server URL --user NAME [--db FILE] [--headless] [--offline]
 * [--schema-version N]}: the sample chat, in a window or, with {@code --headless} or without a
 * display, in the terminal.
 */
public final class ChatMain {
  private ChatMain() {}

  static final String USAGE =
      "usage: java -jar tandem-chat.jar --server URL --user NAME [--db FILE] [--headless]"
          + " [--offline] [--schema-version N]\n"
          + "  URL is the server's Replicache base, e.g. http://localhost:8080/api/replicache";

  public static void main(String[] args) throws Exception {
    String server = null;
    String user = null;
    String db = null;
    String schemaVersion = null;
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
        case "--schema-version" -> schemaVersion = value;
        default -> fail("unknown flag " + flag);
      }
    }
    if (server == null || user == null) fail("--server and --user are required");
    File database = new File(db != null ? db : "chat-" + user + ".db");
    if (!headless && GraphicsEnvironment.isHeadless()) {
      System.out.println(
          "No display: running headless. Type a message and press Enter; /quit ends.");
      headless = true;
    }
    ChatClient client = new ChatClient(server, user, database, schemaVersion, offline);
    if (headless) {
      try (client) {
        new HeadlessChat(client, System.out).run();
      }
      System.exit(0);
    } else {
      ChatWindow.open(client);
    }
  }

  private static void fail(String message) {
    System.err.println(message);
    System.err.println(USAGE);
    System.exit(2);
  }
}
