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

  private static final ErrorResponse CLIENT_STATE_NOT_FOUND =
      new ErrorResponse(Kind.CLIENT_STATE_NOT_FOUND, null);

  private final Kind kind;
  private final String versionType;

  private ErrorResponse(Kind kind, String versionType) {
    this.kind = kind;
    this.versionType = versionType;
  }

  public static ErrorResponse clientStateNotFound() {
    return CLIENT_STATE_NOT_FOUND;
  }

  /**
   * A {@code VersionNotSupported} error; {@code versionType} is {@link #PUSH}, {@link #PULL},
   * {@link #SCHEMA}, or null when the server does not say.
   */
  public static ErrorResponse versionNotSupported(String versionType) {
    return new ErrorResponse(Kind.VERSION_NOT_SUPPORTED, versionType);
  }

  public Kind kind() {
    return kind;
  }

  /** The version the server refused ({@code push}, {@code pull}, {@code schema}), or null. */
  public String versionType() {
    return versionType;
  }

  /** Builds the error from a body's {@code error} and {@code versionType} fields. */
  static ErrorResponse of(String error, String errorPath, String versionType) {
    Kind kind = Kind.fromWire(error, errorPath);
    return kind == Kind.CLIENT_STATE_NOT_FOUND
        ? CLIENT_STATE_NOT_FOUND
        : versionNotSupported(versionType);
  }

  /**
   * Reads a push response body. Any JSON object is a successful push; returns the error if the body
   * is one, else null.
   */
  public static ErrorResponse readPushResponse(JsonReader reader) throws IOException {
    String error = null;
    String errorPath = null;
    String versionType = null;
    JsonTokens.beginObject(reader);
    while (reader.hasNext()) {
      switch (reader.nextName()) {
        case "error":
          errorPath = reader.getPath();
          error = JsonTokens.string(reader);
          break;
        case "versionType":
          versionType = readVersionType(reader);
          break;
        default:
          reader.skipValue();
      }
    }
    reader.endObject();
    return error == null ? null : of(error, errorPath, versionType);
  }

  static String readVersionType(JsonReader reader) throws IOException {
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
    writer.endObject();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ErrorResponse)) return false;
    ErrorResponse other = (ErrorResponse) o;
    return kind == other.kind
        && (versionType == null
            ? other.versionType == null
            : versionType.equals(other.versionType));
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + (versionType == null ? 0 : versionType.hashCode());
  }

  @Override
  public String toString() {
    return kind.wireName + (versionType == null ? "" : "(" + versionType + ")");
  }
}
