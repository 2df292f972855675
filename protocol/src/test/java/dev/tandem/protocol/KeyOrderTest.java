package dev.tandem.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyOrderTest {
  private static int utf8Compare(String a, String b) {
    byte[] x = a.getBytes(StandardCharsets.UTF_8);
    byte[] y = b.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      int c = Integer.compare(x[i] & 0xff, y[i] & 0xff);
      if (c != 0) return c;
    }
    return Integer.compare(x.length, y.length);
  }

  @Test
  void charactersAboveU_FFFFSortAfterTheRestOfTheBasicPlane() {
    String emoji = "k/\uD83D\uDE00"; // U+1F600, four UTF-8 bytes starting F0.
    String fullwidth = "k/\uFF5E"; // U+FF5E, three UTF-8 bytes starting EF.
    assertTrue(emoji.compareTo(fullwidth) < 0, "UTF-16 order puts the emoji first");
    assertTrue(KeyOrder.compare(emoji, fullwidth) > 0, "UTF-8 order puts it last");
    assertTrue(utf8Compare(emoji, fullwidth) > 0);
  }

  @Test
  void sortsAListAsUtf8BytesDo() {
    List<String> keys =
        new ArrayList<>(
            Arrays.asList("b", "a\uD800\uDC00", "a\uFFFF", "a", "a\u00E9", "ab", "\uE000", ""));
    keys.sort(KeyOrder.UTF8);
    assertEquals(
        Arrays.asList("", "a", "ab", "a\u00E9", "a\uFFFF", "a\uD800\uDC00", "b", "\uE000"), keys);
  }

  @Test
  void agreesWithUtf8BytesOnRandomStrings() {
    Random random = new Random(20261123);
    int[] pool = {
      'a', 'z', '/', 0x7F, 0xE9, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFF5E, 0xFFFF, 0x10000, 0x1F600,
      0x10FFFF
    };
    for (int round = 0; round < 20_000; round++) {
      String a = randomString(random, pool);
      String b = randomString(random, pool);
      assertEquals(
          Integer.signum(utf8Compare(a, b)),
          Integer.signum(KeyOrder.compare(a, b)),
          () -> "order of " + a + " and " + b);
    }
  }

  private static String randomString(Random random, int[] pool) {
    StringBuilder s = new StringBuilder();
    int length = random.nextInt(5);
    for (int i = 0; i < length; i++) {
      int codePoint = pool[random.nextInt(pool.length)];
      if (random.nextInt(4) == 0) codePoint = Math.max(0, codePoint - random.nextInt(3));
      if (codePoint >= 0xD800 && codePoint <= 0xDFFF) codePoint = 'x';
      s.appendCodePoint(codePoint);
    }
    return s.toString();
  }
}
