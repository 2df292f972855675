package dev.tandem.protocol;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import com.squareup.moshi.Moshi;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Set;

/**
 * Moshi adapters for the wire types. The adapters are hand-written rather than reflective: they
 * reject what the protocol forbids (a missing {@code cookie}, a quoted {@code lastMutationID}, an
 * unknown patch op) with the JSON path in the message, keep {@code args} and values as {@link
 * RawJson} text, and need no R8 keep rules on Android.
 *
 * <pre>{@code
 * Moshi moshi = new Moshi.Builder().add(ProtocolJson.FACTORY).build();
 * PushRequest push = moshi.adapter(PushRequest.class).fromJson(body);
 * }</pre>
 */
public final class ProtocolJson {
  private ProtocolJson() {}

  /** Creates the adapters of every wire type. Thread-safe. */
  public static final JsonAdapter.Factory FACTORY =
      new JsonAdapter.Factory() {
        @Override
        public JsonAdapter<?> create(
            Type type, Set<? extends Annotation> annotations, Moshi moshi) {
          if (!annotations.isEmpty()) return null;
          if (type == RawJson.class) return adapter(RawJson::read, (w, v) -> v.write(w));
          if (type == Cookie.class) return adapter(Cookie::read, (w, v) -> v.write(w));
          if (type == Mutation.class) return adapter(Mutation::read, (w, v) -> v.write(w));
          if (type == PushRequest.class) return adapter(PushRequest::read, (w, v) -> v.write(w));
          if (type == PullRequest.class) return adapter(PullRequest::read, (w, v) -> v.write(w));
          if (type == PullResult.class) return adapter(PullResult::read, (w, v) -> v.write(w));
          if (type == PullResponse.class) {
            return adapter(ProtocolJson::readPullResponse, (w, v) -> v.write(w));
          }
          if (type == PatchOperation.class) {
            return adapter(PatchOperation::read, (w, v) -> v.write(w));
          }
          if (type == ErrorResponse.class) {
            return adapter(ProtocolJson::readErrorResponse, (w, v) -> v.write(w));
          }
          return null;
        }
      };

  private static final Moshi MOSHI = new Moshi.Builder().add(FACTORY).build();

  /** A Moshi that knows the wire types. */
  public static Moshi moshi() {
    return MOSHI;
  }

  private static PullResponse readPullResponse(JsonReader reader) throws IOException {
    String path = reader.getPath();
    PullResult result = PullResult.read(reader);
    if (result.error() != null) {
      throw new JsonDataException(
          "Expected a pull response but was " + result.error() + " at " + path);
    }
    return result.response();
  }

  private static ErrorResponse readErrorResponse(JsonReader reader) throws IOException {
    String path = reader.getPath();
    ErrorResponse error = ErrorResponse.readPushResponse(reader);
    if (error == null) throw JsonTokens.missing("error", path);
    return error;
  }

  private interface Reading<T> {
    T read(JsonReader reader) throws IOException;
  }

  private interface Writing<T> {
    void write(JsonWriter writer, T value) throws IOException;
  }

  private static <T> JsonAdapter<T> adapter(Reading<T> reading, Writing<T> writing) {
    return new JsonAdapter<T>() {
      @Override
      public T fromJson(JsonReader reader) throws IOException {
        return reading.read(reader);
      }

      @Override
      public void toJson(JsonWriter writer, T value) throws IOException {
        if (value == null) {
          writer.nullValue();
        } else {
          writing.write(writer, value);
        }
      }
    };
  }
}
