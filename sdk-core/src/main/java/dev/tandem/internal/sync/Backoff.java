package dev.tandem.internal.sync;

/**
 * Exponential backoff: the first failure waits {@code minMillis}, each further one twice as long up
 * to {@code maxMillis}; a success resets it. Not thread-safe.
 */
public final class Backoff {
  private final long minMillis;
  private final long maxMillis;
  private long next;

  public Backoff(long minMillis, long maxMillis) {
    if (minMillis <= 0 || maxMillis < minMillis) {
      throw new IllegalArgumentException(
          "backoff needs 0 < min <= max: " + minMillis + ", " + maxMillis);
    }
    this.minMillis = minMillis;
    this.maxMillis = maxMillis;
    this.next = minMillis;
  }

  /** The delay before retrying after a failure; doubles the next one. */
  public long failure() {
    long delay = next;
    next = Math.min(maxMillis, next * 2);
    return delay;
  }

  public void success() {
    next = minMillis;
  }
}
