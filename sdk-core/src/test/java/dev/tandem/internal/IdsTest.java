package dev.tandem.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {
  @Test
  void idsAreLowerCaseBase32OfTheLengthAskedAndDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    int[] perChar = new int[32];
    for (int i = 0; i < 2000; i++) {
      String id = Ids.newId();
      assertEquals(18, id.length());
      assertTrue(id.matches("[0-9a-v]{18}"), id);
      assertTrue(seen.add(id), "repeated: " + id);
      for (char c : id.toCharArray()) perChar[Character.digit(c, 32)]++;
    }
    assertEquals(8, Ids.newId(8).length());
    // 36 000 characters over 32 symbols: about 1 125 each; every symbol shows up plenty.
    for (int count : perChar) assertTrue(count > 800 && count < 1450, "skewed: " + count);
  }
}
