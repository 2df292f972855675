package dev.tandem.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A process whose output lines are collected, with waits that end on a line, not on a clock. */
public final class SampleProcess implements AutoCloseable {
  public static final String JAVA =
      Paths.get(System.getProperty("java.home"), "bin", "java").toString();

  private final String name;
  private final Process process;
  private final Writer input;
  private final List<String> lines = new ArrayList<>();

  private SampleProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    this.input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader output =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = output.readLine()) != null; ) {
                  synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                  }
                }
              } catch (IOException ignored) {
                // The process ended.
              } finally {
                synchronized (lines) {
                  lines.add(null); // End of output.
                  lines.notifyAll();
                }
              }
            },
            name + "-output");
    reader.setDaemon(true);
    reader.start();
  }

  public static SampleProcess start(String name, Path directory, List<String> command)
      throws IOException {
    return new SampleProcess(
        name,
        new ProcessBuilder(command)
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .start());
  }

  public void type(String line) throws IOException {
    input.write(line + "\n");
    input.flush();
  }

  /** Waits until a line matches, up to {@code seconds}; returns it. */
  public String await(Predicate<String> matches, int seconds, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    int seen = 0;
    synchronized (lines) {
      while (true) {
        for (; seen < lines.size(); seen++) {
          String line = lines.get(seen);
          if (line == null)
            throw new AssertionError(name + " exited before " + what + ":\n" + output());
          if (matches.test(line)) return line;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) throw new AssertionError(name + " never printed " + what + ":\n" + output());
        TimeUnit.NANOSECONDS.timedWait(lines, left);
      }
    }
  }

  public String awaitLine(String exact, int seconds) throws InterruptedException {
    return await(exact::equals, seconds, "'" + exact + "'");
  }

  /** Every line so far. */
  public List<String> output() {
    synchronized (lines) {
      List<String> copy = new ArrayList<>();
      for (String line : lines) if (line != null) copy.add(line);
      return copy;
    }
  }

  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(20, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) kill();
    }
  }

  /** The base URL a standalone server process printed ("listening on port N"). */
  public static String serverUrl(SampleProcess server, int seconds) throws InterruptedException {
    java.util.regex.Matcher port =
        java.util.regex.Pattern.compile("listening on port (\\d+)")
            .matcher(server.await(l -> l.contains("listening on port"), seconds, "its port"));
    if (!port.find()) throw new AssertionError("no port in the server's line");
    return "http://127.0.0.1:" + port.group(1) + "/api/replicache";
  }
}
