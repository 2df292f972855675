package dev.tandem.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.server.apps.TeamApp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code replicache} npm client (15.3.0, in Node with {@code kvStore: 'mem'}) against the
 * standalone server: src/test/js/interop.mjs, installed with {@code npm ci} into target/. Needs
 * Node 20 and npm on the PATH (.ci/run installs them).
 */
class ReplicacheInteropTest {
  static final Path HARNESS = Paths.get("src/test/js");
  static final Path WORK = Paths.get("target/interop");

  @TempDir static Path directory;
  static Database database;
  static TandemServer server;
  static String base;
  static Database teamDatabase;
  static TandemServer teamServer;

  @BeforeAll
  static void installClientAndStartServer() throws Exception {
    copyHarness();
    run(WORK, 300, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
    database = TestDatabases.sqlite(directory);
    Backend backend =
        ChatDomain.install(Backend.builder())
            .database(database)
            .schemaVersions(SchemaVersions.parse("1..5"))
            .build();
    server = TandemServer.start(backend, 0, 4L << 20);
    base = "http://127.0.0.1:" + server.port();
    teamDatabase = TestDatabases.sqlite(directory);
    teamServer =
        TandemServer.start(
            Backend.builder().database(teamDatabase).app(new TeamApp()).build(), 0, 4L << 20);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) server.close();
    if (database != null) database.close();
    if (teamServer != null) teamServer.close();
    if (teamDatabase != null) teamDatabase.close();
  }

  @Test
  void twoClientsCreateMessagesAndConverge() throws Exception {
    String result = run(WORK, 60, "node", "interop.mjs", base, "converge");
    assertTrue(result.contains("\"ok\":true"), result);
    assertTrue(result.contains("\"replicacheVersion\":\"15.3.0\""), result);
  }

  @Test
  void anUnsupportedSchemaVersionFiresOnUpdateNeeded() throws Exception {
    String result = run(WORK, 60, "node", "interop.mjs", base, "update-needed");
    assertTrue(result.contains("\"ok\":true"), result);
  }

  @Test
  void aPokeMakesTheOtherClientPull() throws Exception {
    String result = run(WORK, 60, "node", "interop.mjs", base, "poke");
    assertTrue(result.contains("\"ok\":true"), result);
  }

  @Test
  void rowsArriveAndLeaveWithPermissionsAndARefusedWriteRollsBack() throws Exception {
    String teamBase = "http://127.0.0.1:" + teamServer.port();
    String result =
        run(
            WORK,
            60,
            "node",
            "interop.mjs",
            teamBase,
            "permissions",
            "--auth-a",
            "ann",
            "--auth-b",
            "bob");
    assertTrue(result.contains("\"ok\":true"), result);
  }

  private static void copyHarness() throws IOException {
    Files.createDirectories(WORK);
    for (String file : Arrays.asList("package.json", "package-lock.json", "interop.mjs")) {
      Files.copy(HARNESS.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Runs a command, failing with its output if it exits non-zero; returns its stdout. */
  private static String run(Path directory, int timeoutSeconds, String... command)
      throws Exception {
    Path out = Files.createTempFile("interop", ".out");
    Path err = Files.createTempFile("interop", ".err");
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .directory(directory.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
    } catch (IOException e) {
      throw new AssertionError(
          "cannot run " + command[0] + ": the interop test needs Node 20 and npm on the PATH", e);
    }
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " timed out; stderr:\n" + tail(err));
    }
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    assertEquals(
        0,
        process.exitValue(),
        () -> String.join(" ", command) + " failed:\n" + stdout + "\nstderr:\n" + tail(err));
    return stdout;
  }

  private static String tail(Path file) {
    try (Stream<String> lines = Files.lines(file)) {
      List<String> all = new ArrayList<>();
      lines.forEach(all::add);
      return String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
