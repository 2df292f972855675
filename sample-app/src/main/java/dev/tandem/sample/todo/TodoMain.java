package dev.tandem.sample.todo;

import dev.tandem.sample.todo.ui.TodoCommand;

/**
 * {@code java -jar tandem-todo.jar --server URL --user NAME [--db FILE] [--headless] [--offline]}:
 * the todo sample, in a window or, with {@code --headless} or without a display, in the terminal.
 * The launcher only; the server never loads it (see the package's notes).
 */
public final class TodoMain {
  private TodoMain() {}

  public static void main(String[] args) throws Exception {
    TodoCommand.main(args);
  }
}
