package dev.tandem;

/**
 * A named change to the client view. It runs at once on local state when the app calls {@code
 * Tandem.mutate}, and again on top of the server's state until the server confirms it, so it must
 * depend only on {@code tx} and {@code args}: generate IDs and read clocks outside and pass them
 * in. Throwing aborts the mutation with no effect.
 *
 * @param <A> the args type, mapped to and from JSON through Moshi.
 */
public interface Mutator<A> {
  /**
   * Applies the mutation through {@code tx}, in Tandem's write transaction (other writes wait until
   * it returns). Runs first on the thread that called {@code Tandem.mutate}, with {@link
   * WriteTransaction.Reason#INITIAL}; then again on a sync thread, with {@link
   * WriteTransaction.Reason#REBASE}, each time pulled state is rebased under it before the server
   * confirms it. {@code args} is decoded from the JSON the mutation was queued with: a copy, not
   * the object passed to {@code mutate} ({@code null} for a {@code Void} mutator).
   *
   * @throws Exception to abort. On the first run its writes are rolled back, nothing is queued and
   *     {@code Tandem.mutate} throws {@code MutationException}; on a rebase the mutation has no
   *     local effect and stays pending for the server to decide.
   */
  void mutate(WriteTransaction tx, A args) throws Exception;
}
