package dev.tandem.server.internal;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonReader;
import java.io.IOException;
import java.io.InputStream;
import okio.Buffer;
import okio.Okio;
import okio.Source;

/**
 * A push's or pull's body read as one JSON document: at most a configured size, Unicode text
 * ({@link UnicodeCheck}), nothing after the document.
 */
public final class JsonBodies {
  private JsonBodies() {}

  /** Reads one value from the body's JSON. */
  public interface Parser<T> {
    T read(JsonReader reader) throws IOException;
  }

  /**
   * Reads at most {@code maxBodyBytes} and parses exactly one JSON document.
   *
   * @throws BodyTooLarge if the body is longer.
   */
  public static <T> T parse(InputStream body, long maxBodyBytes, Parser<T> parser)
      throws IOException {
    Buffer buffer = new Buffer();
    Source source = Okio.source(body); // Reads straight into the buffer's segments.
    while (source.read(buffer, 8192) != -1) {
      if (buffer.size() > maxBodyBytes) {
        throw new BodyTooLarge("request body exceeds " + maxBodyBytes + " bytes");
      }
    }
    UnicodeCheck.check(buffer);
    JsonReader reader = JsonReader.of(buffer);
    T value = parser.read(reader);
    if (reader.peek() != JsonReader.Token.END_DOCUMENT) {
      throw new JsonDataException("trailing content after the JSON body at " + reader.getPath());
    }
    return value;
  }

  /** The body is larger than the configured cap. */
  public static final class BodyTooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooLarge(String message) {
      super(message);
    }
  }
}
