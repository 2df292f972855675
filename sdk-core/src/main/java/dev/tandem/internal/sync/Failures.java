package dev.tandem.internal.sync;

import dev.tandem.SyncError;
import dev.tandem.protocol.ErrorResponse;
import java.io.IOException;
import okhttp3.Response;
import okhttp3.ResponseBody;

/** Turns failed requests into {@link SyncError}s. */
final class Failures {
  private static final int EXCERPT = 200;

  private Failures() {}

  /** A non-200 answer to {@code what} ("push", "pull"), with an excerpt of its body. */
  static SyncError http(String what, Response response) {
    return http(what, response.code(), excerpt(response.body()));
  }

  /** A non-200 answer to {@code what}, with {@code excerpt} of its body (or null). */
  static SyncError http(String what, int code, String excerpt) {
    SyncError.Kind kind = code == 401 ? SyncError.Kind.AUTH : SyncError.Kind.HTTP;
    return new SyncError(kind, code, what + " answered HTTP " + code, excerpt);
  }

  /** The start of a body, trimmed, for {@link SyncError#serverMessage()}; null if empty. */
  static String excerpt(okio.BufferedSource body) {
    try {
      body.request(EXCERPT);
      String text = body.readUtf8(Math.min(EXCERPT, body.getBuffer().size())).trim();
      return text.isEmpty() ? null : text;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  static SyncError network(String what, IOException e) {
    return new SyncError(SyncError.Kind.NETWORK, 0, what + " failed: " + e, null);
  }

  static SyncError protocol(String message) {
    return new SyncError(SyncError.Kind.PROTOCOL, 200, message, null);
  }

  /** True if {@code error} refuses the schema version as newer than the server serves. */
  static boolean serverBehind(ErrorResponse error) {
    return isSchema(error) && ErrorResponse.CLIENT_TOO_NEW.equals(error.reason());
  }

  /**
   * True if {@code error} refuses the schema version as one the server no longer serves (or without
   * saying why): not {@link #serverBehind}.
   */
  static boolean schemaTooOld(ErrorResponse error) {
    return isSchema(error) && !ErrorResponse.CLIENT_TOO_NEW.equals(error.reason());
  }

  private static boolean isSchema(ErrorResponse error) {
    return error.kind() == ErrorResponse.Kind.VERSION_NOT_SUPPORTED
        && ErrorResponse.SCHEMA.equals(error.versionType());
  }

  /** The status error of a {@link #serverBehind} refusal of {@code what} ("push", "pull"). */
  static SyncError serverBehind(String what, ErrorResponse error, String schemaVersion) {
    return new SyncError(
        SyncError.Kind.SERVER_BEHIND,
        200,
        what
            + " refused: the server serves schema versions "
            + range(error)
            + ", and this client's is "
            + schemaVersion
            + " (newer); retrying until the server is updated",
        error.toString());
  }

  private static String range(ErrorResponse error) {
    String min = error.minSchemaVersion() == null ? "?" : error.minSchemaVersion();
    String max = error.maxSchemaVersion() == null ? "?" : error.maxSchemaVersion();
    return min + " to " + max;
  }

  static SyncError local(Throwable e) {
    return new SyncError(SyncError.Kind.LOCAL, 0, e.toString(), null);
  }

  private static String excerpt(ResponseBody body) {
    if (body == null) return null;
    try {
      String text = body.source().readUtf8(Math.min(EXCERPT, Math.max(0, readable(body))));
      text = text.trim();
      return text.isEmpty() ? null : text;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static long readable(ResponseBody body) throws IOException {
    body.source().request(EXCERPT);
    return body.source().getBuffer().size();
  }
}
