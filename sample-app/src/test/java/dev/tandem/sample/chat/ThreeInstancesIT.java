package dev.tandem.sample.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.AuthProvider;
import dev.tandem.Query;
import dev.tandem.Row;
import dev.tandem.Tandem;
import dev.tandem.sample.SampleProcess;
import io.reactivex.rxjava3.disposables.Disposable;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out: three standalone server processes on one Postgres database, with no sticky sessions,
 * and six clients spread across them that pull only when poked (no interval pulls), and in each
 * step only some of them write: the others see the writes only through pokes, across instances.
 * Every client sees every message, each applied once, including while one instance is killed with
 * SIGKILL and then restarted on its port, and after.
 */
class ThreeInstancesIT {
  static final Path SERVER_JAR =
      Paths.get("../server-stub/target/tandem-server.jar").toAbsolutePath();
  static final Path CLASSES = Paths.get("target/classes").toAbsolutePath();
  static final int WAIT = 60;
  static final int INSTANCES = 3;
  static final int CLIENTS = 6;
  static final int MESSAGES = CLIENTS + 2 + 2 + 2 + 2 + 1;

  @TempDir Path directory;

  SampleProcess server(int instance, int port, String jdbcUrl) throws Exception {
    return SampleProcess.start(
        "server" + instance,
        directory,
        List.of(
            SampleProcess.JAVA,
            "-cp",
            CLASSES + File.pathSeparator + SERVER_JAR,
            "dev.tandem.server.Main",
            "--app",
            ChatApp.class.getName(),
            "--port",
            String.valueOf(port),
            "--db",
            jdbcUrl));
  }

  /** A client on one instance, and the message IDs its live query shows. */
  final class Client implements AutoCloseable {
    final String user;
    final Tandem tandem;
    final Set<String> seen = new HashSet<>();
    final Disposable watch;
    int sent;

    Client(int index, String url) {
      this.user = "user" + index;
      this.tandem =
          Tandem.builder()
              .databaseFile(directory.resolve(user + ".db").toFile())
              .serverUrl(url)
              .auth(AuthProvider.of(user))
              .app(new ChatApp())
              .pullInterval(0) // Pulls on start, on pokes, on demand: never on a timer.
              .backoff(30, 500)
              .build();
      this.watch =
          tandem
              .watch(Query.from("message"))
              .subscribe(
                  rows -> {
                    Set<String> ids = new HashSet<>();
                    for (Row row : rows) ids.add(row.getString("id"));
                    synchronized (seen) {
                      seen.clear();
                      seen.addAll(ids);
                      seen.notifyAll();
                    }
                  });
    }

    void send() {
      sent++;
      String id = user + "-" + sent;
      tandem.mutate("createMessage", new ChatApp.CreateMessage(id, user, "hi " + sent, sent));
    }

    /** Waits until the live query shows every ID of {@code expected}. */
    void awaitSeeing(Set<String> expected, String when) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
      synchronized (seen) {
        while (!seen.containsAll(expected)) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            Set<String> missing = new HashSet<>(expected);
            missing.removeAll(seen);
            throw new AssertionError(user + " never saw " + missing + " " + when);
          }
          TimeUnit.NANOSECONDS.timedWait(seen, left);
        }
      }
    }

    @Override
    public void close() {
      watch.dispose();
      tandem.close();
    }
  }

  static Set<String> sentBy(List<Client> clients) {
    Set<String> ids = new HashSet<>();
    for (Client client : clients) {
      for (int i = 1; i <= client.sent; i++) ids.add(client.user + "-" + i);
    }
    return ids;
  }

  static void send(Client client, int messages) {
    for (int i = 0; i < messages; i++) client.send();
  }

  static int[] freePorts(int count) throws Exception {
    int[] ports = new int[count];
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0);
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
    } finally {
      for (ServerSocket socket : sockets) socket.close();
    }
    return ports;
  }

  @Test
  void everyClientSeesEveryMessageOnceWhileAnInstanceIsKilledAndRestarted() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      String jdbcUrl = postgres.getJdbcUrl("postgres", "postgres");
      int[] ports = freePorts(INSTANCES);
      SampleProcess[] servers = new SampleProcess[INSTANCES];
      List<Client> clients = new ArrayList<>();
      try {
        // All at once, as a deployment's instances start: they create the tables in turns.
        for (int i = 0; i < INSTANCES; i++) servers[i] = server(i, ports[i], jdbcUrl);
        String[] urls = new String[INSTANCES];
        for (int i = 0; i < INSTANCES; i++) urls[i] = SampleProcess.serverUrl(servers[i], WAIT);
        for (int i = 0; i < CLIENTS; i++) clients.add(new Client(i, urls[i % INSTANCES]));

        // Client i is on instance i % 3. Everyone writes once and sees it all.
        for (Client client : clients) client.send();
        for (Client client : clients) client.awaitSeeing(sentBy(clients), "at the start");
        for (Client client : clients) {
          assertTrue(client.tandem.flush(WAIT, TimeUnit.SECONDS), client.user + " confirmed");
        }

        // From now on each step's readers write nothing, so only a poke makes them pull.
        send(clients.get(0), 2); // on instance 0
        for (Client client : clients) client.awaitSeeing(sentBy(clients), "from instance 0");

        servers[1].kill(); // SIGKILL: no shutdown hook, its streams and connections cut.
        send(clients.get(2), 2); // on instance 2, read on instances 0 and 2
        List<Client> live = List.of(clients.get(0), clients.get(2), clients.get(3), clients.get(5));
        for (Client client : live) client.awaitSeeing(sentBy(clients), "while instance 1 was down");
        send(clients.get(1), 2); // queued on the clients of the dead instance
        send(clients.get(4), 2);

        servers[1] = server(1, ports[1], jdbcUrl);
        SampleProcess.serverUrl(servers[1], WAIT);
        for (Client client : clients) client.awaitSeeing(sentBy(clients), "after the restart");

        send(clients.get(4), 1); // on the restarted instance
        for (Client client : clients) client.awaitSeeing(sentBy(clients), "from the restarted one");
        for (Client client : clients) {
          assertTrue(client.tandem.flush(WAIT, TimeUnit.SECONDS), client.user + " confirmed all");
        }
      } finally {
        for (Client client : clients) client.close();
        for (SampleProcess server : servers) if (server != null) server.close();
      }

      try (Connection db = DriverManager.getConnection(jdbcUrl);
          Statement statement = db.createStatement()) {
        ResultSet messages =
            statement.executeQuery("SELECT count(*), count(DISTINCT id) FROM message");
        messages.next();
        assertEquals(MESSAGES, messages.getInt(1), "every message stored");
        assertEquals(MESSAGES, messages.getInt(2), "each once");
        ResultSet refused = statement.executeQuery("SELECT count(*) FROM tandem_refused_mutation");
        refused.next();
        assertEquals(0, refused.getInt(1), "no mutation ran twice (a second insert is refused)");
        ResultSet lastIDs =
            statement.executeQuery("SELECT sum(last_mutation_id), count(*) FROM replicache_client");
        lastIDs.next();
        assertEquals(MESSAGES, lastIDs.getLong(1), "every mutation processed");
        assertEquals(CLIENTS, lastIDs.getInt(2));
      }
    }
  }
}
