package dev.tandem.protocol;

import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import okio.Buffer;

/**
 * The body of a pull: which client group asks, and the cookie it last received ({@link Cookie#NULL}
 * on its first pull). The {@code cookie} field is required, even when null. Immutable.
 */
public final class PullRequest {
  /** The only pull version Tandem speaks. */
  public static final int VERSION = 1;

  private final RequestHeader header;
  private final Cookie cookie;

  public PullRequest(
      int pullVersion,
      String clientGroupID,
      String profileID,
      String schemaVersion,
      Cookie cookie) {
    this(new RequestHeader(pullVersion, clientGroupID, profileID, schemaVersion), cookie);
  }

  private PullRequest(RequestHeader header, Cookie cookie) {
    if (cookie == null) throw new NullPointerException();
    this.header = header;
    this.cookie = cookie;
  }

  public int pullVersion() {
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

  public Cookie cookie() {
    return cookie;
  }

  public static PullRequest read(JsonReader reader) throws IOException {
    String path = reader.getPath();
    RequestHeader.Fields header = new RequestHeader.Fields("pullVersion");
    Cookie cookie = null;
    JsonTokens.beginObject(reader);
    while (reader.hasNext()) {
      String name = reader.nextName();
      if (name.equals("cookie")) cookie = Cookie.read(reader);
      else header.read(name, reader);
    }
    reader.endObject();
    RequestHeader read = header.require(path);
    JsonTokens.require(cookie, "cookie", path);
    return new PullRequest(read, cookie);
  }

  /**
   * The UTF-8 JSON of a first pull ({@code cookie: null}, pull version {@link #VERSION}) with these
   * IDs: exactly what {@link #write} writes for it, made without Moshi. A new database's first pull
   * goes out while a fresh process is still loading classes, and Moshi's writer and the cookie's
   * classes would be loaded first, on the request's path. A {@code schemaVersion} with a surrogate
   * character is written by Moshi (which writes an unpaired one as {@code ?}).
   */
  public static byte[] firstPullJson(String clientGroupID, String profileID, String schemaVersion) {
    StringBuilder json = new StringBuilder(128).append("{\"pullVersion\":").append(VERSION);
    json.append(",\"clientGroupID\":");
    boolean plain = quote(clientGroupID, json);
    json.append(",\"profileID\":");
    plain &= quote(profileID, json);
    json.append(",\"schemaVersion\":");
    plain &= quote(schemaVersion, json);
    json.append(",\"cookie\":null}");
    if (plain) return json.toString().getBytes(StandardCharsets.UTF_8);
    Buffer moshi = new Buffer();
    try {
      new PullRequest(VERSION, clientGroupID, profileID, schemaVersion, Cookie.NULL)
          .write(JsonWriter.of(moshi));
    } catch (IOException e) {
      throw new AssertionError(e); // A Buffer does not throw.
    }
    return moshi.readByteArray();
  }

  /**
   * Appends {@code value} as a JSON string escaped as Moshi's writer escapes it; false if it holds
   * a surrogate (left to Moshi).
   */
  private static boolean quote(String value, StringBuilder json) {
    json.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && c < 0x2028) {
        json.append(c);
        continue;
      }
      switch (c) {
        case '"':
          json.append("\\\"");
          break;
        case '\\':
          json.append("\\\\");
          break;
        case '\t':
          json.append("\\t");
          break;
        case '\b':
          json.append("\\b");
          break;
        case '\n':
          json.append("\\n");
          break;
        case '\r':
          json.append("\\r");
          break;
        case '\f':
          json.append("\\f");
          break;
        default:
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            json.append("\\u").append(HEX[c >> 12 & 15]).append(HEX[c >> 8 & 15]);
            json.append(HEX[c >> 4 & 15]).append(HEX[c & 15]);
          } else if (Character.isSurrogate(c)) {
            return false;
          } else {
            json.append(c);
          }
      }
    }
    json.append('"');
    return true;
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  public void write(JsonWriter writer) throws IOException {
    writer.beginObject();
    header.write(writer, "pullVersion");
    writer.name("cookie");
    cookie.write(writer);
    writer.endObject();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PullRequest)) return false;
    PullRequest other = (PullRequest) o;
    return header.sameAs(other.header) && cookie.equals(other.cookie);
  }

  @Override
  public int hashCode() {
    return header.clientGroupID.hashCode() * 31 + cookie.hashCode();
  }

  @Override
  public String toString() {
    return "PullRequest{group=" + header.clientGroupID + ", cookie=" + cookie + "}";
  }
}
