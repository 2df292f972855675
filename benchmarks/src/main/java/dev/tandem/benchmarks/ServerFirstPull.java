package dev.tandem.benchmarks;

import dev.tandem.server.Backend;
import dev.tandem.server.ChatDomain;
import dev.tandem.server.Database;
import dev.tandem.server.HandlerResponse;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A first pull served by the server: {@code rows} rows of the hand-written chat ({@code message})
 * beside {@code rows} rows of a two-table app on the schema-driven server ({@link SharedApps#TODO}:
 * a tenth lists, the rest todos), each on a fresh database of the same dialect filled through
 * pushes. Each pull is a new client group's ({@code cookie: null}), timed around {@code
 * backend.pull}: the read transaction, the patch and the response body, each after a {@code
 * System.gc()}. Three unreported warm-up pairs, then {@link #PAIRS} pairs in alternating order;
 * medians reported.
 */
final class ServerFirstPull {
  private ServerFirstPull() {}

  static final int PAIRS = 9;
  static final int PER_PUSH = 1000;

  static final String HEADER =
      "| dialect | first pull of | chat (hand-written) rows/s | two-table app (schema-driven)"
          + " rows/s | app / chat | ≥ 100 % |";

  /** Measures one dialect; returns its table line. */
  static List<String> measure(Target target, int rows) throws Exception {
    try (Database chatDb = target.fresh(4);
        Database appDb = target.fresh(4)) {
      Backend chat = ChatDomain.install(Backend.builder()).database(chatDb).build();
      Backend app = Backend.builder().database(appDb).app(SharedApps.TODO).build();
      fillChat(chat, rows);
      fillApp(app, rows);
      long[] chatNanos = new long[PAIRS];
      long[] appNanos = new long[PAIRS];
      int group = 0;
      for (int pair = -3; pair < PAIRS; pair++) {
        long c;
        long a;
        if ((pair & 1) == 0) {
          c = pull(chat, "chat-" + group, rows);
          a = pull(app, "app-" + group, rows);
        } else {
          a = pull(app, "app-" + group, rows);
          c = pull(chat, "chat-" + group, rows);
        }
        group++;
        if (pair < 0) continue;
        chatNanos[pair] = c;
        appNanos[pair] = a;
      }
      double chatRate = rows / (median(chatNanos) / 1e9);
      double appRate = rows / (median(appNanos) / 1e9);
      String line =
          String.format(
              Locale.ROOT,
              "| %s | %,d rows | %,.0f (%.0f ms) | %,.0f (%.0f ms) | %.0f %% | %s |",
              target.name(),
              rows,
              chatRate,
              median(chatNanos) / 1e6,
              appRate,
              median(appNanos) / 1e6,
              100 * appRate / chatRate,
              appRate >= chatRate ? "yes" : "no");
      System.out.println("  server first pull: " + line);
      List<String> lines = new ArrayList<>();
      lines.add(line);
      return lines;
    }
  }

  private static long pull(Backend backend, String group, int rows) {
    String body =
        "{\"pullVersion\":1,\"clientGroupID\":\""
            + group
            + "\",\"profileID\":\"p\",\"schemaVersion\":\"1\",\"cookie\":null}";
    System.gc(); // Neither side pays for the other's garbage.
    long start = System.nanoTime();
    HandlerResponse response =
        backend.pull("puller", new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    long nanos = System.nanoTime() - start;
    if (response.status() != 200) throw new IllegalStateException("pull answered " + response);
    int puts = count(response.body(), "\"op\":\"put\"");
    if (puts != rows) throw new IllegalStateException("pull served " + puts + " rows, not " + rows);
    return nanos;
  }

  private static int count(String text, String what) {
    int count = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) count++;
    return count;
  }

  private static void fillChat(Backend chat, int rows) {
    push(
        chat,
        rows,
        (json, n) ->
            json.append("\"createMessage\",\"args\":{\"id\":\"m")
                .append(n)
                .append("\",\"from\":\"seeder\",\"content\":\"message number ")
                .append(n)
                .append(" from seeder\",\"order\":")
                .append(n)
                .append('}'));
  }

  private static void fillApp(Backend app, int rows) {
    int lists = rows / 10;
    push(
        app,
        rows,
        (json, n) -> {
          if (n <= lists) {
            json.append("\"createList\",\"args\":{\"id\":\"l")
                .append(n)
                .append("\",\"name\":\"list number ")
                .append(n)
                .append("\",\"ownerID\":\"seeder\"}");
          } else {
            json.append("\"createTodo\",\"args\":{\"listID\":\"l")
                .append(1 + n % lists)
                .append("\",\"id\":")
                .append(n)
                .append(",\"title\":\"todo number ")
                .append(n)
                .append("\",\"done\":false}");
          }
        });
  }

  /** Writes a mutation's name and args for mutation {@code n} (from 1). */
  private interface Mutation {
    void write(StringBuilder json, int n);
  }

  private static void push(Backend backend, int rows, Mutation mutation) {
    for (int first = 1; first <= rows; first += PER_PUSH) {
      StringBuilder json =
          new StringBuilder(
              "{\"pushVersion\":1,\"clientGroupID\":\"seed\",\"profileID\":\"p\","
                  + "\"schemaVersion\":\"1\",\"mutations\":[");
      for (int n = first; n < Math.min(rows + 1, first + PER_PUSH); n++) {
        if (n > first) json.append(',');
        json.append("{\"clientID\":\"seeder\",\"id\":").append(n).append(",\"name\":");
        mutation.write(json, n);
        json.append(",\"timestamp\":1}");
      }
      HandlerResponse response =
          backend.push(
              "seeder",
              new ByteArrayInputStream(
                  json.append("]}").toString().getBytes(StandardCharsets.UTF_8)));
      if (!response.body().equals("{}")) {
        throw new IllegalStateException("seeding push answered " + response);
      }
    }
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted.length % 2 == 1
        ? sorted[sorted.length / 2]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2.0;
  }
}
