package dev.tandem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.internal.db.SqlException;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code build()} opens the store on a thread of its own while the caller's thread does the rest (a
 * fresh process's start-up overlaps): what the caller sees is as if it all ran on its thread.
 */
class BuildTest {
  @TempDir Path directory;

  private File file() {
    return directory.resolve("app.db").toFile();
  }

  private static Schema taskSchema() {
    return Schema.builder()
        .version(2)
        .table(Table.named("task").columns(Column.string("id")).primaryKey("id"))
        .build();
  }

  @Test
  void aViolationFoundWhileOpeningIsReportedOnTheThreadOfBuild() {
    // Version 1 has no schema: "task/x" is a plain key, and not an object.
    try (Tandem v1 =
        Tandem.builder()
            .databaseFile(file())
            .mutator("putRaw", String.class, (tx, key) -> tx.put(key, "not an object"))
            .build()) {
      v1.mutate("putRaw", "task/x");
    }
    List<String> heard = new CopyOnWriteArrayList<>();
    // Version 2 adds table "task": the upgrade fills it from the plain keys and finds task/x.
    try (Tandem v2 =
        Tandem.builder()
            .databaseFile(file())
            .schema(taskSchema())
            .mutator("putRaw", String.class, (tx, key) -> tx.put(key, "not an object"))
            .onSchemaViolation(
                (table, key, json, problem) -> heard.add(key + " " + Thread.currentThread()))
            .build()) {
      assertEquals(1, heard.size(), "reported before build() returned: " + heard);
      assertEquals("task/x " + Thread.currentThread(), heard.get(0));
      v2.mutate("putRaw", "task/y"); // And later ones still go through, on their own thread.
      assertEquals("task/y " + Thread.currentThread(), heard.get(1));
    }
  }

  @Test
  void aFileThatIsNoDatabaseFailsBuildAndLetsGoOfTheFile() throws Exception {
    Files.write(
        file().toPath(),
        "this is not an SQLite database, not at all, no".getBytes(StandardCharsets.UTF_8));

    assertThrows(SqlException.class, () -> Tandem.builder().databaseFile(file()).build());

    Files.delete(file().toPath());
    try (Tandem tandem = Tandem.builder().databaseFile(file()).build()) {
      assertTrue(tandem.clientID().length() > 0, "the file lock was released");
    }
  }

  /** Args Moshi cannot adapt without help: binding the mutators fails. */
  static final class Unbindable {
    java.util.Date when;
  }

  @Test
  void aMutatorThatCannotBeBoundFailsBuildAfterTheStoreItOpenedIsClosed() {
    IllegalArgumentException thrown =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Tandem.builder()
                    .databaseFile(file())
                    .mutator("bad", Unbindable.class, (tx, args) -> {})
                    .build());
    assertTrue(thrown.getMessage().contains("Date"), thrown.getMessage());

    try (Tandem tandem = Tandem.builder().databaseFile(file()).build()) {
      assertEquals(0, tandem.pendingMutations().size(), "the file opens again");
    }
  }
}
