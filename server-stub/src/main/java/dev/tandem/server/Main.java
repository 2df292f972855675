package dev.tandem.server;

import dev.tandem.AppDefinition;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * {@code java -jar tandem-server.jar [--host ADDR] [--port N] [--db PATH|JDBC-URL] [--auth
 * dev|hmac:SECRET] [--allow-dev-auth-on-network] [--schema-versions MIN..MAX] [--max-body-bytes N]
 * [--app CLASS] [--forget-clients-after AGE] [--db-pool N] [--drain-delay AGE]}: the app {@code
 * --app} names (an {@link AppDefinition} on the class path), or else the chat backend of the
 * Replicache tutorial, on an embedded SQLite file by default, listening on the loopback address
 * unless {@code --host} says otherwise. {@code dev} auth (the header is the user ID) on an address
 * other machines can reach is refused unless {@code --allow-dev-auth-on-network} is given.
 */
public final class Main {
  private Main() {}

  static final String USAGE =
      "usage: java -jar tandem-server.jar [--host ADDR] [--port N]"
          + " [--db PATH|jdbc:postgresql:URL] [--auth dev|hmac:SECRET]"
          + " [--allow-dev-auth-on-network] [--schema-versions MIN..MAX] [--max-body-bytes N]"
          + " [--app CLASS] [--forget-clients-after AGE] [--db-pool N] [--drain-delay AGE]\n"
          + "       java -cp my-app.jar:tandem-server.jar dev.tandem.server.Main --app CLASS ...";

  static final String ALLOW_DEV_AUTH = "--allow-dev-auth-on-network";

  /** Parsed command-line options. */
  static final class Options {
    String host = TandemServer.LOOPBACK;
    boolean allowDevAuthOnNetwork;
    int port = 8080;
    String db = "tandem-server.db";
    Authenticator auth = Authenticator.dev();
    String authMode = "dev";
    SchemaVersions schemaVersions = SchemaVersions.all();
    long maxBodyBytes = 4L << 20;
    String app;
    Duration forgetClientsAfter; // null: never
    int dbPool = 16;
    Duration drainDelay = Duration.ZERO;

    static Options parse(String... args) {
      Options options = new Options();
      Deque<String> rest = new ArrayDeque<>(Arrays.asList(args));
      while (!rest.isEmpty()) {
        String flag = rest.pop();
        if (flag.equals("--help") || flag.equals("-h")) throw new IllegalArgumentException(USAGE);
        if (flag.equals(ALLOW_DEV_AUTH)) {
          options.allowDevAuthOnNetwork = true;
          continue;
        }
        if (rest.isEmpty()) throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
        String value = rest.pop();
        switch (flag) {
          case "--host":
            options.host = value;
            break;
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
          case "--app":
            options.app = value;
            break;
          case "--forget-clients-after":
            options.forgetClientsAfter = age(value, flag);
            break;
          case "--drain-delay":
            options.drainDelay = value.equals("0") ? Duration.ZERO : age(value, flag);
            break;
          case "--db-pool":
            options.dbPool = Integer.parseInt(value);
            if (options.dbPool < 1) throw new IllegalArgumentException("--db-pool must be >= 1");
            break;
          default:
            throw new IllegalArgumentException("unknown flag " + flag + "\n" + USAGE);
        }
      }
      options.refuseDevAuthOnNetwork();
      return options;
    }

    /** An age such as {@code 30d}, {@code 12h}, {@code 90m} or {@code 45s}. */
    static Duration age(String value, String flag) {
      java.util.regex.Matcher age =
          java.util.regex.Pattern.compile("([1-9][0-9]{0,8})([dhms])").matcher(value);
      if (!age.matches()) {
        throw new IllegalArgumentException(
            flag + " " + value + ": give a number and d, h, m or s (say 30d)");
      }
      long n = Long.parseLong(age.group(1));
      switch (age.group(2)) {
        case "d":
          return Duration.ofDays(n);
        case "h":
          return Duration.ofHours(n);
        case "m":
          return Duration.ofMinutes(n);
        default:
          return Duration.ofSeconds(n);
      }
    }

    /** Dev auth lets anyone be anyone: only where nobody else can connect, or when told to. */
    private void refuseDevAuthOnNetwork() {
      if (!authMode.equals("dev") || allowDevAuthOnNetwork || loopback(host)) return;
      throw new IllegalArgumentException(
          "refusing to start: --auth dev on "
              + host
              + ", an address other machines can reach. With dev auth the Authorization header is"
              + " the user ID, so anyone who can connect can act as any user. Use --auth"
              + " hmac:SECRET, or listen on 127.0.0.1 (the default), or pass "
              + ALLOW_DEV_AUTH
              + " if that is really what you want.");
    }

    private static boolean loopback(String host) {
      try {
        for (InetAddress address : InetAddress.getAllByName(host)) {
          if (!address.isLoopbackAddress()) return false;
        }
        return true;
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("--host " + host + ": unknown host");
      }
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
    if (options.allowDevAuthOnNetwork && options.authMode.equals("dev")) {
      System.err.println(
          "warning: --auth dev with "
              + ALLOW_DEV_AUTH
              + ": anyone who can reach "
              + options.host
              + " can act as any user");
    }
    AppDefinition app;
    try {
      app = options.app == null ? null : loadApp(options.app);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Database database = Database.open(options.db, options.dbPool);
    Backend.Builder builder =
        app == null ? ChatDomain.install(Backend.builder()) : Backend.builder().app(app);
    Backend backend;
    try {
      builder
          .database(database)
          .authenticator(options.auth)
          .schemaVersions(options.schemaVersions)
          .maxBodyBytes(options.maxBodyBytes);
      if (options.forgetClientsAfter != null) {
        builder.forgetClientsAfter(options.forgetClientsAfter);
      }
      backend = builder.build();
    } catch (IllegalStateException | IllegalArgumentException e) {
      database.close();
      System.err.println("refusing to start: " + e.getMessage());
      System.exit(2);
      return;
    }
    TandemServer server =
        TandemServer.builder(backend)
            .host(options.host)
            .port(options.port)
            .maxBodyBytes(options.maxBodyBytes)
            .start();
    Duration drainDelay = options.drainDelay;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  // SIGTERM: not ready, then stop taking requests, finish those in progress,
                  // close the poke streams, close the database.
                  try {
                    server.drain();
                    System.out.println("draining: not ready, stopping in " + drainDelay);
                    System.out.flush();
                    if (!drainDelay.isZero()) Thread.sleep(drainDelay.toMillis());
                    server.close();
                    backend.close();
                    database.close();
                    System.out.println("stopped");
                    System.out.flush();
                  } catch (Exception e) {
                    System.err.println("shutdown: " + e);
                  }
                },
                "tandem-shutdown"));
    System.out.println(
        "listening on port "
            + server.port()
            + " (host "
            + server.host()
            + ", db "
            + describe(options.db)
            + ", auth "
            + options.authMode
            + ", schema versions "
            + backend.schemaVersions()
            + ", app "
            + (options.app == null ? "the chat" : options.app)
            + ")");
    System.out.flush();
    server.join();
  }

  /**
   * Creates the {@code --app} class through its public no-argument constructor, from the class path
   * ({@code java -cp my-app.jar:tandem-server.jar dev.tandem.server.Main --app …}).
   *
   * @throws IllegalArgumentException saying why it cannot: no such class, not an {@link
   *     AppDefinition}, no public no-argument constructor, or the constructor threw.
   */
  static AppDefinition loadApp(String className) {
    Class<?> type;
    try {
      type = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalArgumentException(
          "--app "
              + className
              + ": no such class on the class path (start with java -cp my-app.jar:tandem-server.jar"
              + " dev.tandem.server.Main --app "
              + className
              + ")");
    }
    if (!AppDefinition.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException(
          "--app " + className + ": is not a " + AppDefinition.class.getName());
    }
    Constructor<?> constructor;
    try {
      constructor = type.getConstructor();
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(
          "--app " + className + ": needs a public constructor without arguments");
    }
    try {
      return (AppDefinition) constructor.newInstance();
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException(
          "--app " + className + ": its constructor threw " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("--app " + className + ": cannot create it: " + e, e);
    }
  }

  private static String describe(String db) {
    return db.replaceAll("password=[^&]*", "password=***");
  }
}
