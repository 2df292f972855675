package dev.tandem.protocol;

import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import java.io.IOException;

/**
 * One pending mutation in a push: the client that made it, its per-client ID (1, 2, 3 …), the
 * mutator's name, its arguments (any JSON, {@code null} included) and a timestamp in milliseconds
 * (a monotonic clock reading, not epoch time, and possibly fractional). Immutable.
 */
public final class Mutation {
  private final String clientID;
  private final long id;
  private final String name;
  private final RawJson args;
  private final double timestamp;

  public Mutation(String clientID, long id, String name, RawJson args, double timestamp) {
    if (clientID == null || name == null || args == null) throw new NullPointerException();
    this.clientID = clientID;
    this.id = id;
    this.name = name;
    this.args = args;
    this.timestamp = timestamp;
  }

  public String clientID() {
    return clientID;
  }

  public long id() {
    return id;
  }

  public String name() {
    return name;
  }

  public RawJson args() {
    return args;
  }

  public double timestamp() {
    return timestamp;
  }

  /**
   * Reads a mutation. {@code args} may be any JSON value; a missing {@code args} reads as {@code
   * null}, because the JavaScript client drops {@code undefined} arguments from the JSON.
   */
  public static Mutation read(JsonReader reader) throws IOException {
    String path = reader.getPath();
    String clientID = null;
    Long id = null;
    String name = null;
    RawJson args = RawJson.NULL;
    Double timestamp = null;
    JsonTokens.beginObject(reader);
    while (reader.hasNext()) {
      switch (reader.nextName()) {
        case "clientID":
          clientID = JsonTokens.string(reader);
          break;
        case "id":
          id = JsonTokens.integer(reader);
          break;
        case "name":
          name = JsonTokens.string(reader);
          break;
        case "args":
          args = RawJson.read(reader);
          break;
        case "timestamp":
          timestamp = JsonTokens.number(reader);
          break;
        default:
          reader.skipValue();
      }
    }
    reader.endObject();
    JsonTokens.require(clientID, "clientID", path);
    JsonTokens.require(id, "id", path);
    JsonTokens.require(name, "name", path);
    JsonTokens.require(timestamp, "timestamp", path);
    return new Mutation(clientID, id, name, args, timestamp);
  }

  public void write(JsonWriter writer) throws IOException {
    writer.beginObject();
    writer.name("clientID").value(clientID);
    writer.name("id").value(id);
    writer.name("name").value(name);
    writer.name("args");
    args.write(writer);
    writer.name("timestamp").value(timestamp);
    writer.endObject();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Mutation)) return false;
    Mutation other = (Mutation) o;
    return clientID.equals(other.clientID)
        && id == other.id
        && name.equals(other.name)
        && args.equals(other.args)
        && Double.compare(timestamp, other.timestamp) == 0;
  }

  @Override
  public int hashCode() {
    return (clientID.hashCode() * 31 + (int) (id ^ (id >>> 32))) * 31 + name.hashCode();
  }

  @Override
  public String toString() {
    return "Mutation{" + clientID + "#" + id + " " + name + " " + args + "}";
  }
}
