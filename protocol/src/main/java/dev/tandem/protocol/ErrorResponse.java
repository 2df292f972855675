package dev.tandem.protocol;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import java.io.IOException;

/**
 * A protocol error, sent as HTTP 200 in place of a push or pull response: {@code
 * {"error":"ClientStateNotFound"}} or {@code
 * {"error":"VersionNotSupported","versionType":"schema"}}. Immutable.
 */
public final class ErrorResponse {
  /** Which error. */
  public enum Kind {
    /** The server has no state for this client; the client must stop using its client group. */
    CLIENT_STATE_NOT_FOUND("ClientStateNotFound"),
    /** The server will not serve this push, pull or schema version; the app must update. */
    VERSION_NOT_SUPPORTED("VersionNotSupported");

    final String wireName;

    Kind(String wireName) {
      this.wireName = wireName;
    }

    static Kind fromWire(String name, String path) {
      for (Kind kind : values()) {
        if (kind.wireName.equals(name)) return kind;
      }
      throw new JsonDataException(
          "Unknown error '"
              + name
              + "' (expected ClientStateNotFound or VersionNotSupported) at "
              + path);
    }
  }

  /** The {@code versionType} of a {@code VersionNotSupported} error about the push version. */
  public static final String PUSH = "push";

  /** The {@code versionType} of a {@code VersionNotSupported} error about the pull version. */
  public static final String PULL = "pull";

  /** The {@code versionType} of a {@code VersionNotSupported} error about the schema version. */
  public static final String SCHEMA = "schema";

  /**
   * The {@code reason} of a Tandem server's schema refusal: the client's schema version is older
   * than the oldest it serves. A Tandem extension; other servers leave it out.
   */
  public static final String CLIENT_TOO_OLD = "clientTooOld";

  /** The {@code reason} of a schema refusal: the client is newer than the newest version served. */
  public static final String CLIENT_TOO_NEW = "clientTooNew";

  private static final ErrorResponse CLIENT_STATE_NOT_FOUND =
      new ErrorResponse(Kind.CLIENT_STATE_NOT_FOUND, null, null, null, null);

  private final Kind kind;
  private final String versionType;
  private final String reason;
  private final String minSchemaVersion;
  private final String maxSchemaVersion;

  private ErrorResponse(
      Kind kind,
      String versionType,
      String reason,
      String minSchemaVersion,
      String maxSchemaVersion) {
    this.kind = kind;
    this.versionType = versionType;
    this.reason = reason;
    this.minSchemaVersion = minSchemaVersion;
    this.maxSchemaVersion = maxSchemaVersion;
  }

  public static ErrorResponse clientStateNotFound() {
    return CLIENT_STATE_NOT_FOUND;
  }

  /**
   * A {@code VersionNotSupported} error; {@code versionType} is {@link #PUSH}, {@link #PULL},
   * {@link #SCHEMA}, or null when the server does not say.
   */
  public static ErrorResponse versionNotSupported(String versionType) {
    return new ErrorResponse(Kind.VERSION_NOT_SUPPORTED, versionType, null, null, null);
  }

  /**
   * A {@code VersionNotSupported} error about the schema version, with the Tandem extension fields
   * {@code reason} ({@link #CLIENT_TOO_OLD} or {@link #CLIENT_TOO_NEW}) and the range the server
   * serves, {@code minSchemaVersion} to {@code maxSchemaVersion} (either may be null).
   */
  public static ErrorResponse schemaNotSupported(
      String reason, String minSchemaVersion, String maxSchemaVersion) {
    return new ErrorResponse(
        Kind.VERSION_NOT_SUPPORTED, SCHEMA, reason, minSchemaVersion, maxSchemaVersion);
  }

  public Kind kind() {
    return kind;
  }

  /** The version the server refused ({@code push}, {@code pull}, {@code schema}), or null. */
  public String versionType() {
    return versionType;
  }

  /**
   * Why the schema version was refused (a Tandem extension), or null when the server did not say.
   */
  public String reason() {
    return reason;
  }

  /** The oldest schema version the server serves (a Tandem extension), or null. */
  public String minSchemaVersion() {
    return minSchemaVersion;
  }

  /** The newest schema version the server serves (a Tandem extension), or null. */
  public String maxSchemaVersion() {
    return maxSchemaVersion;
  }

  /** The error fields of a response body, collected as they are read. */
  static final class Fields {
    String error;
    String errorPath;
    String versionType;
    String reason;
    String min;
    String max;

    /** Reads the value of {@code name} if it is an error field; false if it is not one. */
    boolean read(String name, JsonReader reader) throws IOException {
      switch (name) {
        case "error":
          errorPath = reader.getPath();
          error = JsonTokens.string(reader);
          return true;
        case "versionType":
          versionType = readOptionalString(reader);
          return true;
        case "reason":
          reason = readOptionalString(reader);
          return true;
        case "minSchemaVersion":
          min = readOptionalString(reader);
          return true;
        case "maxSchemaVersion":
          max = readOptionalString(reader);
          return true;
        default:
          return false;
      }
    }

    /** The error, or null if the body had no {@code error} field. */
    ErrorResponse build() {
      if (error == null) return null;
      Kind kind = Kind.fromWire(error, errorPath);
      return kind == Kind.CLIENT_STATE_NOT_FOUND
          ? CLIENT_STATE_NOT_FOUND
          : new ErrorResponse(kind, versionType, reason, min, max);
    }
  }

  /**
   * Reads a push response body. Any JSON object is a successful push; returns the error if the body
   * is one, else null.
   */
  public static ErrorResponse readPushResponse(JsonReader reader) throws IOException {
    Fields fields = new Fields();
    JsonTokens.beginObject(reader);
    while (reader.hasNext()) {
      if (!fields.read(reader.nextName(), reader)) reader.skipValue();
    }
    reader.endObject();
    return fields.build();
  }

  static String readOptionalString(JsonReader reader) throws IOException {
    if (reader.peek() == JsonReader.Token.NULL) {
      reader.nextNull();
      return null;
    }
    return JsonTokens.string(reader);
  }

  public void write(JsonWriter writer) throws IOException {
    writer.beginObject();
    writer.name("error").value(kind.wireName);
    if (versionType != null) writer.name("versionType").value(versionType);
    if (reason != null) writer.name("reason").value(reason);
    if (minSchemaVersion != null) writer.name("minSchemaVersion").value(minSchemaVersion);
    if (maxSchemaVersion != null) writer.name("maxSchemaVersion").value(maxSchemaVersion);
    writer.endObject();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ErrorResponse)) return false;
    ErrorResponse other = (ErrorResponse) o;
    return kind == other.kind
        && same(versionType, other.versionType)
        && same(reason, other.reason)
        && same(minSchemaVersion, other.minSchemaVersion)
        && same(maxSchemaVersion, other.maxSchemaVersion);
  }

  private static boolean same(String a, String b) {
    return a == null ? b == null : a.equals(b);
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + (versionType == null ? 0 : versionType.hashCode());
  }

  @Override
  public String toString() {
    return kind.wireName
        + (versionType == null ? "" : "(" + versionType + ")")
        + (reason == null ? "" : " " + reason)
        + (minSchemaVersion == null && maxSchemaVersion == null
            ? ""
            : " serving " + minSchemaVersion + ".." + maxSchemaVersion);
  }
}
