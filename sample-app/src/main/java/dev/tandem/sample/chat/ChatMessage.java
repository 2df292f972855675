package dev.tandem.sample.chat;

/** One line of the chat as the UI shows it. */
record ChatMessage(String id, String from, String content, double order, boolean pending) {}
