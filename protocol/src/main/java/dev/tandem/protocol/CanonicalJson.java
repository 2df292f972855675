package dev.tandem.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Recognizes text that is already exactly what {@link RawJson#read} would write for it: one
 * well-formed JSON value, no insignificant whitespace, strings escaped the way Moshi's writer
 * escapes them, numbers as strict JSON literals. Such text can be kept as it is, without copying it
 * token by token; anything else (including malformed input) answers false and takes the slow path,
 * which compacts it or reports the error.
 *
 * <p>It reads the value's UTF-8 bytes, before they are decoded: the same answer as for the decoded
 * text, since everything it looks at is ASCII except the two characters the writer escapes beyond
 * the controls, U+2028 and U+2029 (always the bytes {@code E2 80 A8} and {@code E2 80 A9}), and a
 * decoder never takes an ASCII byte into another character, however malformed the bytes around it.
 * A byte array read is one bytecode where {@code String.charAt} is several calls, which counts in a
 * fresh process before the JIT has compiled the loop (a first pull checks every value it reads).
 */
final class CanonicalJson {
  /** Moshi's reader refuses deeper nesting; the slow path reports it. */
  static final int MAX_DEPTH = 255;

  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};

  private byte[] text;
  private int length;
  private int pos;
  private int maxDepth = MAX_DEPTH;

  /**
   * True if the last {@link #end} looked at or past its limit: bytes after it could change the
   * answer (a number or a string that goes on, a literal cut short).
   */
  boolean hitEnd;

  CanonicalJson() {}

  private CanonicalJson(byte[] text) {
    this.text = text;
    this.length = text.length;
  }

  /** For {@code utf8}, the UTF-8 bytes of a value. */
  static boolean is(byte[] utf8) {
    CanonicalJson json = new CanonicalJson(utf8);
    return json.value(0) && json.pos == json.length;
  }

  /**
   * Where the canonical value starting at {@code text[from]} ends (the index after it), or -1 if
   * the bytes from there up to {@code limit} do not start with one. Bytes after the value are not
   * looked at, except that a number's end is only known at the first byte that cannot continue it:
   * see {@link #hitEnd}. Reuses this instance; not thread-safe.
   */
  int end(byte[] text, int from, int limit) {
    return end(text, from, limit, MAX_DEPTH);
  }

  /**
   * {@link #end(byte[], int, int)}, answering -1 for a value nested deeper than {@code maxDepth}.
   */
  int end(byte[] text, int from, int limit, int maxDepth) {
    this.text = text;
    this.length = limit;
    this.pos = from;
    this.hitEnd = false;
    this.maxDepth = maxDepth;
    return value(0) ? pos : -1;
  }

  static boolean is(String text) {
    return is(text.getBytes(StandardCharsets.UTF_8));
  }

  private boolean value(int depth) {
    if (pos >= length) return atEnd();
    switch (text[pos]) {
      case '{':
        return object(depth + 1);
      case '[':
        return array(depth + 1);
      case '"':
        return string();
      case 't':
        return literal(TRUE);
      case 'f':
        return literal(FALSE);
      case 'n':
        return literal(NULL);
      default:
        return number();
    }
  }

  private boolean object(int depth) {
    if (depth > maxDepth) return false;
    pos++; // {
    if (next('}')) return true;
    do {
      if (pos >= length) return atEnd();
      if (text[pos] != '"' || !string()) return false;
      if (!next(':') || !value(depth)) return false;
    } while (next(','));
    return next('}');
  }

  private boolean array(int depth) {
    if (depth > maxDepth) return false;
    pos++; // [
    if (next(']')) return true;
    do {
      if (!value(depth)) return false;
    } while (next(','));
    return next(']');
  }

  private boolean next(char c) {
    if (pos >= length) return atEnd();
    if (text[pos] == c) {
      pos++;
      return true;
    }
    return false;
  }

  /** False, noting that the limit was reached. */
  private boolean atEnd() {
    hitEnd = true;
    return false;
  }

  private boolean literal(byte[] word) {
    if (pos + word.length > length) return atEnd();
    for (int i = 0; i < word.length; i++) {
      if (text[pos + i] != word[i]) return false;
    }
    pos += word.length;
    return true;
  }

  /** A string whose escapes are exactly the ones Moshi's writer produces. */
  private boolean string() {
    byte[] text = this.text;
    int length = this.length;
    int at = pos + 1; // "
    while (at < length) {
      byte b = text[at++];
      if (b == '"') {
        pos = at;
        return true;
      }
      if (b >= 0x20 && b != '\\' && b != (byte) 0xe2) continue; // The common case.
      if (b >= 0 && b < 0x20) return false; // A control character: the writer escapes these.
      if (b == (byte) 0xe2) {
        // U+2028 and U+2029, which the writer escapes, are E2 80 A8 and E2 80 A9.
        if (at + 1 < length && text[at] == (byte) 0x80 && (text[at + 1] & 0xfe) == 0xa8) {
          return false;
        }
        continue;
      }
      if (b < 0) continue; // Another byte of a character beyond ASCII.
      // A backslash.
      if (at >= length) return atEnd();
      byte e = text[at++];
      switch (e) {
        case '"':
        case '\\':
        case 't':
        case 'b':
        case 'n':
        case 'r':
        case 'f':
          break;
        case 'u':
          pos = at;
          if (!canonicalUnicodeEscape()) return false;
          at = pos;
          break;
        default:
          return false; // For example "\/", which the writer writes as "/".
      }
    }
    return atEnd();
  }

  /** After "\\u": four lowercase hex digits of a character the writer escapes that way. */
  private boolean canonicalUnicodeEscape() {
    if (pos + 4 > length) return atEnd();
    int code = 0;
    for (int i = 0; i < 4; i++) {
      byte h = text[pos++];
      int digit;
      if (h >= '0' && h <= '9') digit = h - '0';
      else if (h >= 'a' && h <= 'f') digit = h - 'a' + 10;
      else return false;
      code = code << 4 | digit;
    }
    boolean shortForm =
        code == '\t' || code == '\b' || code == '\n' || code == '\r' || code == '\f';
    return (code < 0x20 && !shortForm) || code == 0x2028 || code == 0x2029;
  }

  /** -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
  private boolean number() {
    next('-');
    if (next('0')) {
      // A single zero: no more integer digits may follow.
    } else if (!digits(true)) {
      return false;
    }
    if (next('.') && !digits(false)) return false;
    if (next('e') || next('E')) {
      if (!next('+')) next('-');
      if (!digits(false)) return false;
    }
    return true;
  }

  private boolean digits(boolean nonZeroFirst) {
    int start = pos;
    while (true) {
      if (pos >= length) {
        hitEnd = true; // More digits may follow.
        break;
      }
      byte c = text[pos];
      if (c < '0' || c > '9' || (nonZeroFirst && pos == start && c == '0')) break;
      pos++;
    }
    return pos > start;
  }
}
