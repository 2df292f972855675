package dev.tandem.server;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fan-out of "something changed" after each push that commits. The standalone server streams each
 * poke to its server-sent-event clients; an app mounting the handlers can forward them its own way.
 * Listeners run on the pushing thread and must not block. Thread-safe.
 */
public final class Pokes {
  /** Receives the version a push committed at. */
  @FunctionalInterface
  public interface Listener {
    void poked(long version);
  }

  private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();

  /** Adds {@code listener}; returns a handle that removes it. */
  public AutoCloseable subscribe(Listener listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  public int subscriberCount() {
    return listeners.size();
  }

  void poke(long version) {
    for (Listener listener : listeners) {
      try {
        listener.poked(version);
      } catch (RuntimeException e) {
        // One broken stream must not stop the others, nor fail a push that already committed.
      }
    }
  }
}
