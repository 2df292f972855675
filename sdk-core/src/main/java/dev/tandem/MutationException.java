package dev.tandem;

/** A mutator threw: the mutation was not made and left nothing behind. */
public final class MutationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A mutation that failed with {@code message} because of {@code cause}. */
  public MutationException(String message, Throwable cause) {
    super(message, cause);
  }
}
