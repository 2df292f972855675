package dev.tandem.sample.chat;

import dev.tandem.sample.SampleArgs;

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
    SampleArgs line = SampleArgs.parse(args, "chat", true, USAGE);
    if (line.noDisplay) {
      System.out.println(
          "No display: running headless. Type a message and press Enter; /quit ends.");
    }
    ChatClient client =
        new ChatClient(line.server, line.user, line.database, line.schemaVersion, line.offline);
    if (line.headless) {
      try (client) {
        new HeadlessChat(client, System.out).run();
      }
      System.exit(0);
    } else {
      ChatWindow.open(client);
    }
  }
}
