package dev.tandem;

/**
 * What a {@link Mutator} changes data through. On the client, writes are optimistic: they show at
 * once and are reverted and replayed when the server's state arrives (rebase), so a mutator must
 * depend only on the transaction and its args. On the Tandem server the same mutator runs
 * authoritatively ({@link Reason#AUTHORITATIVE}) inside the push transaction, against the real
 * database; {@link #reason()} and {@link #userID()} tell the two apart where the server must check
 * more (ownership) or set server-side fields.
 */
public interface WriteTransaction extends ReadTransaction {
  /**
   * Sets {@code key} to {@code value}, serialized to JSON through Moshi (a {@code Map}, a {@code
   * List}, a string, a number, a boolean, or an object of a class Moshi can write). A key under a
   * schema table's prefix becomes a row of that table if the value fits it (see {@code
   * SchemaViolationListener}).
   *
   * @throws NullPointerException if {@code key} is null.
   */
  void put(String key, Object value);

  /** Same as {@link #put}, Replicache's other name for it. */
  void set(String key, Object value);

  /** Deletes {@code key}; true if it existed. */
  boolean del(String key);

  /**
   * Writes rows of schema table {@code name}, through the same optimistic path as {@link #put}:
   * each row becomes the key {@code <table>/<primary key values joined by />}.
   *
   * <pre>{@code
   * tx.table("message").insert(message);
   * tx.table("message").delete(Collections.singletonMap("id", id));
   * }</pre>
   *
   * @throws IllegalArgumentException if the schema has no table {@code name}, or there is no
   *     schema.
   */
  TableWriter table(String name);

  /** The ID of the mutation being run. */
  long mutationID();

  /**
   * Why the mutator runs: {@code INITIAL} when first made, {@code REBASE} when replayed on the
   * client, {@code AUTHORITATIVE} on the server.
   */
  Reason reason();

  /**
   * On the server, the user the request was authenticated as (who sent the mutation); on the
   * client, null. A mutator checks ownership with it where it runs authoritatively:
   *
   * <pre>{@code
   * if (tx.reason() == Reason.AUTHORITATIVE && !tx.userID().equals(todo.ownerID)) {
   *   throw new IllegalStateException("not your todo");
   * }
   * }</pre>
   */
  String userID();

  /** Why a mutator runs. */
  enum Reason {
    /** The first run, on the client, on the thread that called {@code Tandem.mutate}. */
    INITIAL,
    /** A replay on the client on top of newer server state, before the server confirmed it. */
    REBASE,
    /** On the server, in the push transaction: what it writes is the truth. */
    AUTHORITATIVE
  }
}
