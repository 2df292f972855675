package dev.tandem.sample.chat;

/**
 * One line of the chat as the UI shows it; {@code order} is the sender's clock when sent (epoch
 * milliseconds, kept increasing per sender).
 */
record ChatMessage(String id, String from, String content, double order, boolean pending) {
  /** When it was sent, in epoch milliseconds. */
  long sentMillis() {
    return (long) order;
  }
}
