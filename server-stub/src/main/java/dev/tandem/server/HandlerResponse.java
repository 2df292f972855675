package dev.tandem.server;

import dev.tandem.protocol.ErrorResponse;
import java.nio.charset.StandardCharsets;

/**
 * What a push or pull handler answers: an HTTP status and a JSON body. Mount the handlers in any
 * Java web server by copying both to its response, with {@code Content-Type: application/json}.
 */
public final class HandlerResponse {
  private final int status;
  private final String body;

  HandlerResponse(int status, String body) {
    this.status = status;
    this.body = body;
  }

  public int status() {
    return status;
  }

  /** The JSON body. */
  public String body() {
    return body;
  }

  public byte[] bodyBytes() {
    return body.getBytes(StandardCharsets.UTF_8);
  }

  static HandlerResponse ok(String json) {
    return new HandlerResponse(200, json);
  }

  /** 200 with a protocol error clients read ({@code ClientStateNotFound}, …). */
  static HandlerResponse ok(ErrorResponse error) {
    return ok(ProtocolJsonWriter.write(ErrorResponse.class, error));
  }

  /**
   * A non-200 answer: {@code {"message": …}}. Clients do not parse it; people and logs do. For a
   * server that mounts the handlers and refuses a request itself (a wrong {@code Content-Type}, a
   * timeout), in the same shape as the handlers' own refusals.
   */
  public static HandlerResponse error(int status, String message) {
    return new HandlerResponse(status, "{\"message\":" + quote(message) + "}");
  }

  /**
   * 413 for a body over {@code maxBodyBytes}: {@code {"error":"BodyTooLarge","message":"request
   * body exceeds N bytes","maxBodyBytes":N}}. A status other than 200, so a Replicache client
   * treats it as a failed attempt and does not parse it; a Tandem client reads it.
   */
  public static HandlerResponse bodyTooLarge(long maxBodyBytes) {
    return new HandlerResponse(
        413,
        "{\"error\":\"BodyTooLarge\",\"message\":\"request body exceeds "
            + maxBodyBytes
            + " bytes\",\"maxBodyBytes\":"
            + maxBodyBytes
            + "}");
  }

  private static String quote(String text) {
    StringBuilder json = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') json.append('\\').append(c);
      else if (c < 0x20) json.append(String.format("\\u%04x", (int) c));
      else json.append(c);
    }
    return json.append('"').toString();
  }

  @Override
  public String toString() {
    return status + " " + body;
  }
}
