package dev.tandem;

/**
 * A mutation made here that the server has not confirmed yet: its client, ID, mutator name, args
 * and the schema version it was made with. Immutable.
 */
public final class PendingMutation {
  private final String clientID;
  private final long id;
  private final String name;
  private final String argsJson;
  private final String schemaVersion;

  /** A pending mutation of client {@code clientID}, with its args as JSON text. */
  public PendingMutation(String clientID, long id, String name, String argsJson) {
    this(clientID, id, name, argsJson, null);
  }

  /**
   * A pending mutation of client {@code clientID}, with its args as JSON text, made with schema
   * version {@code schemaVersion} (null if unknown).
   */
  public PendingMutation(
      String clientID, long id, String name, String argsJson, String schemaVersion) {
    this.clientID = clientID;
    this.id = id;
    this.name = name;
    this.argsJson = argsJson;
    this.schemaVersion = schemaVersion;
  }

  /** The ID of the client that made the mutation. */
  public String clientID() {
    return clientID;
  }

  /** The mutation's ID, as {@link Tandem#mutate} returned it: 1, 2, 3 … for its client. */
  public long id() {
    return id;
  }

  /** The mutator's name. */
  public String name() {
    return name;
  }

  /** The mutator's args as JSON text. */
  public String argsJson() {
    return argsJson;
  }

  /**
   * The schema version ({@code schemaVersion}) the mutation was made with, and is pushed under: an
   * app updated while mutations were pending pushes them under their old version (mutation
   * recovery). Null if unknown.
   */
  public String schemaVersion() {
    return schemaVersion;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PendingMutation)) return false;
    PendingMutation other = (PendingMutation) o;
    return clientID.equals(other.clientID)
        && id == other.id
        && name.equals(other.name)
        && argsJson.equals(other.argsJson)
        && (schemaVersion == null
            ? other.schemaVersion == null
            : schemaVersion.equals(other.schemaVersion));
  }

  @Override
  public int hashCode() {
    return (clientID.hashCode() * 31 + (int) (id ^ (id >>> 32))) * 31 + name.hashCode();
  }

  @Override
  public String toString() {
    return name + "#" + id + " " + argsJson;
  }
}
