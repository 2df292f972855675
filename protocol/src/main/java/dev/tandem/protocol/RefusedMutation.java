package dev.tandem.protocol;

import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import java.io.IOException;

/**
 * A Tandem extension of the pull response: a mutation the server processed but refused (its mutator
 * threw: an unknown name, bad args, a business rule), so it had no effect; the client's
 * lastMutationID moved past it as usual. Sent in the pull response's {@code refusedMutations} array
 * to the client group whose client made it, once (with the pull whose cookie covers it). The {@code
 * replicache} client ignores the field. Immutable.
 *
 * <pre>{@code {"clientID": "c1", "id": 7, "error": "title must not be empty"}}</pre>
 */
public final class RefusedMutation {
  private final String clientID;
  private final long id;
  private final String error;

  public RefusedMutation(String clientID, long id, String error) {
    if (clientID == null || error == null) throw new NullPointerException();
    this.clientID = clientID;
    this.id = id;
    this.error = error;
  }

  public String clientID() {
    return clientID;
  }

  /** The mutation's ID, per client. */
  public long id() {
    return id;
  }

  /** Why the server refused it, in the server's words. */
  public String error() {
    return error;
  }

  static RefusedMutation read(JsonReader reader) throws IOException {
    String path = reader.getPath();
    String clientID = null;
    Long id = null;
    String error = null;
    JsonTokens.beginObject(reader);
    while (reader.hasNext()) {
      switch (reader.nextName()) {
        case "clientID":
          clientID = JsonTokens.string(reader);
          break;
        case "id":
          id = JsonTokens.integer(reader);
          break;
        case "error":
          error = JsonTokens.string(reader);
          break;
        default:
          reader.skipValue();
      }
    }
    reader.endObject();
    JsonTokens.require(clientID, "clientID", path);
    JsonTokens.require(id, "id", path);
    JsonTokens.require(error, "error", path);
    return new RefusedMutation(clientID, id, error);
  }

  void write(JsonWriter writer) throws IOException {
    writer.beginObject();
    writer.name("clientID").value(clientID);
    writer.name("id").value(id);
    writer.name("error").value(error);
    writer.endObject();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RefusedMutation)) return false;
    RefusedMutation other = (RefusedMutation) o;
    return clientID.equals(other.clientID) && id == other.id && error.equals(other.error);
  }

  @Override
  public int hashCode() {
    return (clientID.hashCode() * 31 + (int) (id ^ (id >>> 32))) * 31 + error.hashCode();
  }

  @Override
  public String toString() {
    return clientID + "#" + id + " refused: " + error;
  }
}
