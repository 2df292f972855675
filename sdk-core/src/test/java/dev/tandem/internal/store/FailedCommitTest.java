package dev.tandem.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tandem.Mutators;
import dev.tandem.internal.Engine;
import dev.tandem.internal.db.FailingCommits;
import dev.tandem.internal.db.JdbcSqlDriver;
import dev.tandem.internal.db.SqlDriver;
import dev.tandem.internal.db.SqlException;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit that reports a failure after its transaction ended in the file (the driver's work after
 * {@code COMMIT} failing, say): the store does not take the queue position or the mutation ID it
 * used again.
 */
class FailedCommitTest {
  @TempDir Path directory;

  private SqlDriver driver;

  @AfterEach
  void close() {
    driver.close();
  }

  @Test
  void aMutationWhoseCommitLandedButFailedDoesNotStopTheNext() {
    JdbcSqlDriver real = new JdbcSqlDriver(new File(directory.toFile(), "commit.db"), false);
    AtomicBoolean failCommit = new AtomicBoolean();
    driver =
        FailingCommits.after(
            real, failCommit, new SqlException("failed after the commit", 10, null));
    Mutators.Builder mutators = Mutators.builder();
    mutators.add("put", String.class, (tx, key) -> tx.put(key, "optimistic"));
    Engine engine = Engine.open(driver, null, mutators);
    engine.mutate("put", "a", 0);

    failCommit.set(true);
    assertThrows(SqlException.class, () -> engine.mutate("put", "b", 0));
    failCommit.set(false);
    assertEquals(3, engine.mutate("put", "c", 0), "the landed mutation's ID is not used again");

    List<Pending> queue = engine.store.pending(0, 10);
    List<String> seen = new ArrayList<>();
    for (Pending pending : queue) seen.add(pending.seq + ":" + pending.id);
    assertEquals(java.util.Arrays.asList("1:1", "2:2", "3:3"), seen);
    assertEquals(3, engine.pendingCount());
  }
}
