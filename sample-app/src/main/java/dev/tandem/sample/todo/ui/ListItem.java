package dev.tandem.sample.todo.ui;

/** A list as the UI shows it: its todos still open, of all, and whether the server has it yet. */
record ListItem(String id, String name, String ownerID, int open, int total, boolean pending) {}
