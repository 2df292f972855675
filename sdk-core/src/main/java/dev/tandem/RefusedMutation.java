package dev.tandem;

/**
 * A mutation that will never be applied, handed back to the app. Either the server processed and
 * refused it (its server-side mutator threw: an unknown name, bad args, a business rule such as
 * editing someone else's row; only a server that speaks Tandem's {@code refusedMutations} extension
 * reports these, docs/PROTOCOL.md), or it was made with an older schema version the server no
 * longer serves ({@code VersionNotSupported(schema)} for its push; the reason says so and {@link
 * PendingMutation#schemaVersion()} names the version). It left the pending queue and a rebase
 * removed its optimistic effect; later mutations still apply. Delivered once, through {@link
 * Tandem#refusedMutations()} and {@link Tandem.Builder#onMutationRefused}, after the write that
 * removed it committed. Immutable.
 */
public final class RefusedMutation {
  private final PendingMutation mutation;
  private final String reason;

  /** The refused {@code mutation} and the server's {@code reason}. */
  public RefusedMutation(PendingMutation mutation, String reason) {
    if (mutation == null || reason == null) throw new NullPointerException();
    this.mutation = mutation;
    this.reason = reason;
  }

  /** The mutation as it was made: client, ID, mutator name, args and schema version. */
  public PendingMutation mutation() {
    return mutation;
  }

  /** Why it was refused: the server's words, or that its schema version is no longer served. */
  public String reason() {
    return reason;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RefusedMutation
        && ((RefusedMutation) o).mutation.equals(mutation)
        && ((RefusedMutation) o).reason.equals(reason);
  }

  @Override
  public int hashCode() {
    return mutation.hashCode() * 31 + reason.hashCode();
  }

  @Override
  public String toString() {
    return mutation + " refused: " + reason;
  }
}
