package dev.tandem.server;

import static dev.tandem.server.Requests.createMessage;
import static dev.tandem.server.Requests.mutation;
import static dev.tandem.server.Requests.pullJson;
import static dev.tandem.server.Requests.pushJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.protocol.Cookie;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar target/tandem-server.jar}, as a user starts it. */
class StandaloneJarIT {
  static final Path JAR = Paths.get("target/tandem-server.jar").toAbsolutePath();
  static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");

  @TempDir Path directory;
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void startsOnItsEmbeddedDefaultWithNoSetUp() throws Exception {
    Process process = start();
    try {
      int port = awaitPort(process);
      String base = "http://127.0.0.1:" + port;

      assertEquals(200, send(base + "/health", null).statusCode());
      assertEquals(
          200,
          send(base + "/api/replicache/push", pushJson("g1", createMessage("c1", 1, "m1", "hi")))
              .statusCode());
      HttpResponse<String> pull = send(base + "/api/replicache/pull", pullJson("g1", Cookie.NULL));
      assertTrue(pull.body().contains("\"message/m1\""), pull.body());
      assertTrue(Files.exists(directory.resolve("tandem-server.db")), "default database file");
    } finally {
      process.destroy();
      assertTrue(process.waitFor(20, TimeUnit.SECONDS), "server stops on SIGTERM");
    }
  }

  @Test
  void servesPostgresByJdbcUrl() throws Exception {
    Process process =
        start("--port", "0", "--db", TestDatabases.postgresUrl(), "--schema-versions", "2..4");
    try {
      String base = "http://127.0.0.1:" + awaitPort(process);
      String push = pushJson("g1", "3", List.of(createMessage("c1", 1, "m1", "hi")));

      assertEquals("{}", send(base + "/api/replicache/push", push).body());
      String old = pushJson("g1", "1", List.of(createMessage("c1", 2, "m2", "hi")));
      assertEquals(
          "{\"error\":\"VersionNotSupported\",\"versionType\":\"schema\","
              + "\"reason\":\"clientTooOld\",\"minSchemaVersion\":\"2\",\"maxSchemaVersion\":\"4\"}",
          send(base + "/api/replicache/push", old).body());
      String pull =
          pullJson("g1", Cookie.NULL).replace("\"schemaVersion\":\"1\"", "\"schemaVersion\":\"2\"");
      assertTrue(send(base + "/api/replicache/pull", pull).body().contains("\"c1\":1"));
    } finally {
      process.destroy();
      assertTrue(process.waitFor(20, TimeUnit.SECONDS), "server stops on SIGTERM");
    }
  }

  @Test
  void rejectsUnknownFlagsWithUsage() throws Exception {
    Process process = start("--colour", "blue");
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(20, TimeUnit.SECONDS));
    assertEquals(2, process.exitValue());
    assertTrue(output.contains("unknown flag --colour") && output.contains("usage:"), output);
  }

  @Test
  void refusesDevAuthOnANetworkAddress() throws Exception {
    Process process = start("--port", "0", "--host", "0.0.0.0");
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(20, TimeUnit.SECONDS));
    assertEquals(2, process.exitValue());
    assertTrue(
        output.contains("refusing to start: --auth dev on 0.0.0.0")
            && output.contains("--allow-dev-auth-on-network"),
        output);
  }

  @Test
  void loadsAnAppFromTheClassPath() throws Exception {
    Process process = startApp("dev.tandem.server.apps.TodoTestApp", "--port", "0");
    try {
      String base = "http://127.0.0.1:" + awaitPort(process);
      String todo = "{\"listID\":\"l1\",\"id\":1,\"title\":\"milk\",\"done\":false}";
      assertEquals(
          "{}",
          send(base + "/api/replicache/push", pushJson("g1", mutation("c1", 1, "createTodo", todo)))
              .body());
      String pull = send(base + "/api/replicache/pull", pullJson("g1", Cookie.NULL)).body();
      assertTrue(
          pull.contains(
              "\"app.todo/l1/1\",\"value\":{\"list_id\":\"l1\",\"id\":1,\"title\":\"milk\","
                  + "\"done\":false}"),
          pull);
    } finally {
      process.destroy();
      assertTrue(process.waitFor(20, TimeUnit.SECONDS), "server stops on SIGTERM");
    }
  }

  @Test
  void anAppThatCannotBeLoadedIsAClearError() throws Exception {
    assertRefused(startApp("com.example.Missing"), "--app com.example.Missing: no such class");
    assertRefused(startApp("java.lang.String"), "is not a dev.tandem.AppDefinition");
    assertRefused(
        startApp("dev.tandem.server.apps.NoConstructorApp"),
        "needs a public constructor without arguments");
  }

  private static void assertRefused(Process process, String expected) throws Exception {
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(20, TimeUnit.SECONDS));
    assertEquals(2, process.exitValue(), output);
    assertTrue(output.contains(expected), output);
  }

  /** {@code java -cp target/test-classes:tandem-server.jar dev.tandem.server.Main --app …}. */
  private Process startApp(String app, String... flags) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(
        Paths.get("target/test-classes").toAbsolutePath() + java.io.File.pathSeparator + JAR);
    command.add("dev.tandem.server.Main");
    command.addAll(Arrays.asList("--app", app));
    command.addAll(Arrays.asList(flags));
    return new ProcessBuilder(command)
        .directory(directory.toFile())
        .redirectErrorStream(true)
        .start();
  }

  private Process start(String... flags) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(JAR.toString());
    if (flags.length == 0) command.addAll(Arrays.asList("--port", "0"));
    command.addAll(Arrays.asList(flags));
    return new ProcessBuilder(command)
        .directory(directory.toFile())
        .redirectErrorStream(true)
        .start();
  }

  /** Reads the server's output until it says where it listens. */
  private static int awaitPort(Process process) throws Exception {
    BufferedReader output =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line; (line = output.readLine()) != null; ) {
      seen.append(line).append('\n');
      Matcher matcher = LISTENING.matcher(line);
      if (matcher.find()) {
        Thread drain = new Thread(() -> output.lines().forEach(l -> {}));
        drain.setDaemon(true);
        drain.start();
        return Integer.parseInt(matcher.group(1));
      }
    }
    throw new AssertionError("server exited without listening:\n" + seen);
  }

  private HttpResponse<String> send(String url, String json) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    if (json != null) {
      request.header("Authorization", "ann"); // Dev auth: the sender of createMessage's "from".
      request.header("Content-Type", "application/json");
      request.POST(HttpRequest.BodyPublishers.ofString(json));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
