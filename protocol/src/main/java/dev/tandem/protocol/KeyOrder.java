package dev.tandem.protocol;

import java.util.Comparator;

/**
 * The order of keys in Replicache: the order of their UTF-8 bytes, which is also Unicode code point
 * order and SQLite's {@code BINARY} collation of UTF-8 text.
 *
 * <p>{@link String#compareTo} compares UTF-16 code units and disagrees for characters above U+FFFF:
 * it puts {@code "\uD83D\uDE00"} (U+1F600) before {@code "\uFF5E"} (U+FF5E), UTF-8 after. This
 * comparator agrees with UTF-8 without encoding anything.
 */
public final class KeyOrder {
  /** Compares strings by their UTF-8 bytes. Thread-safe. */
  public static final Comparator<String> UTF8 = KeyOrder::compare;

  private KeyOrder() {}

  /** Compares {@code a} and {@code b} by their UTF-8 encodings. */
  public static int compare(String a, String b) {
    int length = Math.min(a.length(), b.length());
    for (int i = 0; i < length; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x == y) continue;
      // Below U+D800 code unit order is code point order. Above it, surrogates (U+D800..U+DFFF,
      // which encode code points above U+FFFF) must sort after U+E000..U+FFFF.
      if (x >= 0xD800 && y >= 0xD800) {
        return fixup(x) - fixup(y);
      }
      return x - y;
    }
    return a.length() - b.length();
  }

  /** Moves surrogates above U+E000..U+FFFF, keeping the order inside each range. */
  private static int fixup(char c) {
    return c >= 0xE000 ? c - 0x800 : c + 0x2000;
  }
}
