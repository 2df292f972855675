package dev.tandem.protocol;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonEncodingException;
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
    return read(reader, handler, null);
  }

  /**
   * {@link #read(JsonReader, PatchHandler)}; with {@code source}, the source {@code reader} reads
   * (and nothing else does), the patch's operations are read by {@link PatchScanner} as far as it
   * takes them, and by the reader from there.
   */
  private static PullResult read(
      JsonReader reader, PatchHandler handler, okio.BufferedSource source) throws IOException {
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
          int scanned = source == null ? 0 : PatchScanner.read(source, handler);
          try {
            while (reader.hasNext()) handler.handle(PatchOperation.read(reader));
            reader.endArray();
          } catch (JsonDataException e) {
            if (scanned == 0) throw e;
            throw new JsonDataException(countFrom(e.getMessage(), scanned), e);
          } catch (JsonEncodingException e) {
            if (scanned == 0) throw e;
            throw withCause(new JsonEncodingException(countFrom(e.getMessage(), scanned)), e);
          } catch (java.io.EOFException e) {
            if (scanned == 0) throw e;
            throw withCause(new java.io.EOFException(countFrom(e.getMessage(), scanned)), e);
          }
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

  private static <T extends Throwable> T withCause(T error, Throwable cause) {
    error.initCause(cause);
    return error;
  }

  /**
   * {@code message} of an error the reader found after {@link PatchScanner} took {@code scanned}
   * operations: the reader counted the patch's operations from the first one it read, so its paths
   * {@code $.patch[i]} are {@code $.patch[scanned + i]}.
   */
  private static String countFrom(String message, int scanned) {
    if (message == null) return null;
    java.util.regex.Matcher index =
        java.util.regex.Pattern.compile("\\$\\.patch\\[(\\d+)\\]").matcher(message);
    StringBuffer moved = new StringBuffer();
    while (index.find()) {
      long at = Long.parseLong(index.group(1)) + scanned;
      index.appendReplacement(
          moved, java.util.regex.Matcher.quoteReplacement("$.patch[" + at + "]"));
    }
    index.appendTail(moved);
    return moved.toString();
  }

  /**
   * Reads a whole pull response body with {@link #read(JsonReader, PatchHandler)} and checks that
   * nothing follows it. The patch's operations in the shape servers send are read in one pass over
   * their bytes ({@link PatchScanner}): the same result, and malformed input is refused as {@code
   * read} refuses it, naming the same path.
   *
   * @throws com.squareup.moshi.JsonDataException for trailing content, or as {@code read} does.
   */
  public static PullResult readBody(okio.BufferedSource body, PatchHandler handler)
      throws IOException {
    JsonReader reader = JsonReader.of(body);
    PullResult result = read(reader, handler, body);
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
