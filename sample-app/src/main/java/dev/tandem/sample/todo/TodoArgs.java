package dev.tandem.sample.todo;

import dev.tandem.Synced;

/**
 * The args of the todo mutators. Everything a mutator writes comes from its args (IDs, ranks, the
 * new state), so the same mutation gives the same rows on the client, on each rebase, and on the
 * server.
 */
public final class TodoArgs {
  private TodoArgs() {}

  /** {@code createList}: a new list owned by {@code ownerID}. */
  @Synced
  public static final class CreateList {
    public String id;
    public String name;
    public String ownerID;

    public CreateList(String id, String name, String ownerID) {
      this.id = id;
      this.name = name;
      this.ownerID = ownerID;
    }
  }

  /** {@code createTodo}: a new, not yet done todo at {@code rank} in list {@code listID}. */
  @Synced
  public static final class CreateTodo {
    public String listID;
    public String id;
    public String title;
    public double rank;

    public CreateTodo(String listID, String id, String title, double rank) {
      this.listID = listID;
      this.id = id;
      this.title = title;
      this.rank = rank;
    }
  }

  /** {@code toggleTodo}: sets {@code done} (the new state, not "flip", so a replay is the same). */
  @Synced
  public static final class ToggleTodo {
    public String listID;
    public String id;
    public boolean done;

    public ToggleTodo(String listID, String id, boolean done) {
      this.listID = listID;
      this.id = id;
      this.done = done;
    }
  }

  /** {@code renameTodo}: a new title. */
  @Synced
  public static final class RenameTodo {
    public String listID;
    public String id;
    public String title;

    public RenameTodo(String listID, String id, String title) {
      this.listID = listID;
      this.id = id;
      this.title = title;
    }
  }

  /** {@code deleteTodo}: removes the todo. */
  @Synced
  public static final class DeleteTodo {
    public String listID;
    public String id;

    public DeleteTodo(String listID, String id) {
      this.listID = listID;
      this.id = id;
    }
  }
}
