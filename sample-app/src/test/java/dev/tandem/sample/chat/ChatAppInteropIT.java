package dev.tandem.sample.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.sample.SampleProcess;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code replicache} npm client against the chat served from its shared definition ({@code
 * --app ChatApp}): server-stub's interop harness (src/test/js), its three scenarios, run against
 * the standalone server process. Needs Node 20 and npm, as server-stub's interop test does.
 */
class ChatAppInteropIT {
  static final Path HARNESS = Paths.get("../server-stub/src/test/js");
  static final Path WORK = Paths.get("target/interop-chat-app");
  static final Path SERVER_JAR =
      Paths.get("../server-stub/target/tandem-server.jar").toAbsolutePath();
  static final Path CHAT_JAR = Paths.get("target/tandem-chat.jar").toAbsolutePath();

  @TempDir static Path directory;
  static SampleProcess server;
  static String base;

  @BeforeAll
  static void installClientAndStartServer() throws Exception {
    Files.createDirectories(WORK);
    for (String file : List.of("package.json", "package-lock.json", "interop.mjs")) {
      Files.copy(HARNESS.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    run(300, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
    server =
        SampleProcess.start(
            "server",
            directory,
            List.of(
                SampleProcess.JAVA,
                "-cp",
                CHAT_JAR + File.pathSeparator + SERVER_JAR,
                "dev.tandem.server.Main",
                "--app",
                ChatApp.class.getName(),
                "--port",
                "0",
                "--db",
                directory.resolve("server.db").toString(),
                "--schema-versions",
                "1..5"));
    String url = SampleProcess.serverUrl(server, 60);
    base = url.substring(0, url.length() - "/api/replicache".length());
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) server.close();
  }

  @Test
  void twoReplicacheClientsCreateMessagesAndConverge() throws Exception {
    String result = run(60, "node", "interop.mjs", base, "converge", "--value-with-id");
    assertTrue(result.contains("\"ok\":true"), result);
  }

  @Test
  void anUnsupportedSchemaVersionFiresOnUpdateNeeded() throws Exception {
    assertTrue(run(60, "node", "interop.mjs", base, "update-needed").contains("\"ok\":true"));
  }

  @Test
  void aPokeMakesTheOtherReplicacheClientPull() throws Exception {
    assertTrue(
        run(60, "node", "interop.mjs", base, "poke", "--value-with-id").contains("\"ok\":true"));
  }

  /** Runs a command in WORK, failing with its output if it exits non-zero; returns its stdout. */
  private static String run(int timeoutSeconds, String... command) throws Exception {
    Path out = Files.createTempFile("interop", ".out");
    Path err = Files.createTempFile("interop", ".err");
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .directory(WORK.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command[0] + ": needs Node 20 and npm", e);
    }
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " timed out");
    }
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    assertEquals(
        0,
        process.exitValue(),
        () ->
            String.join(" ", command)
                + " failed:\n"
                + stdout
                + "\n"
                + readQuietly(err)
                + "\nserver:\n"
                + String.join("\n", server.output()));
    return stdout;
  }

  private static String readQuietly(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    } catch (IOException e) {
      return "";
    }
  }
}
