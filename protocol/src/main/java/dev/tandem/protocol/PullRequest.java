package dev.tandem.protocol;

import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import java.io.IOException;

/**
 * The body of a pull: which client group asks, and the cookie it last received ({@link Cookie#NULL}
 * on its first pull). The {@code cookie} field is required, even when null. Immutable.
 */
public final class PullRequest {
  /** The only pull version Tandem speaks. */
  public static final int VERSION = 1;

  private final int pullVersion;
  private final String clientGroupID;
  private final String profileID;
  private final String schemaVersion;
  private final Cookie cookie;

  public PullRequest(
      int pullVersion,
      String clientGroupID,
      String profileID,
      String schemaVersion,
      Cookie cookie) {
    if (clientGroupID == null || profileID == null || schemaVersion == null || cookie == null) {
      throw new NullPointerException();
    }
    this.pullVersion = pullVersion;
    this.clientGroupID = clientGroupID;
    this.profileID = profileID;
    this.schemaVersion = schemaVersion;
    this.cookie = cookie;
  }

  public int pullVersion() {
    return pullVersion;
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

  public Cookie cookie() {
    return cookie;
  }

  public static PullRequest read(JsonReader reader) throws IOException {
    String path = reader.getPath();
    Integer pullVersion = null;
    String clientGroupID = null;
    String profileID = null;
    String schemaVersion = null;
    Cookie cookie = null;
    JsonTokens.beginObject(reader);
    while (reader.hasNext()) {
      switch (reader.nextName()) {
        case "pullVersion":
          pullVersion = JsonTokens.int32(reader);
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
        case "cookie":
          cookie = Cookie.read(reader);
          break;
        default:
          reader.skipValue();
      }
    }
    reader.endObject();
    JsonTokens.require(pullVersion, "pullVersion", path);
    JsonTokens.require(clientGroupID, "clientGroupID", path);
    JsonTokens.require(profileID, "profileID", path);
    JsonTokens.require(schemaVersion, "schemaVersion", path);
    JsonTokens.require(cookie, "cookie", path);
    return new PullRequest(pullVersion, clientGroupID, profileID, schemaVersion, cookie);
  }

  public void write(JsonWriter writer) throws IOException {
    writer.beginObject();
    writer.name("pullVersion").value(pullVersion);
    writer.name("clientGroupID").value(clientGroupID);
    writer.name("profileID").value(profileID);
    writer.name("schemaVersion").value(schemaVersion);
    writer.name("cookie");
    cookie.write(writer);
    writer.endObject();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PullRequest)) return false;
    PullRequest other = (PullRequest) o;
    return pullVersion == other.pullVersion
        && clientGroupID.equals(other.clientGroupID)
        && profileID.equals(other.profileID)
        && schemaVersion.equals(other.schemaVersion)
        && cookie.equals(other.cookie);
  }

  @Override
  public int hashCode() {
    return clientGroupID.hashCode() * 31 + cookie.hashCode();
  }

  @Override
  public String toString() {
    return "PullRequest{group=" + clientGroupID + ", cookie=" + cookie + "}";
  }
}
