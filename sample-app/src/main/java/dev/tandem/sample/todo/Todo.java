package dev.tandem.sample.todo;

import dev.tandem.Synced;

/**
 * A row of table {@code todo}, keyed by its list and its own ID ({@code todo/<listID>/<id>}). Todos
 * of a list show in ascending {@code rank}.
 */
@Synced
public final class Todo {
  public String listID;
  public String id;
  public String title;
  public boolean done;
  public double rank;

  public Todo(String listID, String id, String title, boolean done, double rank) {
    this.listID = listID;
    this.id = id;
    this.title = title;
    this.done = done;
    this.rank = rank;
  }
}
