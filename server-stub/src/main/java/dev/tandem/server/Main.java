package dev.tandem.server;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * {@code java -jar tandem-server.jar [--port N] [--db PATH|JDBC-URL] [--auth dev|hmac:SECRET]
 * [--schema-versions MIN..MAX] [--max-body-bytes N]}: the chat backend of the Replicache tutorial,
 * on an embedded SQLite file by default.
 */
public final class Main {
  private Main() {}

  static final String USAGE =
      "usage: java -jar tandem-server.jar [--port N] [--db PATH|jdbc:postgresql:URL]"
          + " [--auth dev|hmac:SECRET] [--schema-versions MIN..MAX] [--max-body-bytes N]";

  /** Parsed command-line options. */
  static final class Options {
    int port = 8080;
    String db = "tandem-server.db";
    Authenticator auth = Authenticator.dev();
    String authMode = "dev";
    SchemaVersions schemaVersions = SchemaVersions.all();
    long maxBodyBytes = 4L << 20;

    static Options parse(String... args) {
      Options options = new Options();
      Deque<String> rest = new ArrayDeque<>(Arrays.asList(args));
      while (!rest.isEmpty()) {
        String flag = rest.pop();
        if (flag.equals("--help") || flag.equals("-h")) throw new IllegalArgumentException(USAGE);
        if (rest.isEmpty()) throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
        String value = rest.pop();
        switch (flag) {
          case "--port":
            options.port = Integer.parseInt(value);
            break;
          case "--db":
            options.db = value;
            break;
          case "--auth":
            if (value.equals("dev")) {
              options.auth = Authenticator.dev();
              options.authMode = "dev";
            } else if (value.startsWith("hmac:") && value.length() > 5) {
              options.auth = Authenticator.hmac(value.substring(5), Clock.systemUTC());
              options.authMode = "hmac";
            } else {
              throw new IllegalArgumentException("--auth must be dev or hmac:SECRET");
            }
            break;
          case "--schema-versions":
            options.schemaVersions = SchemaVersions.parse(value);
            break;
          case "--max-body-bytes":
            options.maxBodyBytes = Long.parseLong(value);
            break;
          default:
            throw new IllegalArgumentException("unknown flag " + flag + "\n" + USAGE);
        }
      }
      return options;
    }
  }

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Database database = Database.open(options.db);
    Backend backend =
        ChatDomain.install(Backend.builder())
            .database(database)
            .authenticator(options.auth)
            .schemaVersions(options.schemaVersions)
            .maxBodyBytes(options.maxBodyBytes)
            .build();
    TandemServer server = TandemServer.start(backend, options.port, options.maxBodyBytes);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    server.close();
                    database.close();
                  } catch (Exception e) {
                    System.err.println("shutdown: " + e);
                  }
                },
                "tandem-shutdown"));
    System.out.println(
        "listening on port "
            + server.port()
            + " (db "
            + describe(options.db)
            + ", auth "
            + options.authMode
            + ", schema versions "
            + options.schemaVersions
            + ")");
    System.out.flush();
    server.join();
  }

  private static String describe(String db) {
    return db.replaceAll("password=[^&]*", "password=***");
  }
}
