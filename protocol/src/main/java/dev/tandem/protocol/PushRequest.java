package dev.tandem.protocol;

import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The body of a push: pending mutations of one client group, oldest first. Any {@code pushVersion}
 * reads successfully; deciding whether it is supported is the server's job (it answers {@link
 * ErrorResponse#versionNotSupported}). Immutable.
 */
public final class PushRequest {
  /** The only push version Tandem speaks. */
  public static final int VERSION = 1;

  private final int pushVersion;
  private final String clientGroupID;
  private final String profileID;
  private final String schemaVersion;
  private final List<Mutation> mutations;

  public PushRequest(
      int pushVersion,
      String clientGroupID,
      String profileID,
      String schemaVersion,
      List<Mutation> mutations) {
    if (clientGroupID == null || profileID == null || schemaVersion == null || mutations == null) {
      throw new NullPointerException();
    }
    this.pushVersion = pushVersion;
    this.clientGroupID = clientGroupID;
    this.profileID = profileID;
    this.schemaVersion = schemaVersion;
    this.mutations = Collections.unmodifiableList(new ArrayList<>(mutations));
  }

  public int pushVersion() {
    return pushVersion;
  }

  public String clientGroupID() {
    return clientGroupID;
  }

  public String profileID() {
    return profileID;
  }

  public String schemaVersion() {
    return schemaVersion;
  }

  public List<Mutation> mutations() {
    return mutations;
  }

  public static PushRequest read(JsonReader reader) throws IOException {
    String path = reader.getPath();
    Integer pushVersion = null;
    String clientGroupID = null;
    String profileID = null;
    String schemaVersion = null;
    List<Mutation> mutations = null;
    JsonTokens.beginObject(reader);
    while (reader.hasNext()) {
      switch (reader.nextName()) {
        case "pushVersion":
          pushVersion = JsonTokens.int32(reader);
          break;
        case "clientGroupID":
          clientGroupID = JsonTokens.string(reader);
          break;
        case "profileID":
          profileID = JsonTokens.string(reader);
          break;
        case "schemaVersion":
          schemaVersion = JsonTokens.string(reader);
          break;
        case "mutations":
          mutations = new ArrayList<>();
          JsonTokens.beginArray(reader);
          while (reader.hasNext()) mutations.add(Mutation.read(reader));
          reader.endArray();
          break;
        default:
          reader.skipValue();
      }
    }
    reader.endObject();
    JsonTokens.require(pushVersion, "pushVersion", path);
    JsonTokens.require(clientGroupID, "clientGroupID", path);
    JsonTokens.require(profileID, "profileID", path);
    JsonTokens.require(schemaVersion, "schemaVersion", path);
    JsonTokens.require(mutations, "mutations", path);
    return new PushRequest(pushVersion, clientGroupID, profileID, schemaVersion, mutations);
  }

  public void write(JsonWriter writer) throws IOException {
    writer.beginObject();
    writer.name("pushVersion").value(pushVersion);
    writer.name("clientGroupID").value(clientGroupID);
    writer.name("profileID").value(profileID);
    writer.name("schemaVersion").value(schemaVersion);
    writer.name("mutations").beginArray();
    for (Mutation mutation : mutations) mutation.write(writer);
    writer.endArray();
    writer.endObject();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PushRequest)) return false;
    PushRequest other = (PushRequest) o;
    return pushVersion == other.pushVersion
        && clientGroupID.equals(other.clientGroupID)
        && profileID.equals(other.profileID)
        && schemaVersion.equals(other.schemaVersion)
        && mutations.equals(other.mutations);
  }

  @Override
  public int hashCode() {
    return clientGroupID.hashCode() * 31 + mutations.hashCode();
  }

  @Override
  public String toString() {
    return "PushRequest{group=" + clientGroupID + ", mutations=" + mutations.size() + "}";
  }
}
