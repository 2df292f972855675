package dev.tandem.server;

import dev.tandem.WriteTransaction;

/**
 * The transaction a schema-driven app's mutator gets on the server (SERVER.md, "The server's
 * WriteTransaction"). For an app with permissions its reads see what the mutation's user may read,
 * plus the rows this push wrote: what the mutator would see on the user's client. Server-only code
 * that must decide on rows the user may not read has one way out, {@link #unfiltered()}.
 */
public interface ServerTransaction extends WriteTransaction {
  /**
   * This transaction with reads that see every live row, whatever its user may read: for the
   * authoritative logic of a {@code Backend.Builder.serverMutator} override (a uniqueness check
   * across every project, say). Writes through it are checked against the grants as ever. Do not
   * copy what it reads into rows the user may read unless the user may see it.
   *
   * @throws IllegalStateException in a shared mutator (one the client runs too): the client holds
   *     only the rows its user may read, so a shared mutator must not see more on the server.
   */
  WriteTransaction unfiltered();

  /**
   * {@code tx} as the server's transaction.
   *
   * @throws IllegalArgumentException if it is not one (a client's transaction, say).
   */
  static ServerTransaction of(WriteTransaction tx) {
    if (tx instanceof ServerTransaction) return (ServerTransaction) tx;
    throw new IllegalArgumentException("not the server's transaction: " + tx);
  }
}
