package dev.tandem.server;

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

  /** A non-200 answer: {@code {"message": …}}. Clients do not parse it; people and logs do. */
  static HandlerResponse error(int status, String message) {
    StringBuilder json = new StringBuilder("{\"message\":\"");
    for (char c : message.toCharArray()) {
      if (c == '"' || c == '\\') json.append('\\').append(c);
      else if (c < 0x20) json.append(String.format("\\u%04x", (int) c));
      else json.append(c);
    }
    return new HandlerResponse(status, json.append("\"}").toString());
  }

  @Override
  public String toString() {
    return status + " " + body;
  }
}
