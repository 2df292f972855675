package dev.tandem;

/**
 * Syncing has stopped for this client group, so what was asked ({@link Tandem#flush()}, {@link
 * Tandem#pull()}) cannot complete: the server needs a newer app ({@link UpdateNeeded}), it lost
 * this client's state, or the instance was closed. Local reads and mutations still work.
 */
public final class SyncStoppedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Syncing stopped for the reason {@code message}. */
  public SyncStoppedException(String message) {
    super(message);
  }
}
