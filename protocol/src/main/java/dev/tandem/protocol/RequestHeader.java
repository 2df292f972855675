package dev.tandem.protocol;

import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import java.io.IOException;

/**
 * The fields a push body and a pull body share: the protocol version (named {@code pushVersion} or
 * {@code pullVersion}), the client group, the profile and the schema version. Each is required and
 * read strictly ({@link JsonTokens}). Immutable.
 */
final class RequestHeader {
  final int version;
  final String clientGroupID;
  final String profileID;
  final String schemaVersion;

  RequestHeader(int version, String clientGroupID, String profileID, String schemaVersion) {
    if (clientGroupID == null || profileID == null || schemaVersion == null) {
      throw new NullPointerException();
    }
    this.version = version;
    this.clientGroupID = clientGroupID;
    this.profileID = profileID;
    this.schemaVersion = schemaVersion;
  }

  /** Writes the four fields, in this order, into the object {@code writer} is in. */
  void write(JsonWriter writer, String versionName) throws IOException {
    writer.name(versionName).value(version);
    writer.name("clientGroupID").value(clientGroupID);
    writer.name("profileID").value(profileID);
    writer.name("schemaVersion").value(schemaVersion);
  }

  boolean sameAs(RequestHeader other) {
    return version == other.version
        && clientGroupID.equals(other.clientGroupID)
        && profileID.equals(other.profileID)
        && schemaVersion.equals(other.schemaVersion);
  }

  /** The shared fields of one body as its members are read. Not thread-safe. */
  static final class Fields {
    private final String versionName;
    private Integer version;
    private String clientGroupID;
    private String profileID;
    private String schemaVersion;

    Fields(String versionName) {
      this.versionName = versionName;
    }

    /** Reads the value of member {@code name} if it is a shared field; skips it otherwise. */
    void read(String name, JsonReader reader) throws IOException {
      if (name.equals(versionName)) {
        version = JsonTokens.int32(reader);
        return;
      }
      switch (name) {
        case "clientGroupID":
          clientGroupID = JsonTokens.string(reader);
          break;
        case "profileID":
          profileID = JsonTokens.string(reader);
          break;
        case "schemaVersion":
          schemaVersion = JsonTokens.string(reader);
          break;
        default:
          reader.skipValue();
      }
    }

    /**
     * The header read.
     *
     * @throws com.squareup.moshi.JsonDataException naming the first field missing at {@code path}.
     */
    RequestHeader require(String path) {
      JsonTokens.require(version, versionName, path);
      JsonTokens.require(clientGroupID, "clientGroupID", path);
      JsonTokens.require(profileID, "profileID", path);
      JsonTokens.require(schemaVersion, "schemaVersion", path);
      return new RequestHeader(version, clientGroupID, profileID, schemaVersion);
    }
  }
}
