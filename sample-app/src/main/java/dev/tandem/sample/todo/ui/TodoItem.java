package dev.tandem.sample.todo.ui;

/** A todo as the UI shows it, {@code pending} until the server confirms its last change. */
record TodoItem(
    String listID, String id, String title, boolean done, double rank, boolean pending) {}
