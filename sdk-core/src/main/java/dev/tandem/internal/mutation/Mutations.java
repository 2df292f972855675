package dev.tandem.internal.mutation;

import dev.tandem.MutationException;
import dev.tandem.WriteTransaction.Reason;
import dev.tandem.internal.app.BoundMutators;
import dev.tandem.internal.store.KeySet;
import dev.tandem.internal.store.LocalStore;
import dev.tandem.internal.store.Pending;
import dev.tandem.protocol.RawJson;

/**
 * Runs mutators on the local store: a new mutation (client rule 1: its effects and its pending
 * record in one transaction), and a pending one again during a rebase.
 */
public final class Mutations {
  private final LocalStore local;
  private final BoundMutators mutators;
  private final long maxMutationBytes;
  private final Footprints footprints = new Footprints();

  public Mutations(LocalStore local, BoundMutators mutators, long maxMutationBytes) {
    this.local = local;
    this.mutators = mutators;
    this.maxMutationBytes = maxMutationBytes;
  }

  /**
   * Runs mutator {@code name} now and queues it, in one write.
   *
   * @return the mutation's ID.
   * @throws IllegalArgumentException if the mutator is unknown, {@code args} do not fit it, or
   *     their JSON is over {@code maxMutationBytes}.
   * @throws MutationException if the mutator threw; nothing was written.
   */
  public long mutate(final String name, Object args, final double timestamp) {
    final RawJson json = mutators.encode(name, args); // Fails fast on misuse.
    long bytes = utf8Length(json.toString());
    if (bytes > maxMutationBytes) {
      throw new IllegalArgumentException(
          "mutation '"
              + name
              + "' is "
              + bytes
              + " bytes of JSON; the limit is "
              + maxMutationBytes
              + " (Tandem.Builder.maxMutationBytes)");
    }
    return local.writeUnchecked(
        write -> {
          write.startMutation();
          long id = write.nextMutationID();
          KeySet footprint = new KeySet();
          try {
            mutators.runNew(
                name,
                new RealWriteTransaction(write, write.clientID(), id, Reason.INITIAL, footprint),
                json,
                args);
          } catch (Exception e) {
            throw new MutationException("mutator '" + name + "' failed: " + e, e);
          }
          write.enqueue(name, json, timestamp);
          // Under the write lock: a pull sees it with its mutation or not at all. Should the commit
          // fail and not end in the file, the ID is taken again by the next mutation, which records
          // its own.
          footprints.record(write.clientID(), id, footprint);
          return id;
        });
  }

  /** What each pending mutation's last run read and wrote. */
  public Footprints footprints() {
    return footprints;
  }

  /**
   * Runs {@code pending} again on top of a new snapshot (a rebase), in a savepoint of {@code
   * write}.
   *
   * @return false if its mutator is not registered here, or now throws: it has no local effect and
   *     stays pending for the server to decide.
   */
  public boolean replay(final LocalStore.Write write, final Pending pending) {
    final KeySet footprint = new KeySet();
    footprints.record(pending.clientID, pending.id, footprint); // Empty if not registered.
    if (!mutators.has(pending.name)) return false;
    return write.attempt(
        () ->
            mutators.run(
                pending.name,
                new RealWriteTransaction(
                    write, pending.clientID, pending.id, Reason.REBASE, footprint),
                pending.args));
  }

  private static long utf8Length(String s) {
    long bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
