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

  private final RequestHeader header;
  private final List<Mutation> mutations;

  public PushRequest(
      int pushVersion,
      String clientGroupID,
      String profileID,
      String schemaVersion,
      List<Mutation> mutations) {
    this(new RequestHeader(pushVersion, clientGroupID, profileID, schemaVersion), mutations);
  }

  private PushRequest(RequestHeader header, List<Mutation> mutations) {
    if (mutations == null) throw new NullPointerException();
    this.header = header;
    this.mutations = Collections.unmodifiableList(new ArrayList<>(mutations));
  }

  public int pushVersion() {
    return header.version;
  }

  public String clientGroupID() {
    return header.clientGroupID;
  }

  public String profileID() {
    return header.profileID;
  }

  public String schemaVersion() {
    return header.schemaVersion;
  }

  public List<Mutation> mutations() {
    return mutations;
  }

  public static PushRequest read(JsonReader reader) throws IOException {
    String path = reader.getPath();
    RequestHeader.Fields header = new RequestHeader.Fields("pushVersion");
    List<Mutation> mutations = null;
    JsonTokens.beginObject(reader);
    while (reader.hasNext()) {
      String name = reader.nextName();
      if (name.equals("mutations")) {
        mutations = new ArrayList<>();
        JsonTokens.beginArray(reader);
        while (reader.hasNext()) mutations.add(Mutation.read(reader));
        reader.endArray();
      } else {
        header.read(name, reader);
      }
    }
    reader.endObject();
    RequestHeader read = header.require(path);
    JsonTokens.require(mutations, "mutations", path);
    return new PushRequest(read, mutations);
  }

  public void write(JsonWriter writer) throws IOException {
    writer.beginObject();
    header.write(writer, "pushVersion");
    writer.name("mutations").beginArray();
    for (Mutation mutation : mutations) mutation.write(writer);
    writer.endArray();
    writer.endObject();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PushRequest)) return false;
    PushRequest other = (PushRequest) o;
    return header.sameAs(other.header) && mutations.equals(other.mutations);
  }

  @Override
  public int hashCode() {
    return header.clientGroupID.hashCode() * 31 + mutations.hashCode();
  }

  @Override
  public String toString() {
    return "PushRequest{group=" + header.clientGroupID + ", mutations=" + mutations.size() + "}";
  }
}
