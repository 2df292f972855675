package dev.tandem.server;

import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fan-out of "something changed" after each push that commits. Each poke names the client groups
 * whose view the commit changed (its {@link FanOut}) and goes to the streams of those groups, each
 * opened for one user and one group ({@link Backend#subscribePokes}), as long as the group is
 * unclaimed or that user's. The standalone server sends each stream's pokes as server-sent events;
 * an app mounting the handlers can forward them its own way, or listen to every commit with {@link
 * #subscribe(Listener)}. On Postgres the pokes of other server instances on the same database
 * arrive here too, through {@code LISTEN}/{@code NOTIFY} (see SERVER.md).
 *
 * <p>Listeners run on the pushing thread (or the relay's, for another instance's push) and must not
 * block. Thread-safe.
 */
public final class Pokes {
  /** Receives the version a push committed at. */
  @FunctionalInterface
  public interface Listener {
    void poked(long version);
  }

  /** Receives the pokes of one stream's client group. Must not block. */
  public interface StreamListener {
    /** A commit changed the group's view: its client should pull. */
    void poked();

    /**
     * The group now belongs to another user: the stream ends, and no more pokes come. Not called
     * for a stream refused when it opens.
     */
    void revoked();
  }

  /**
   * The client groups whose view a commit changed, and so the streams its poke goes to. With the
   * global version strategy every push changes every group's view ({@link #everyGroup}); a server
   * that knows who may read what (permissions) can name fewer ({@link #groups}).
   */
  public static final class FanOut {
    private static final FanOut EVERY_GROUP = new FanOut(null);

    private final Set<String> groups; // null: every group

    private FanOut(Set<String> groups) {
      this.groups = groups;
    }

    public static FanOut everyGroup() {
      return EVERY_GROUP;
    }

    public static FanOut groups(Collection<String> clientGroupIDs) {
      return new FanOut(Collections.unmodifiableSet(new HashSet<>(clientGroupIDs)));
    }

    public boolean reaches(String clientGroupID) {
      return groups == null || groups.contains(clientGroupID);
    }

    @Override
    public String toString() {
      return groups == null ? "every group" : groups.toString();
    }
  }

  /**
   * One stream's subscription, or why it was refused. Close it when the stream ends. Thread-safe.
   */
  public static final class Subscription implements AutoCloseable {
    private final Pokes pokes;
    private final String clientGroupID;
    private final String userID;
    private final StreamListener listener;
    private final HandlerResponse refusal;

    /** The group's owner as far as this process knows; null while it is unclaimed. */
    private volatile String owner;

    private Subscription(
        Pokes pokes,
        String clientGroupID,
        String userID,
        StreamListener listener,
        HandlerResponse refusal) {
      this.pokes = pokes;
      this.clientGroupID = clientGroupID;
      this.userID = userID;
      this.listener = listener;
      this.refusal = refusal;
    }

    /** Null if the stream is open; otherwise what to answer instead (401, 400 or 403). */
    public HandlerResponse refusal() {
      return refusal;
    }

    /** Stops the pokes. Idempotent. */
    @Override
    public void close() {
      if (refusal == null) pokes.remove(this);
    }

    /** Poked only while its group is unclaimed or its user's. */
    private boolean authorized() {
      String owner = this.owner;
      return owner == null || owner.equals(userID);
    }
  }

  private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, Set<Subscription>> streams = new ConcurrentHashMap<>();

  /** Run at each new stream or listener: starts the relay of other instances' pokes, if any. */
  private volatile Runnable onDemand = () -> {};

  /**
   * Adds {@code listener}, told of every commit (of every server instance on the same Postgres
   * database); returns a handle that removes it.
   */
  public AutoCloseable subscribe(Listener listener) {
    onDemand.run();
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** The listeners of {@link #subscribe(Listener)}. */
  public int subscriberCount() {
    return listeners.size();
  }

  /** True if a poke stream is open on this server. */
  boolean hasStreams() {
    return !streams.isEmpty();
  }

  static Subscription refused(HandlerResponse refusal) {
    return new Subscription(null, null, null, null, refusal);
  }

  /** Adds a stream of {@code clientGroupID} for {@code userID}, its group's owner not known yet. */
  Subscription add(String clientGroupID, String userID, StreamListener listener) {
    onDemand.run();
    Subscription subscription = new Subscription(this, clientGroupID, userID, listener, null);
    streams
        .computeIfAbsent(clientGroupID, group -> ConcurrentHashMap.newKeySet())
        .add(subscription);
    return subscription;
  }

  void onDemand(Runnable onDemand) {
    this.onDemand = onDemand;
  }

  /** How many streams are open. */
  int streamCount() {
    int count = 0;
    for (Set<Subscription> subscriptions : streams.values()) count += subscriptions.size();
    return count;
  }

  /** The groups that have an open stream whose owner this process does not know yet. */
  Set<String> groupsOfUnknownOwner() {
    Set<String> groups = new HashSet<>();
    for (Map.Entry<String, Set<Subscription>> group : streams.entrySet()) {
      for (Subscription subscription : group.getValue()) {
        if (subscription.owner == null) groups.add(group.getKey());
      }
    }
    return groups;
  }

  private void remove(Subscription subscription) {
    streams.computeIfPresent(
        subscription.clientGroupID,
        (group, subscriptions) -> {
          subscriptions.remove(subscription);
          return subscriptions.isEmpty() ? null : subscriptions;
        });
  }

  /**
   * {@code clientGroupID} belongs to {@code owner} (claims never change): its streams of other
   * users are revoked. Called when a push or pull claims a group, and when a stream opens.
   */
  void owner(String clientGroupID, String owner) {
    Set<Subscription> subscriptions = streams.get(clientGroupID);
    if (subscriptions == null) return;
    for (Subscription subscription : subscriptions) {
      if (subscription.owner != null) continue;
      subscription.owner = owner;
      if (subscription.authorized()) continue;
      subscription.close();
      notify(subscription.listener::revoked);
    }
  }

  /**
   * Tells every listener of the commit at {@code version}, and every stream {@code fanOut} reaches.
   */
  void poke(long version, FanOut fanOut) {
    for (Listener listener : listeners) notify(() -> listener.poked(version));
    for (Map.Entry<String, Set<Subscription>> group : streams.entrySet()) {
      if (!fanOut.reaches(group.getKey())) continue;
      for (Subscription subscription : group.getValue()) {
        if (subscription.authorized()) notify(subscription.listener::poked);
      }
    }
  }

  /**
   * Pokes every stream (not the {@link Listener}s): commits may have gone unheard (the relay of
   * other instances' pokes was away), so every client should pull.
   */
  void pokeEveryStream() {
    for (Set<Subscription> subscriptions : streams.values()) {
      for (Subscription subscription : subscriptions) {
        if (subscription.authorized()) notify(subscription.listener::poked);
      }
    }
  }

  /** One broken stream must not stop the others, nor fail a push that already committed. */
  private static void notify(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      // Nothing to do: the stream's own failure handling ends it.
    }
  }
}
