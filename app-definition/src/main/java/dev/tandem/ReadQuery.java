package dev.tandem;

/**
 * A read of the client view, for {@code Tandem.query} and {@code Tandem.watch}. For a live query it
 * must depend only on {@code tx}: it re-runs after commits that touch what it read.
 */
public interface ReadQuery<T> {
  /**
   * Reads the result through {@code tx}, which is valid only during this call.
   *
   * @throws Exception to fail the read: {@code Tandem.query(ReadQuery)} rethrows it, and a live
   *     query's {@code Flowable} fails with it.
   */
  T query(ReadTransaction tx) throws Exception;
}
