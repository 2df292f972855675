package dev.tandem.protocol;

import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a pull endpoint answered with HTTP 200: either a {@link PullResponse} or an {@link
 * ErrorResponse}. Exactly one of {@link #response()} and {@link #error()} is non-null. Immutable.
 */
public final class PullResult {
  private final PullResponse response;
  private final ErrorResponse error;

  private PullResult(PullResponse response, ErrorResponse error) {
    this.response = response;
    this.error = error;
  }

  public static PullResult of(PullResponse response) {
    if (response == null) throw new NullPointerException();
    return new PullResult(response, null);
  }

  public static PullResult of(ErrorResponse error) {
    if (error == null) throw new NullPointerException();
    return new PullResult(null, error);
  }

  /** The successful response, or null if the server answered with an error. */
  public PullResponse response() {
    return response;
  }

  /** The error, or null if the pull succeeded. */
  public ErrorResponse error() {
    return error;
  }

  /** Receives patch operations as they are read, for responses too large to hold. */
  public interface PatchHandler {
    void handle(PatchOperation op) throws IOException;
  }

  /**
   * Reads a pull response body. A body with an {@code error} field is an error response; otherwise
   * {@code cookie} (possibly null), {@code lastMutationIDChanges} and {@code patch} are required.
   *
   * @throws com.squareup.moshi.JsonDataException for a wrong shape, naming the JSON path.
   * @throws com.squareup.moshi.JsonEncodingException for malformed JSON.
   */
  public static PullResult read(JsonReader reader) throws IOException {
    final List<PatchOperation> patch = new ArrayList<>();
    PullResult result = read(reader, patch::add);
    if (result.error != null) return result;
    PullResponse streamed = result.response;
    return of(
        new PullResponse(
            streamed.cookie(),
            streamed.lastMutationIDChanges(),
            patch,
            streamed.refusedMutations()));
  }

  /**
   * Reads a pull response body like {@link #read(JsonReader)}, but hands each patch operation to
   * {@code handler} as it is read, in order, and returns a response whose {@code patch()} is empty.
   * The body's fields may come in any order, so the handler may see operations before the cookie
   * and before an error or a malformed part is found: apply them where they can be undone.
   */
  public static PullResult read(JsonReader reader, PatchHandler handler) throws IOException {
    String path = reader.getPath();
    Cookie cookie = null;
    Map<String, Long> lastMutationIDChanges = null;
    boolean patch = false;
    List<RefusedMutation> refused = new ArrayList<>();
    ErrorResponse.Fields errorFields = new ErrorResponse.Fields();
    JsonTokens.beginObject(reader);
    while (reader.hasNext()) {
      String name = reader.nextName();
      switch (name) {
        case "cookie":
          cookie = Cookie.read(reader);
          break;
        case "lastMutationIDChanges":
          lastMutationIDChanges = new LinkedHashMap<>();
          JsonTokens.beginObject(reader);
          while (reader.hasNext()) {
            String clientID = reader.nextName();
            lastMutationIDChanges.put(clientID, JsonTokens.integer(reader));
          }
          reader.endObject();
          break;
        case "patch":
          JsonTokens.beginArray(reader);
          while (reader.hasNext()) handler.handle(PatchOperation.read(reader));
          reader.endArray();
          patch = true;
          break;
        case "refusedMutations":
          JsonTokens.beginArray(reader);
          while (reader.hasNext()) refused.add(RefusedMutation.read(reader));
          reader.endArray();
          break;
        default:
          if (!errorFields.read(name, reader)) reader.skipValue();
      }
    }
    reader.endObject();
    ErrorResponse error = errorFields.build();
    if (error != null) return of(error);
    JsonTokens.require(cookie, "cookie", path);
    JsonTokens.require(lastMutationIDChanges, "lastMutationIDChanges", path);
    if (!patch) throw JsonTokens.missing("patch", path);
    return of(
        new PullResponse(
            cookie,
            lastMutationIDChanges,
            java.util.Collections.<PatchOperation>emptyList(),
            refused));
  }

  /**
   * Reads a whole pull response body with {@link #read(JsonReader, PatchHandler)} and checks that
   * nothing follows it.
   *
   * @throws com.squareup.moshi.JsonDataException for trailing content, or as {@code read} does.
   */
  public static PullResult readBody(okio.BufferedSource body, PatchHandler handler)
      throws IOException {
    JsonReader reader = JsonReader.of(body);
    PullResult result = read(reader, handler);
    if (reader.peek() != JsonReader.Token.END_DOCUMENT) {
      throw new com.squareup.moshi.JsonDataException("trailing content after the pull response");
    }
    return result;
  }

  public void write(JsonWriter writer) throws IOException {
    if (response != null) {
      response.write(writer);
    } else {
      error.write(writer);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PullResult)) return false;
    PullResult other = (PullResult) o;
    return response != null ? response.equals(other.response) : error.equals(other.error);
  }

  @Override
  public int hashCode() {
    return response != null ? response.hashCode() : error.hashCode();
  }

  @Override
  public String toString() {
    return response != null ? response.toString() : error.toString();
  }
}
