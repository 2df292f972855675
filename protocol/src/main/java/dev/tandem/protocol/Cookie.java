package dev.tandem.protocol;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * A pull cookie: {@code null}, a number, a string, or an object with an {@code order} that is a
 * number or a string. The server chooses it; the client stores it and sends it back verbatim.
 *
 * <p>Cookies are ordered the way the {@code replicache} client orders them: {@link #NULL} is lower
 * than every other cookie; otherwise cookies compare by their order value (the cookie itself, or
 * its {@code order} field), numbers numerically and strings by UTF-16 code units. A server must
 * never mix numbers and strings: if it does, both compare as strings (so {@code 10 < "9"}), which
 * is what the JavaScript client does too.
 *
 * <p>{@link #equals} is textual equality of the whole JSON value, which is what decides that a pull
 * response changed nothing. Two different cookies may still compare as 0. Immutable.
 */
public final class Cookie implements Comparable<Cookie> {
  /** The cookie of a client group that has never pulled. */
  public static final Cookie NULL = new Cookie(RawJson.NULL, null);

  private final RawJson json;

  /** A {@link Double} or a {@link String}; null only for {@link #NULL}. */
  private final Object order;

  private Cookie(RawJson json, Object order) {
    this.json = json;
    this.order = order;
  }

  /** A numeric cookie, like the global version of the server stub. */
  public static Cookie of(long version) {
    return new Cookie(RawJson.number(version), (double) version);
  }

  /** A string cookie. */
  public static Cookie of(String value) {
    return new Cookie(RawJson.string(value), value);
  }

  /**
   * A cookie from its JSON text.
   *
   * @throws IllegalArgumentException if {@code json} is not a valid cookie.
   */
  public static Cookie parse(String json) {
    try {
      return fromJson(RawJson.parse(json), "$");
    } catch (JsonDataException | IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** Reads a cookie, rejecting booleans, arrays and objects without a usable {@code order}. */
  public static Cookie read(JsonReader reader) throws IOException {
    String path = reader.getPath();
    JsonReader.Token token = reader.peek();
    switch (token) {
      case NULL:
        reader.nextNull();
        return NULL;
      case STRING:
        return of(reader.nextString());
      case NUMBER:
      case BEGIN_OBJECT:
        return fromJson(RawJson.read(reader), path);
      default:
        throw JsonTokens.expected("a cookie (null, number, string or object)", token, reader);
    }
  }

  private static Cookie fromJson(RawJson json, String path) throws IOException {
    JsonReader reader = json.reader();
    JsonReader.Token token = reader.peek();
    if (token == JsonReader.Token.NULL) return NULL;
    if (token == JsonReader.Token.STRING) return new Cookie(json, reader.nextString());
    if (token == JsonReader.Token.NUMBER) return new Cookie(json, reader.nextDouble());
    if (token != JsonReader.Token.BEGIN_OBJECT) {
      throw new JsonDataException(
          "Expected a cookie (null, number, string or object) but was " + token + " at " + path);
    }
    reader.beginObject();
    Object order = null;
    while (reader.hasNext()) {
      if (!reader.nextName().equals("order")) {
        reader.skipValue();
        continue;
      }
      JsonReader.Token orderToken = reader.peek();
      if (orderToken == JsonReader.Token.NUMBER) {
        order = reader.nextDouble();
      } else if (orderToken == JsonReader.Token.STRING) {
        order = reader.nextString();
      } else {
        throw new JsonDataException(
            "Expected a number or a string but was " + orderToken + " at " + path + ".order");
      }
    }
    if (order == null) throw JsonTokens.missing("order", path);
    return new Cookie(json, order);
  }

  /** Writes the cookie exactly as the server sent it. */
  public void write(JsonWriter writer) throws IOException {
    json.write(writer);
  }

  /** The cookie's JSON text, as the server sent it. */
  public RawJson json() {
    return json;
  }

  public boolean isNull() {
    return order == null;
  }

  @Override
  public int compareTo(Cookie other) {
    if (order == null) return other.order == null ? 0 : -1;
    if (other.order == null) return 1;
    if (order instanceof Double && other.order instanceof Double) {
      return Double.compare((Double) order, (Double) other.order);
    }
    return jsString(order).compareTo(jsString(other.order));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Cookie && ((Cookie) other).json.equals(json);
  }

  @Override
  public int hashCode() {
    return json.hashCode();
  }

  @Override
  public String toString() {
    return json.toString();
  }

  /** JavaScript's {@code String(value)} for the numbers and strings a cookie order can hold. */
  static String jsString(Object value) {
    if (value instanceof String) return (String) value;
    double d = (Double) value;
    if (d == 0) return "0"; // Also -0, as in JavaScript.
    if (Double.isNaN(d)) return "NaN";
    if (Double.isInfinite(d)) return d > 0 ? "Infinity" : "-Infinity";
    BigDecimal decimal = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    double magnitude = Math.abs(d);
    if (magnitude >= 1e-6 && magnitude < 1e21) return decimal.toPlainString();
    // Exponent form, as JavaScript writes it: 1e+21, 1.5e-7.
    String digits = decimal.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - decimal.scale();
    StringBuilder out = new StringBuilder();
    if (d < 0) out.append('-');
    out.append(digits.charAt(0));
    if (digits.length() > 1) out.append('.').append(digits, 1, digits.length());
    out.append('e').append(exponent >= 0 ? "+" : "-").append(Math.abs(exponent));
    return out.toString();
  }
}
