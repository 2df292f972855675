package dev.tandem.server;

import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pokes across server instances on one Postgres database. Each push transaction sends {@code
 * pg_notify('tandem_poke', '<instance> <version>')} in its first statement ({@link #notifySql}), so
 * Postgres delivers the notification when, and only if, the push commits, after the commit, in
 * commit order. Each instance listens on a connection of its own ({@link
 * Database#listenerConnection}), started when its first poke stream opens, and pokes its own
 * streams for every other instance's commit (its own it poked directly).
 *
 * <p>Before such a poke it asks the database who owns the groups whose streams it holds with no
 * owner known (a claim on another instance), so a stream of another user's group ends before it is
 * poked. Each time it starts listening (first, and after its connection was lost and made again) it
 * pokes every stream once: commits before that were not heard. {@link Pokes.Listener}s hear only
 * the commits it relays. Thread-safe; the listening runs on one daemon thread.
 */
final class PokeRelay implements AutoCloseable {
  static final String CHANNEL = "tandem_poke";

  private static final Logger log = LoggerFactory.getLogger("dev.tandem.server.pokes");
  private static final long WAIT_MILLIS = 1000;
  private static final long CHECK_MILLIS = 15_000;
  private static final long MAX_RECONNECT_MILLIS = 5000;

  private final Database database;
  private final Pokes pokes;
  private final String instanceID;
  private Thread thread; // guarded by this
  private volatile boolean closed;
  private boolean listening; // guarded by this
  private volatile Connection connection;

  PokeRelay(Database database, Pokes pokes) {
    this.database = database;
    this.pokes = pokes;
    byte[] random = new byte[8];
    new SecureRandom().nextBytes(random);
    StringBuilder id = new StringBuilder();
    for (byte b : random) id.append(String.format("%02x", b));
    this.instanceID = id.toString();
  }

  /** This instance's ID in notifications. */
  String instanceID() {
    return instanceID;
  }

  /**
   * The statement a push's first statement ends with on Postgres; its one parameter is {@link
   * #instanceID}. It runs after the version's {@code UPDATE}, so it reads the push's new version.
   */
  static String notifySql() {
    return "SELECT pg_notify('"
        + CHANNEL
        + "', ? || ' ' || version)"
        + " FROM replicache_server WHERE id = 1";
  }

  /** True while the relay is connected and listening. */
  synchronized boolean listening() {
    return listening;
  }

  /**
   * Waits until the relay listens (its catch-up poke sent), at most {@code millis}.
   *
   * @return whether it listens.
   */
  synchronized boolean awaitListening(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (!listening) {
      long left = deadline - System.nanoTime();
      if (left <= 0) return false;
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  private synchronized void listening(boolean now) {
    listening = now;
    notifyAll();
  }

  /** Starts listening, unless it has already started. */
  synchronized void start() {
    if (thread != null || closed) return;
    thread = new Thread(this::run, "tandem-poke-relay");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() {
    Thread running;
    synchronized (this) {
      closed = true;
      running = thread;
    }
    Connection current = connection;
    if (current != null) database.closeListener(current);
    if (running != null) {
      running.interrupt();
      try {
        running.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private boolean stopped() {
    return closed || database.closed();
  }

  private void run() {
    long delay = 100;
    while (!stopped()) {
      Connection listener = null;
      try {
        listener = database.listenerConnection();
        connection = listener;
        listen(listener);
        delay = 100;
      } catch (SQLException | RuntimeException e) {
        if (stopped()) break;
        log.warn("poke relay: lost its connection, reconnecting in {} ms: {}", delay, e.toString());
      } finally {
        listening(false);
        connection = null;
        if (listener != null) database.closeListener(listener);
      }
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        break;
      }
      delay = Math.min(delay * 2, MAX_RECONNECT_MILLIS);
    }
  }

  /** Listens on {@code connection} until it fails or the relay closes. */
  private void listen(Connection connection) throws SQLException {
    PGConnection pg = connection.unwrap(PGConnection.class);
    try (Statement statement = connection.createStatement()) {
      statement.execute("LISTEN " + CHANNEL);
    }
    log.info("poke relay: listening (instance {})", instanceID);
    // Commits since a stream opened, or while the relay was away, were not heard.
    learnOwners(connection);
    pokes.pokeEveryStream();
    listening(true); // After that catch-up poke: from here on, streams hear other instances only.
    long lastCheck = System.nanoTime();
    while (!stopped()) {
      PGNotification[] notifications = pg.getNotifications((int) WAIT_MILLIS);
      long newest = -1;
      if (notifications != null) {
        for (PGNotification notification : notifications) {
          long version = otherInstancesVersion(notification.getParameter());
          if (version > newest) newest = version;
        }
      }
      if (newest >= 0) forward(connection, newest);
      if (System.nanoTime() - lastCheck > CHECK_MILLIS * 1_000_000) {
        // A connection dropped without a word answers nothing: find out.
        try (Statement statement = connection.createStatement()) {
          statement.execute("SELECT 1");
        }
        lastCheck = System.nanoTime();
      }
    }
  }

  /** The version of another instance's notification, or -1 for this instance's or a stray one. */
  private long otherInstancesVersion(String payload) {
    int space = payload.indexOf(' ');
    if (space < 0 || payload.substring(0, space).equals(instanceID)) return -1;
    try {
      return Long.parseLong(payload.substring(space + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Pokes this instance's streams for another instance's commit at {@code version}. */
  private void forward(Connection connection, long version) throws SQLException {
    learnOwners(connection);
    pokes.poke(version, Pokes.FanOut.everyGroup());
  }

  /** Tells {@link Pokes} who owns the groups of its streams of no known owner, if anyone. */
  private void learnOwners(Connection connection) throws SQLException {
    Set<String> unknown = pokes.groupsOfUnknownOwner();
    if (unknown.isEmpty()) return;
    Array ids = connection.createArrayOf("text", unknown.toArray());
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT id, user_id FROM replicache_client_group WHERE id = ANY (?)")) {
      statement.setArray(1, ids);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) pokes.owner(rows.getString(1), rows.getString(2));
      }
    }
  }
}
