package dev.tandem.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used by this JVM plus, for Postgres, by the server's processes (the postmaster and its
 * children, read from /proc). Unlike throughput, CPU per operation hardly depends on what else runs
 * on a shared machine, so it backs up the throughput ratio when the machine is noisy.
 */
final class CpuClock {
  private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ = 100 on Linux
  private final long postmaster; // 0: no database server process to count

  CpuClock(long postmaster) {
    this.postmaster = postmaster;
  }

  /** Total CPU nanoseconds so far (JVM, plus the Postgres server's live processes). */
  long nanos() {
    long total =
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    if (postmaster == 0) return total;
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path process : processes) {
        long[] stat = stat(process);
        if (stat != null && (stat[0] == postmaster || stat[1] == postmaster)) {
          total += (stat[2] + stat[3]) * NANOS_PER_TICK;
        }
      }
    } catch (IOException e) {
      return total;
    }
    return total;
  }

  /** The parent of {@code pid}, or 0 if unknown. */
  static long parentOf(long pid) {
    long[] stat = stat(Path.of("/proc", Long.toString(pid)));
    return stat == null ? 0 : stat[1];
  }

  /** {pid, ppid, utime, stime} from /proc/PID/stat, or null if the process is gone. */
  private static long[] stat(Path process) {
    String line;
    try {
      line = Files.readString(process.resolve("stat"));
    } catch (IOException | RuntimeException e) {
      return null;
    }
    // "pid (comm) state ppid ... utime stime ...": comm may hold spaces, so split after ')'.
    int close = line.lastIndexOf(')');
    if (close < 0) return null;
    String[] fields = line.substring(close + 2).split(" ");
    try {
      return new long[] {
        Long.parseLong(line.substring(0, line.indexOf(' '))),
        Long.parseLong(fields[1]),
        Long.parseLong(fields[11]),
        Long.parseLong(fields[12])
      };
    } catch (RuntimeException e) {
      return null;
    }
  }
}
