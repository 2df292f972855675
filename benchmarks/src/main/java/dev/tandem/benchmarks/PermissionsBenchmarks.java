package dev.tandem.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.AppDefinition;
import dev.tandem.Assign;
import dev.tandem.Column;
import dev.tandem.Grant;
import dev.tandem.Mutators;
import dev.tandem.Permissions;
import dev.tandem.Relationship;
import dev.tandem.Schema;
import dev.tandem.Table;
import dev.tandem.protocol.Cookie;
import dev.tandem.protocol.ProtocolJson;
import dev.tandem.protocol.PullResult;
import dev.tandem.server.Backend;
import dev.tandem.server.Database;
import dev.tandem.server.Dialect;
import dev.tandem.server.HandlerResponse;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Permissions on the server (issue 16): (1) an incremental pull of 10 changed rows over a large
 * readable view, under the row-version strategy (an app with permissions) beside the same pull
 * under the global version (the same app without them), for several view sizes; (2) push throughput
 * of one-mutation pushes whose write is checked against the grants, beside the same app without
 * permissions and the bare transaction. One client, in process, no HTTP.
 *
 * <pre>
 * java -cp … dev.tandem.benchmarks.PermissionsBenchmarks [-dialects postgres,sqlite]
 *     [-rows 10000,100000] [-rounds 30] [-seconds 1.2] [-pairs 5]
 * </pre>
 */
public final class PermissionsBenchmarks {
  private PermissionsBenchmarks() {}

  static final Schema SCHEMA =
      Schema.builder()
          .version(1)
          .table(
              Table.named("projects")
                  .columns(Column.string("id"), Column.string("name"), Column.string("owner_id"))
                  .primaryKey("id"))
          .table(
              Table.named("memberships")
                  .columns(Column.string("project_id"), Column.string("user_id"))
                  .primaryKey("project_id", "user_id")
                  .relationships(Relationship.one("project").hop("project_id", "projects", "id")))
          .table(
              Table.named("issues")
                  .columns(Column.string("id"), Column.string("title"), Column.string("project_id"))
                  .primaryKey("id")
                  .relationships(Relationship.one("project").hop("project_id", "projects", "id")))
          .build();

  static final Permissions PERMISSIONS =
      Permissions.builder(SCHEMA)
          .assign(Assign.column("projects:owner", "owner_id"))
          .assign(Assign.table("projects:member", "memberships", "project_id", "user_id"))
          .grant(Grant.all("projects").to("projects:owner"))
          .grant(Grant.select("projects").to("projects:member"))
          .grant(Grant.all("memberships").to("projects:owner").through("project"))
          .grant(Grant.select("memberships").to("projects:member").through("project"))
          .grant(Grant.all("issues").to("projects:owner").through("project"))
          .grant(Grant.all("issues").to("projects:member").through("project"))
          .build();

  static final Mutators MUTATORS =
      Mutators.builder()
          .crud(SCHEMA.table("projects"))
          .crud(SCHEMA.table("memberships"))
          .crud(SCHEMA.table("issues"))
          .build();

  static AppDefinition app(boolean permissions) {
    return new AppDefinition() {
      @Override
      public Schema schema() {
        return SCHEMA;
      }

      @Override
      public Mutators mutators() {
        return MUTATORS;
      }

      @Override
      public Permissions permissions() {
        return permissions ? PERMISSIONS : null;
      }
    };
  }

  public static void main(String[] args) throws Exception {
    List<String> dialects = Arrays.asList("postgres", "sqlite");
    List<Integer> sizes = Arrays.asList(10_000, 100_000);
    int rounds = 30;
    double seconds = 1.2;
    int pairs = 5;
    boolean census = false;
    boolean update = false;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "-dialects":
          dialects = Arrays.asList(args[i + 1].split(","));
          break;
        case "-rows":
          sizes = new ArrayList<>();
          for (String n : args[i + 1].split(",")) {
            if (!n.equals("0")) sizes.add(Integer.parseInt(n)); // -rows 0: pushes only
          }
          break;
        case "-rounds":
          rounds = Integer.parseInt(args[i + 1]);
          break;
        case "-seconds":
          seconds = Double.parseDouble(args[i + 1]);
          break;
        case "-pairs":
          pairs = Integer.parseInt(args[i + 1]);
          break;
        case "-census": // -census true: print the JDBC calls of one push per side, then stop
          census = Boolean.parseBoolean(args[i + 1]);
          break;
        case "-push": // insert (default) or update: what each measured push does
          update = args[i + 1].equals("update");
          break;
        default:
          throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (census) {
      for (String name : dialects) {
        Dialect dialect = name.equals("postgres") ? Dialect.POSTGRES : Dialect.SQLITE;
        try (Target target = Target.start(dialect)) {
          census(target, update);
        }
      }
      return;
    }
    List<String> pullLines = new ArrayList<>();
    List<String> pushLines = new ArrayList<>();
    for (String name : dialects) {
      Dialect dialect = name.equals("postgres") ? Dialect.POSTGRES : Dialect.SQLITE;
      try (Target target = Target.start(dialect)) {
        for (int size : sizes) {
          double[] global = incrementalPull(target, size, false, rounds);
          double[] rows = incrementalPull(target, size, true, rounds);
          pullLines.add(
              String.format(
                  "| %s | %,d | %.2f | %.2f | %.2f | %.2f | %.1f× | %.0f |",
                  target.name(),
                  size,
                  global[0],
                  global[1],
                  rows[0],
                  rows[1],
                  rows[0] / global[0],
                  rows[2]));
          System.err.println(pullLines.get(pullLines.size() - 1));
        }
        pushLines.add(pushThroughput(target, seconds, pairs, update));
        System.err.println(pushLines.get(pushLines.size() - 1));
      }
    }
    System.out.println(
        "| dialect | readable rows | global: median ms | p90 ms | row-version: median ms | p90 ms"
            + " | row-version / global | row-version first pull ms |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    for (String line : pullLines) System.out.println(line);
    System.out.println();
    System.out.println(
        "| dialect | bare transaction pushes/s | no permissions pushes/s | grants checked"
            + " pushes/s | checked / bare | checked / no permissions | CPU µs per push: bare /"
            + " no permissions / checked |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (String line : pushLines) System.out.println(line);
  }

  /**
   * {@code size} issues in one project the reader is a member of; after a first pull, {@code
   * rounds} times: the owner changes 10 random issues in one push, then the reader pulls. Returns
   * the median and 90th percentile pull in ms, and the first pull in ms.
   */
  static double[] incrementalPull(Target target, int size, boolean permissions, int rounds)
      throws Exception {
    try (Database database = target.fresh(4)) {
      Backend backend = Backend.builder().database(database).app(app(permissions)).build();
      Client owner = new Client(backend, "owner");
      Client reader = new Client(backend, "reader");
      owner.push(
          mutation(
              owner, "projects.insert", "{\"id\":\"p1\",\"name\":\"P\",\"owner_id\":\"owner\"}"));
      owner.push(
          mutation(owner, "memberships.insert", "{\"project_id\":\"p1\",\"user_id\":\"reader\"}"));
      fill(database, target.dialect, size);
      long start = System.nanoTime();
      int first = reader.pull();
      double firstMs = (System.nanoTime() - start) / 1e6;
      if (first < size + 2) throw new IllegalStateException("first pull had " + first + " ops");
      Random random = new Random(42);
      long[] nanos = new long[rounds];
      for (int round = -5; round < rounds; round++) {
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < 10; i++) {
          if (i > 0) batch.append(',');
          batch.append(
              mutation(
                  owner,
                  "issues.update",
                  "{\"id\":\"i" + random.nextInt(size) + "\",\"title\":\"round " + round + "\"}"));
        }
        owner.push(batch.toString());
        System.gc();
        long t = System.nanoTime();
        int ops = reader.pull();
        long elapsed = System.nanoTime() - t;
        if (ops < 1 || ops > 10) throw new IllegalStateException("pull had " + ops + " ops");
        if (round >= 0) nanos[round] = elapsed;
      }
      Arrays.sort(nanos);
      return new double[] {nanos[rounds / 2] / 1e6, nanos[(int) (rounds * 0.9)] / 1e6, firstMs};
    }
  }

  /** {@code size} issues of project p1, written straight into the table at the current version. */
  static void fill(Database database, Dialect dialect, int size) throws Exception {
    try (Connection connection = database.writes().getConnection();
        Statement statement = connection.createStatement()) {
      long version;
      try (ResultSet rows = statement.executeQuery("SELECT version FROM replicache_server")) {
        rows.next();
        version = rows.getLong(1);
      }
      if (dialect == Dialect.POSTGRES) {
        statement.execute(
            "INSERT INTO issues (id, title, project_id, _tandem_version, _tandem_deleted)"
                + " SELECT 'i' || n, 'issue ' || n, 'p1', "
                + version
                + ", false FROM generate_series(0, "
                + (size - 1)
                + ") AS n");
        statement.execute("ANALYZE");
      } else {
        statement.execute(
            "WITH RECURSIVE n(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM n WHERE x < "
                + (size - 1)
                + ") INSERT INTO issues (id, title, project_id, _tandem_version, _tandem_deleted)"
                + " SELECT 'i' || x, 'issue ' || x, 'p1', "
                + version
                + ", 0 FROM n");
        statement.execute("ANALYZE");
      }
    }
  }

  /**
   * One-mutation pushes for {@code seconds}, in {@code pairs} alternating rounds per side: a member
   * inserting an issue into the project (grants checked), the same on the app without permissions,
   * and the bare transaction (version bump, one insert). Returns the table line.
   */
  static String pushThroughput(Target target, double seconds, int pairs, boolean update)
      throws Exception {
    try (Database checkedDb = target.fresh(4);
        Database bareDb = target.fresh(4);
        Database openDb = target.fresh(4)) {
      Backend checked = Backend.builder().database(checkedDb).app(app(true)).build();
      Backend open = Backend.builder().database(openDb).app(app(false)).build();
      Backend bare = Backend.builder().database(bareDb).app(app(false)).build(); // its tables
      Client checkedOwner = new Client(checked, "owner");
      Client openOwner = new Client(open, "owner");
      for (Client owner : new Client[] {checkedOwner, openOwner}) {
        owner.push(
            mutation(
                owner, "projects.insert", "{\"id\":\"p1\",\"name\":\"P\",\"owner_id\":\"owner\"}"));
        owner.push(
            mutation(
                owner, "memberships.insert", "{\"project_id\":\"p1\",\"user_id\":\"member\"}"));
      }
      Client checkedMember = new Client(checked, "member");
      Client openMember = new Client(open, "member");
      Runnable[] sides = sides(target, checkedMember, openMember, bareDb, update);
      double[] totals = new double[3];
      double[] cpuMicros = new double[3]; // CPU per push: this JVM and the Postgres processes
      CpuClock cpu = target.cpuClock();
      for (int pair = -1; pair < pairs; pair++) {
        for (int s = 0; s < 3; s++) {
          int side = (s + pair + 3) % 3; // rotate the order
          long count = 0;
          long end = System.nanoTime() + (long) (seconds * 1e9);
          long cpuStart = cpu.nanos();
          long begin = System.nanoTime();
          while (System.nanoTime() < end) {
            sides[side].run();
            count++;
          }
          double rate = count / ((System.nanoTime() - begin) / 1e9);
          double micros = (cpu.nanos() - cpuStart) / 1e3 / count;
          if (pair >= 0) {
            totals[side] += rate / pairs;
            cpuMicros[side] += micros / pairs;
          }
        }
      }
      return String.format(
          "| %s%s | %.0f | %.0f | %.0f | %.0f %% | %.0f %% | %.0f / %.0f / %.0f |",
          target.name(),
          update ? " (update)" : "",
          totals[2],
          totals[1],
          totals[0],
          100 * totals[0] / totals[2],
          100 * totals[0] / totals[1],
          cpuMicros[2],
          cpuMicros[1],
          cpuMicros[0]);
    }
  }

  /**
   * Prints the JDBC calls of one push on each side (grants checked, no permissions, the bare
   * transaction) and, on Postgres, the round trips counted at the socket: each through a
   * one-connection pool over a recording proxy ({@link JdbcCensus}), after 20 warming pushes.
   */
  static void census(Target target, boolean update) throws Exception {
    JdbcCensus census = new JdbcCensus();
    List<HikariDataSource> pools = new ArrayList<>();
    try {
      Database[] databases = new Database[3];
      for (int i = 0; i < 3; i++) {
        DataSource raw = target.freshRaw();
        if (raw instanceof PGSimpleDataSource) {
          ((PGSimpleDataSource) raw).setSocketFactory(JdbcCensus.CountingSockets.class.getName());
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("census-" + i);
        config.setDataSource(census.wrap(raw));
        config.setMaximumPoolSize(1);
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        databases[i] = Database.of(pool, target.dialect);
      }
      Backend checked = Backend.builder().database(databases[0]).app(app(true)).build();
      Backend open = Backend.builder().database(databases[1]).app(app(false)).build();
      Backend.builder().database(databases[2]).app(app(false)).build(); // the bare side's tables
      Client[] members = new Client[2];
      Backend[] backends = {checked, open};
      for (int i = 0; i < 2; i++) {
        Client owner = new Client(backends[i], "owner");
        owner.push(
            mutation(
                owner, "projects.insert", "{\"id\":\"p1\",\"name\":\"P\",\"owner_id\":\"owner\"}"));
        owner.push(
            mutation(
                owner, "memberships.insert", "{\"project_id\":\"p1\",\"user_id\":\"member\"}"));
        members[i] = new Client(backends[i], "member");
      }
      String[] labels = {"grants checked", "no permissions", "bare transaction"};
      Runnable[] sides = sides(target, members[0], members[1], databases[2], update);
      for (int i = 0; i < 20; i++) for (Runnable side : sides) side.run();
      for (int s = 0; s < 3; s++) {
        long writesBefore = JdbcCensus.CountingSockets.writes.get();
        census.start();
        sides[s].run();
        List<String> trace = census.stop();
        long writes = JdbcCensus.CountingSockets.writes.get() - writesBefore;
        long statements = trace.stream().filter(call -> call.startsWith("execute")).count();
        System.out.println(
            target.name()
                + ", "
                + labels[s]
                + ": "
                + trace.size()
                + " JDBC calls, "
                + statements
                + " SQL statements executed"
                + (writes > 0 ? ", " + writes + " round trips to the server" : ""));
        for (String call : trace) System.out.println("    " + call);
      }
    } finally {
      for (HikariDataSource pool : pools) pool.close();
    }
  }

  /** The updated issues: the member's first push inserts them, the bare side's table gets them. */
  static final int UPDATED = 100;

  /**
   * The three sides of the push benchmark: a member's one-mutation push on the app with
   * permissions, the same on the app without, and the bare transaction. With {@code update}, each
   * changes the title of one of {@link #UPDATED} issues (a read of the row, then its write; bare:
   * {@code SELECT} then {@code UPDATE}); else each inserts a new issue.
   */
  static Runnable[] sides(
      Target target, Client checked, Client open, Database bareDb, boolean update) {
    long[] n = {0};
    if (!update) {
      return new Runnable[] {
        () -> insertIssue(checked),
        () -> insertIssue(open),
        () -> bareTransaction(bareDb, target.dialect, n[0]++)
      };
    }
    for (Client member : new Client[] {checked, open}) {
      StringBuilder batch = new StringBuilder();
      for (int i = 0; i < UPDATED; i++) {
        if (i > 0) batch.append(',');
        batch.append(
            mutation(
                member,
                "issues.insert",
                "{\"id\":\"u" + i + "\",\"title\":\"issue " + i + "\",\"project_id\":\"p1\"}"));
      }
      member.push(batch.toString());
    }
    for (int i = 0; i < UPDATED; i++) bareTransaction(bareDb, target.dialect, "u" + i, false);
    return new Runnable[] {
      () -> updateIssue(checked),
      () -> updateIssue(open),
      () -> bareTransaction(bareDb, target.dialect, "u" + (n[0]++ % UPDATED), true)
    };
  }

  private static void updateIssue(Client member) {
    long n = member.nextID;
    member.push(
        mutation(
            member,
            "issues.update",
            "{\"id\":\"u" + (n % UPDATED) + "\",\"title\":\"title " + n + "\"}"));
  }

  private static void insertIssue(Client member) {
    long n = member.nextID;
    member.push(
        mutation(
            member,
            "issues.insert",
            "{\"id\":\"m" + n + "\",\"title\":\"issue " + n + "\",\"project_id\":\"p1\"}"));
  }

  private static void bareTransaction(Database database, Dialect dialect, long n) {
    bareTransaction(database, dialect, "b" + n, false);
  }

  /**
   * The bare transaction: the backend's locking, the version bump, and an insert of issue {@code
   * id}; or ({@code update}) a read of its row and an update of its title.
   */
  private static void bareTransaction(
      Database database, Dialect dialect, String id, boolean update) {
    try (Connection connection = database.writes().getConnection()) {
      connection.setAutoCommit(false);
      try {
        if (dialect == Dialect.POSTGRES) {
          try (Statement statement = connection.createStatement()) {
            statement.execute(
                "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ;"
                    + " LOCK TABLE replicache_server IN EXCLUSIVE MODE");
          }
        }
        long version;
        try (PreparedStatement bump =
                connection.prepareStatement(
                    "UPDATE replicache_server SET version = version + 1 WHERE id = 1"
                        + " RETURNING version");
            ResultSet rows = bump.executeQuery()) {
          rows.next();
          version = rows.getLong(1);
        }
        if (update) {
          try (PreparedStatement read =
              connection.prepareStatement(
                  "SELECT id, title, project_id, _tandem_deleted FROM issues WHERE id = ?")) {
            read.setString(1, id);
            try (ResultSet rows = read.executeQuery()) {
              if (!rows.next()) throw new IllegalStateException("no issue " + id);
            }
          }
          try (PreparedStatement write =
              connection.prepareStatement(
                  "UPDATE issues SET title = ?, _tandem_version = ? WHERE id = ?")) {
            write.setString(1, "title " + version);
            write.setLong(2, version);
            write.setString(3, id);
            write.executeUpdate();
          }
        } else {
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO issues (id, title, project_id, _tandem_version, _tandem_deleted)"
                      + " VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, id);
            insert.setString(2, "issue " + id);
            insert.setString(3, "p1");
            insert.setLong(4, version);
            insert.setBoolean(5, false);
            insert.executeUpdate();
          }
        }
        connection.commit();
      } catch (Exception e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String mutation(Client client, String name, String args) {
    long id = client.nextID++;
    return "{\"clientID\":\""
        + client.clientID
        + "\",\"id\":"
        + id
        + ",\"name\":\""
        + name
        + "\",\"args\":"
        + args
        + ",\"timestamp\":"
        + id
        + "}";
  }

  /** One client group of one user. */
  static final class Client {
    final Backend backend;
    final String user;
    final String clientID;
    long nextID = 1;
    Cookie cookie = Cookie.NULL;

    Client(Backend backend, String user) {
      this.backend = backend;
      this.user = user;
      this.clientID = user + "-client";
    }

    void push(String mutations) {
      String body =
          "{\"pushVersion\":1,\"clientGroupID\":\""
              + user
              + "-group\",\"profileID\":\"p\",\"schemaVersion\":\"1\",\"mutations\":["
              + mutations
              + "]}";
      HandlerResponse response =
          backend.push(user, new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
      if (response.status() != 200 || !response.body().equals("{}")) {
        throw new IllegalStateException("push answered " + response);
      }
    }

    /** Pulls with the client's cookie; returns the patch's length. */
    int pull() throws Exception {
      String body =
          "{\"pullVersion\":1,\"clientGroupID\":\""
              + user
              + "-group\",\"profileID\":\"p\",\"schemaVersion\":\"1\",\"cookie\":"
              + cookie
              + "}";
      HandlerResponse response =
          backend.pull(user, new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
      PullResult result = ProtocolJson.moshi().adapter(PullResult.class).fromJson(response.body());
      if (response.status() != 200 || result.error() != null) {
        throw new IllegalStateException("pull answered " + response);
      }
      cookie = result.response().cookie();
      return result.response().patch().size();
    }
  }
}
