package dev.tandem.internal.rebase;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SameJsonTest {
  @Test
  void membersInAnotherOrderAreTheSameValue() {
    assertTrue(
        SameJson.same(
            "{\"a\":1,\"b\":[1,{\"c\":null,\"d\":true}]}",
            "{\"b\":[1,{\"d\":true,\"c\":null}],\"a\":1}"));
    assertTrue(SameJson.same("\"x\"", "\"x\""));
    assertTrue(SameJson.same(null, null));
  }

  @Test
  void anythingElseIsNot() {
    assertFalse(SameJson.same("[1,2]", "[2,1]"), "arrays are ordered");
    assertFalse(SameJson.same("{\"a\":1}", "{\"a\":2}"));
    assertFalse(SameJson.same("1", "1.0"), "numbers by their text");
    assertFalse(SameJson.same("{\"a\":10}", "{\"a\":1e1}"));
    assertFalse(SameJson.same("9007199254740993", "9007199254740992"), "no rounding to doubles");
    assertFalse(SameJson.same("{\"a\":\"1\"}", "{\"a\":1 }"), "a string is not a number");
    assertFalse(SameJson.same("{\"a\":1,\"a\":2}", "{\"a\":2,\"a\":1}"), "repeated names: never");
    assertFalse(SameJson.same("{\"a\":null}", "{\"b\":null}"));
    assertFalse(SameJson.same("{\"a\":true}", "{\"a\":\"t\"}"));
    assertFalse(SameJson.same("{\"a\":1}", null));
    assertFalse(SameJson.same("{\"a\":1,", "{\"b\":1,"), "malformed");
    assertFalse(SameJson.same("[1] [", "[ [1]"));
    assertFalse(SameJson.same("{\"a\":1}x", "x{\"a\":1}"), "trailing text");
  }
}
