package dev.tandem.sample.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.sample.SampleProcess;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone server serving the chat's shared definition ({@code --app ChatApp}, no server
 * code) and two headless chat clients, each its own process: what one types appears at the other;
 * one goes offline, sends three messages, is killed, starts again on the same database, goes
 * online, and the three arrive at the other exactly once, in order.
 */
class ChatEndToEndIT {
  static final Path SERVER_JAR =
      Paths.get("../server-stub/target/tandem-server.jar").toAbsolutePath();
  static final Path CHAT_JAR = Paths.get("target/tandem-chat.jar").toAbsolutePath();
  static final int WAIT = 60;

  @TempDir Path directory;

  SampleProcess server(String schemaVersions) throws Exception {
    return SampleProcess.start(
        "server",
        directory,
        List.of(
            SampleProcess.JAVA,
            "-cp",
            CHAT_JAR + java.io.File.pathSeparator + SERVER_JAR,
            "dev.tandem.server.Main",
            "--app",
            ChatApp.class.getName(),
            "--port",
            "0",
            "--db",
            directory.resolve("server.db").toString(),
            "--schema-versions",
            schemaVersions));
  }

  static String url(SampleProcess server) throws InterruptedException {
    return SampleProcess.serverUrl(server, WAIT);
  }

  SampleProcess chat(String user, String url) throws Exception {
    return SampleProcess.start(
        user,
        directory,
        List.of(
            SampleProcess.JAVA,
            "-jar",
            CHAT_JAR.toString(),
            "--server",
            url,
            "--user",
            user,
            "--db",
            directory.resolve(user + ".db").toString(),
            "--headless"));
  }

  @Test
  void messagesMeetAndOfflineMessagesArriveOnceInOrderAfterARestart() throws Exception {
    try (SampleProcess server = server("1..5")) {
      String url = url(server);

      try (SampleProcess bob = chat("bob", url)) {
        bob.awaitLine("READY bob", WAIT);
        SampleProcess ann = chat("ann", url);
        ann.awaitLine("READY ann", WAIT);
        ann.type("hello bob");
        bob.awaitLine("MSG ann: hello bob", WAIT);

        ann.type("/offline");
        ann.awaitLine("OFFLINE", WAIT);
        for (int i = 1; i <= 3; i++) ann.type("offline " + i);
        ann.awaitLine("MSG ann: offline 3 (pending)", WAIT);
        ann.kill();

        ann = chat("ann", url);
        ann.awaitLine("READY ann", WAIT);
        ann.type("/online");
        ann.type("back");
        bob.awaitLine("MSG ann: back", WAIT);
        ann.type("/quit");

        assertArrivedOnceInOrder(messages(bob.output(), "offline"));
        assertEquals(List.of("MSG ann: hello bob"), messages(bob.output(), "hello"));
        try (Connection db =
                DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("server.db"));
            ResultSet count =
                db.createStatement()
                    .executeQuery("SELECT COUNT(*) FROM message WHERE content LIKE 'offline %'")) {
          count.next();
          assertEquals(3, count.getInt(1), "the server stored each offline message once");
        }
      }
    }
  }

  @Test
  void anUnsupportedSchemaVersionIsShownNotACrash() throws Exception {
    try (SampleProcess server = server("2..5")) {
      try (SampleProcess old = chat("old", url(server))) {
        old.awaitLine(
            "UPDATE NEEDED: This app is out of date: the server serves app versions 2 to 5, and"
                + " this one is version 1. Update it to keep syncing; messages you write meanwhile"
                + " are kept and sent after.",
            WAIT);
        old.type("still here");
        old.awaitLine("MSG old: still here (pending)", WAIT);
      }
    }
  }

  /** The lines of {@code output} that show a message whose content starts with {@code prefix}. */
  static List<String> messages(List<String> output, String prefix) {
    List<String> found = new ArrayList<>();
    for (String line : output) if (line.startsWith("MSG ann: " + prefix)) found.add(line);
    return found;
  }

  static void assertArrivedOnceInOrder(List<String> lines) {
    assertEquals(List.of("MSG ann: offline 1", "MSG ann: offline 2", "MSG ann: offline 3"), lines);
  }
}
