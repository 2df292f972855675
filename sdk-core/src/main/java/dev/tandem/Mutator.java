package dev.tandem;

/**
 * A named change to the client view. It runs at once on local state when the app calls {@link
 * Tandem#mutate}, and again on top of the server's state until the server confirms it, so it must
 * depend only on {@code tx} and {@code args}: generate IDs and read clocks outside and pass them
 * in. Throwing aborts the mutation with no effect.
 *
 * @param <A> the args type, mapped to and from JSON through Moshi.
 */
public interface Mutator<A> {
  void mutate(WriteTransaction tx, A args) throws Exception;
}
