package dev.tandem.internal.mutation;

import dev.tandem.internal.store.KeySet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each pending mutation's last run read and wrote (its footprint: keys and key ranges), so a
 * pull can tell which pending mutations its changes could affect (see {@code PullApplier}). Kept in
 * memory only: after a restart, or after a write that failed, footprints are unknown and a pull
 * replays everything pending. Recorded and read under the store's write lock; thread-safe.
 */
public final class Footprints {
  private final ConcurrentHashMap<Name, KeySet> byMutation = new ConcurrentHashMap<>();

  /** A mutation's client ID and ID, as a map key (no string built per look-up). */
  private static final class Name {
    final String clientID;
    final long id;

    Name(String clientID, long id) {
      this.clientID = clientID;
      this.id = id;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Name
          && ((Name) other).id == id
          && ((Name) other).clientID.equals(clientID);
    }

    @Override
    public int hashCode() {
      return clientID.hashCode() * 31 + Long.hashCode(id);
    }
  }

  private static Name name(String clientID, long id) {
    return new Name(clientID, id);
  }

  void record(String clientID, long id, KeySet footprint) {
    byMutation.put(name(clientID, id), footprint);
  }

  /** The footprint of mutation {@code id} of {@code clientID}'s last run, or null if unknown. */
  public KeySet get(String clientID, long id) {
    return byMutation.get(name(clientID, id));
  }

  /** Forgets the footprint of a mutation that is no longer pending. */
  public void remove(String clientID, long id) {
    byMutation.remove(name(clientID, id));
  }

  /** Forgets every footprint: the next pull replays everything pending. */
  public void clear() {
    byMutation.clear();
  }
}
