package dev.tandem.sample;

import java.awt.GraphicsEnvironment;
import java.io.File;

/**
 * The samples' command line: {@code --server URL --user NAME [--db FILE] [--headless] [--offline]}
 * plus, for the chat, {@code --schema-version N}. A bad line prints {@code usage} and exits with 2.
 */
public final class SampleArgs {
  public final String server;
  public final String user;
  public final File database;
  public final String schemaVersion;
  public final boolean offline;

  /** True with {@code --headless}, or when there is no display (then {@link #noDisplay} too). */
  public final boolean headless;

  public final boolean noDisplay;

  private SampleArgs(
      String server,
      String user,
      File database,
      String schemaVersion,
      boolean offline,
      boolean headless,
      boolean noDisplay) {
    this.server = server;
    this.user = user;
    this.database = database;
    this.schemaVersion = schemaVersion;
    this.offline = offline;
    this.headless = headless;
    this.noDisplay = noDisplay;
  }

  /**
   * Parses {@code args}; the database defaults to {@code <app>-<user>.db}. {@code --schema-version}
   * is accepted only where {@code schemaVersionFlag} is true.
   */
  public static SampleArgs parse(
      String[] args, String app, boolean schemaVersionFlag, String usage) {
    String server = null;
    String user = null;
    String db = null;
    String schemaVersion = null;
    boolean headless = false;
    boolean offline = false;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--headless")) {
        headless = true;
        continue;
      }
      if (flag.equals("--offline")) {
        offline = true;
        continue;
      }
      if (i + 1 >= args.length) fail(flag + " needs a value", usage);
      String value = args[++i];
      switch (flag) {
        case "--server" -> server = value;
        case "--user" -> user = value;
        case "--db" -> db = value;
        case "--schema-version" -> {
          if (!schemaVersionFlag) fail("unknown flag " + flag, usage);
          schemaVersion = value;
        }
        default -> fail("unknown flag " + flag, usage);
      }
    }
    if (server == null || user == null) fail("--server and --user are required", usage);
    boolean noDisplay = !headless && GraphicsEnvironment.isHeadless();
    return new SampleArgs(
        server,
        user,
        new File(db != null ? db : app + "-" + user + ".db"),
        schemaVersion,
        offline,
        headless || noDisplay,
        noDisplay);
  }

  private static void fail(String message, String usage) {
    System.err.println(message);
    System.err.println(usage);
    System.exit(2);
  }
}
