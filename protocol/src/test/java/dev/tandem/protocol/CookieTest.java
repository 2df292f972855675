package dev.tandem.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CookieTest {
  private static int signum(Cookie a, Cookie b) {
    return Integer.signum(a.compareTo(b));
  }

  @Test
  void nullIsLowerThanEveryOtherCookie() {
    for (Cookie other :
        new Cookie[] {Cookie.of(0), Cookie.of(-5), Cookie.of(""), Cookie.parse("{\"order\":-1}")}) {
      assertEquals(-1, signum(Cookie.NULL, other), other.toString());
      assertEquals(1, signum(other, Cookie.NULL), other.toString());
    }
    assertEquals(0, signum(Cookie.NULL, Cookie.parse("null")));
  }

  @Test
  void numbersCompareNumerically() {
    assertEquals(-1, signum(Cookie.of(9), Cookie.of(10)));
    assertEquals(-1, signum(Cookie.parse("2.5"), Cookie.of(3)));
    assertEquals(0, signum(Cookie.of(42), Cookie.parse("42")));
  }

  @Test
  void stringsCompareByCodeUnits() {
    assertEquals(-1, signum(Cookie.of("a"), Cookie.of("b")));
    assertEquals(1, signum(Cookie.of("ab"), Cookie.of("a")));
  }

  @Test
  void objectsCompareByOrder() {
    Cookie low = Cookie.parse("{\"order\":2,\"shard\":\"z\"}");
    Cookie high = Cookie.parse("{\"shard\":\"a\",\"order\":10}");
    assertEquals(-1, signum(low, high));
    assertEquals(0, signum(Cookie.parse("{\"order\":\"x\"}"), Cookie.of("x")));
    assertEquals(-1, signum(Cookie.of(3), high));
  }

  @Test
  void mixedNumbersAndStringsCompareAsStringsLikeTheJavaScriptClient() {
    // The hazard PROTOCOL.md warns about: String(10) = "10" sorts before "9".
    assertEquals(-1, signum(Cookie.of(10), Cookie.of("9")));
    assertEquals(1, signum(Cookie.of("9"), Cookie.of(10)));
    assertEquals(0, signum(Cookie.parse("1.50"), Cookie.of("1.5")));
  }

  @Test
  void javaScriptNumberStrings() {
    assertEquals("10", Cookie.jsString(10.0));
    assertEquals("1.5", Cookie.jsString(1.5));
    assertEquals("-0.25", Cookie.jsString(-0.25));
    assertEquals("0", Cookie.jsString(-0.0));
    assertEquals("100000000000000000000", Cookie.jsString(1e20));
    assertEquals("1e+21", Cookie.jsString(1e21));
    assertEquals("1.5e-7", Cookie.jsString(1.5e-7));
    assertEquals("0.000001", Cookie.jsString(1e-6));
    assertEquals("1e-7", Cookie.jsString(1e-7));
  }

  @Test
  void equalityIsTheWholeValueNotTheOrder() {
    Cookie a = Cookie.parse("{\"order\":1,\"v\":\"a\"}");
    Cookie b = Cookie.parse("{\"order\":1,\"v\":\"b\"}");
    assertEquals(0, a.compareTo(b));
    assertNotEquals(a, b);
    assertEquals(a, Cookie.parse("{ \"order\": 1, \"v\": \"a\" }"));
  }

  @Test
  void cookieIsSentBackVerbatim() {
    String json = "{\"order\":7,\"meta\":{\"shards\":[1,2]},\"n\":null}";
    assertEquals(json, Cookie.parse(json).toString());
    assertEquals("12.50", Cookie.parse("12.50").toString());
  }

  @Test
  void invalidCookiesAreRejected() {
    for (String json : new String[] {"true", "[]", "{}", "{\"order\":null}", "{\"order\":[1]}"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Cookie.parse(json), json);
      assertTrue(e.getMessage().contains("$"), e.getMessage());
    }
  }
}
