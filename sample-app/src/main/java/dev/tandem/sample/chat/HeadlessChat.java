package dev.tandem.sample.chat;

import io.reactivex.rxjava3.disposables.CompositeDisposable;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The chat in a terminal: each stdin line is sent as a message; {@code /offline}, {@code /online},
 * {@code /status} and {@code /quit} are commands. Prints {@code MSG <from>: <content>} for each
 * message as it appears or changes (with {@code (pending)} until the server confirms it), {@code
 * STATUS …} lines, and {@code UPDATE NEEDED …} if the server wants a newer app.
 */
final class HeadlessChat {
  private final ChatClient client;
  private final PrintStream out;
  private final Map<String, ChatMessage> shown = new HashMap<>();
  private volatile String lastStatus = "";

  HeadlessChat(ChatClient client, PrintStream out) {
    this.client = client;
    this.out = out;
  }

  void run() throws Exception {
    CompositeDisposable subscriptions = new CompositeDisposable();
    subscriptions.add(client.messages().subscribe(this::show, this::failed));
    subscriptions.add(
        client
            .status()
            .subscribe(
                status -> {
                  String line =
                      "STATUS "
                          + (status.stopped() ? "stopped" : status.online() ? "online" : "offline")
                          + " pending="
                          + status.pendingCount()
                          + " last-sync="
                          + (status.lastSyncMillis() == 0
                              ? "never"
                              : new SimpleDateFormat("HH:mm:ss").format(new Date()));
                  if (!line.equals(lastStatus)) {
                    lastStatus = line;
                    print(line);
                  }
                }));
    subscriptions.add(
        client
            .updateNeeded()
            .subscribe(update -> print("UPDATE NEEDED: " + ChatClient.explain(update))));
    print("READY " + client.user());
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      line = line.strip();
      if (line.isEmpty()) continue;
      switch (line) {
        case "/quit" -> {
          subscriptions.dispose();
          return;
        }
        case "/offline" -> {
          client.setOnline(false);
          print("OFFLINE");
        }
        case "/online" -> {
          client.setOnline(true);
          print("ONLINE");
        }
        case "/status" -> print(lastStatus);
        default -> client.send(line);
      }
    }
    subscriptions.dispose();
  }

  private synchronized void show(List<ChatMessage> messages) {
    for (ChatMessage message : messages) {
      ChatMessage before = shown.put(message.id(), message);
      if (message.equals(before)) continue;
      print(
          "MSG "
              + message.from()
              + ": "
              + message.content()
              + (message.pending() ? " (pending)" : ""));
    }
  }

  private void failed(Throwable error) {
    print("ERROR " + error);
  }

  private synchronized void print(String line) {
    out.println(line);
    out.flush();
  }
}
