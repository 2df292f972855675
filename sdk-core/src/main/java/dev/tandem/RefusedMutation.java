package dev.tandem;

/**
 * A mutation the server processed and refused (its server-side mutator threw: an unknown name, bad
 * args, a business rule such as editing someone else's row). It left the pending queue and the
 * rebase of the pull that reported it removed its optimistic effect; later mutations still apply.
 * Delivered once, through {@link Tandem#refusedMutations()} and {@link
 * Tandem.Builder#onMutationRefused}, after that pull committed. Only a server that speaks Tandem's
 * {@code refusedMutations} extension reports them (docs/PROTOCOL.md). Immutable.
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

  /** The mutation as it was made: client, ID, mutator name and args. */
  public PendingMutation mutation() {
    return mutation;
  }

  /** Why the server refused it, in the server's words. */
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
