package dev.tandem.server.internal.schema;

import com.squareup.moshi.JsonReader;
import dev.tandem.protocol.Cookie;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import okio.Buffer;

/**
 * The cookie of a client view record, {@code {"order": n, "cvrID": "…"}}: made from a record's
 * order and random ID, and read back from a pull's request.
 */
final class CvrCookie {
  private static final SecureRandom RANDOM = new SecureRandom();

  private CvrCookie() {}

  static Cookie of(long order, String id) {
    return Cookie.parse("{\"order\":" + order + ",\"cvrID\":\"" + id + "\"}");
  }

  /** The request cookie's {order, cvrID} if it has that shape (an integer order), else null. */
  static Object[] parse(Cookie cookie) {
    if (cookie.isNull()) return null;
    try {
      JsonReader reader = JsonReader.of(new Buffer().writeUtf8(cookie.toString()));
      if (reader.peek() != JsonReader.Token.BEGIN_OBJECT) return null;
      Object value = reader.readJsonValue();
      if (!(value instanceof Map)) return null;
      Object order = ((Map<?, ?>) value).get("order");
      Object id = ((Map<?, ?>) value).get("cvrID");
      if (!(order instanceof Double) || !(id instanceof String)) return null;
      double number = (Double) order;
      if (number < 0 || number > 1e15 || number != Math.rint(number)) return null;
      return new Object[] {(long) number, id};
    } catch (IOException e) {
      return null;
    }
  }

  /** A new record's ID: 12 random bytes, URL-safe Base64. */
  static String newID() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
