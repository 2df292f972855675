package dev.tandem.sample.todo.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The headless todo mode in-process, on a local-only client (a real SQLite file, no server, so
 * every change stays pending): commands in through a pipe, lines out, each wait ending on a line.
 */
class HeadlessTodoTest {
  static final int WAIT = 30;

  @TempDir Path directory;
  PipedWriter typed;
  final Lines out = new Lines();
  Thread session;
  final List<Throwable> failures = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    typed = new PipedWriter();
    BufferedReader in = new BufferedReader(new PipedReader(typed));
    TodoClient client = new TodoClient(null, "ann", directory.resolve("ann.db").toFile(), false);
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    session =
        new Thread(
            () -> {
              try (client) {
                new HeadlessTodo(client, in, print).run();
              } catch (Throwable e) {
                synchronized (failures) {
                  failures.add(e);
                }
              }
            },
            "headless-todo");
    session.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (session.isAlive()) type("quit");
    session.join(TimeUnit.SECONDS.toMillis(WAIT));
    assertTrue(failures.isEmpty(), failures.toString());
  }

  @Test
  void listsAndTodosAreMadeChangedAndShownThroughCommands() throws Exception {
    out.await("READY ann"::equals);
    type("new Groceries");
    out.await("USING Groceries"::equals);
    out.await("LIST 1 Groceries [0 of 0 open] (pending)"::equals);

    type("add milk");
    out.await("TODO 1 [ ] milk (pending)"::equals);
    type("add eggs");
    out.await("TODO 2 [ ] eggs (pending)"::equals);
    out.await("LIST 1 Groceries [2 of 2 open] (pending)"::equals);

    type("done 1");
    out.await("TODO 1 [x] milk (pending)"::equals);
    out.await("LIST 1 Groceries [1 of 2 open] (pending)"::equals);
    type("rename 2 free-range eggs");
    out.await("TODO 2 [ ] free-range eggs (pending)"::equals);
    type("delete 1");
    out.await("GONE milk (pending)"::equals);
    out.await("TODO 1 [ ] free-range eggs (pending)"::equals);

    type("quit");
    session.join(TimeUnit.SECONDS.toMillis(WAIT));
    assertTrue(!session.isAlive(), "quit ends the session");
  }

  @Test
  void listsAreNumberedByNameAndUseSwitchesBetweenThem() throws Exception {
    out.await("READY ann"::equals);
    type("new Work");
    out.await(l -> l.startsWith("LIST 1 Work"));
    type("add report");
    out.await("TODO 1 [ ] report (pending)"::equals);
    type("new Groceries");
    out.await(l -> l.startsWith("LIST 1 Groceries"));
    type("add milk");
    out.await("TODO 1 [ ] milk (pending)"::equals);

    type("use 2");
    out.await("USING Work"::equals);
    int from = out.size();
    type("show");
    assertEquals("TODO 1 [ ] report (pending)", out.await(from, l -> l.startsWith("TODO")));
  }

  @Test
  void mistakesAreAnsweredWithoutEndingTheSession() throws Exception {
    out.await("READY ann"::equals);
    type("add milk");
    out.await("ERROR no list in use: new NAME or use N"::equals);
    type("use 3");
    out.await("ERROR no list 3"::equals);
    type("fly");
    out.await("ERROR unknown command 'fly'; type help"::equals);
    type("new Groceries");
    out.await("USING Groceries"::equals);
    type("done x");
    out.await("ERROR not a todo number: 'x'"::equals);
  }

  void type(String line) throws IOException {
    typed.write(line + "\n");
    typed.flush();
  }

  /** Output split into lines, with waits that end on a line, not on a clock. */
  static final class Lines extends OutputStream {
    private final StringBuilder partial = new StringBuilder();
    private final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      partial.append(new String(b, off, len, StandardCharsets.UTF_8));
      for (int nl; (nl = partial.indexOf("\n")) >= 0; ) {
        lines.add(partial.substring(0, nl));
        partial.delete(0, nl + 1);
      }
      notifyAll();
    }

    synchronized int size() {
      return lines.size();
    }

    String await(Predicate<String> matches) throws InterruptedException {
      return await(0, matches);
    }

    /** The first line from index {@code from} on that matches, waiting up to {@link #WAIT} s. */
    synchronized String await(int from, Predicate<String> matches) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
      for (int seen = from; ; ) {
        for (; seen < lines.size(); seen++)
          if (matches.test(lines.get(seen))) return lines.get(seen);
        long left = deadline - System.nanoTime();
        if (left <= 0) throw new AssertionError("no such line in:\n" + String.join("\n", lines));
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }
  }
}
