package dev.tandem.sample.todo;

import dev.tandem.Synced;

/** A row of table {@code list}: a named list of todos, owned by the user who made it. */
@Synced
public final class TodoList {
  public String id;
  public String name;
  public String ownerID;

  public TodoList(String id, String name, String ownerID) {
    this.id = id;
    this.name = name;
    this.ownerID = ownerID;
  }
}
