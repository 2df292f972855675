package dev.tandem.server;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonEncodingException;
import dev.tandem.protocol.ErrorResponse;
import dev.tandem.server.internal.JsonBodies;
import dev.tandem.server.internal.RequestLog;
import java.io.IOException;
import java.io.InputStream;

/**
 * What {@link PushHandler} and {@link PullHandler} check alike before their processor runs: the
 * body read as one request (too large: 413; malformed: 400; both logged as refusals), then the
 * protocol and schema versions (answered 200 with the protocol's error, which clients read).
 */
final class RequestChecks {
  private RequestChecks() {}

  /** A request answered before its processor ran: {@link #response} is the answer. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    final transient HandlerResponse response;

    Refused(HandlerResponse response) {
      super(null, null, false, false);
      this.response = response;
    }
  }

  /**
   * Reads {@code body} as one request of {@code kind} ({@link ErrorResponse#PUSH} or {@link
   * ErrorResponse#PULL}) for {@code userID}.
   *
   * @throws Refused if it is larger than {@code maxBodyBytes}, not JSON, or not such a request.
   */
  static <T> T read(
      String kind, String userID, InputStream body, long maxBodyBytes, JsonBodies.Parser<T> parser)
      throws Refused {
    HandlerResponse refusal;
    try {
      return JsonBodies.parse(body, maxBodyBytes, parser);
    } catch (JsonBodies.BodyTooLarge e) {
      refusal = HandlerResponse.bodyTooLarge(maxBodyBytes);
    } catch (JsonEncodingException | JsonDataException e) {
      refusal = HandlerResponse.error(400, "malformed " + kind + ": " + e.getMessage());
    } catch (IOException e) {
      refusal =
          HandlerResponse.error(400, "malformed or truncated " + kind + " body: " + e.getMessage());
    }
    throw new Refused(RequestLog.refused(kind, userID, refusal));
  }

  /**
   * The answer to a request of {@code kind} in protocol {@code version} (this server speaks {@code
   * spoken}) from a client of {@code schemaVersion}; null if both versions are served.
   */
  static HandlerResponse unsupported(
      String kind, int version, int spoken, SchemaVersions served, String schemaVersion) {
    if (version != spoken) return HandlerResponse.ok(ErrorResponse.versionNotSupported(kind));
    if (!served.supports(schemaVersion)) return HandlerResponse.ok(served.refusal(schemaVersion));
    return null;
  }
}
