package dev.tandem;

/**
 * A read of the client view, for {@link Tandem#query} and {@link Tandem#watch}. For a live query it
 * must depend only on {@code tx}: it re-runs after commits that touch what it read.
 */
public interface ReadQuery<T> {
  T query(ReadTransaction tx) throws Exception;
}
