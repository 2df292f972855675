package dev.tandem;

/**
 * Writes rows of one schema table inside a mutator. A row is a {@code Map} of column names to
 * values, or an object Moshi maps to one. Each call is an optimistic write like {@link
 * WriteTransaction#put}, reverted and replayed on rebase. Valid only inside the mutator that got
 * it.
 *
 * <p>Each method throws {@link IllegalArgumentException} if the row is neither a {@code Map} nor an
 * object Moshi maps to one, names a column the table lacks, or lacks a primary key value.
 */
public interface TableWriter {
  /**
   * Adds a row.
   *
   * @throws IllegalStateException if a row with its primary key exists.
   */
  void insert(Object row);

  /** Adds the row, or replaces the one with its primary key. */
  void upsert(Object row);

  /**
   * Changes the given columns of the row with the given primary key; the others keep their values.
   * {@code partialRow} holds the primary key values and the columns to change.
   *
   * @throws IllegalStateException if there is no such row.
   */
  void update(Object partialRow);

  /** Deletes the row with the primary key the given values hold; true if it existed. */
  boolean delete(Object primaryKey);
}
