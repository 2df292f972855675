package dev.tandem.internal.sync;

import dev.tandem.SyncError;
import java.io.IOException;
import okhttp3.Response;
import okhttp3.ResponseBody;

/** Turns failed requests into {@link SyncError}s. */
final class Failures {
  private static final int EXCERPT = 200;

  private Failures() {}

  /** A non-200 answer to {@code what} ("push", "pull"), with an excerpt of its body. */
  static SyncError http(String what, Response response) {
    int code = response.code();
    SyncError.Kind kind = code == 401 ? SyncError.Kind.AUTH : SyncError.Kind.HTTP;
    return new SyncError(kind, code, what + " answered HTTP " + code, excerpt(response.body()));
  }

  static SyncError network(String what, IOException e) {
    return new SyncError(SyncError.Kind.NETWORK, 0, what + " failed: " + e, null);
  }

  static SyncError protocol(String message) {
    return new SyncError(SyncError.Kind.PROTOCOL, 200, message, null);
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
