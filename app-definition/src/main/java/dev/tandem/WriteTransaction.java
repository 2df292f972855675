package dev.tandem;

/**
 * What a {@link Mutator} changes the client view through. Writes are optimistic: they show at once
 * and are reverted and replayed when the server's state arrives (rebase), so a mutator must depend
 * only on the transaction and its args.
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

  /** Why the mutator runs: {@code INITIAL} when first made, {@code REBASE} when replayed. */
  Reason reason();

  /** Why a mutator runs. */
  enum Reason {
    /** The first run, on the thread that called {@code Tandem.mutate}. */
    INITIAL,
    /** A replay on top of newer server state, before the server has confirmed the mutation. */
    REBASE
  }
}
