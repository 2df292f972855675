package dev.tandem.protocol;

/**
 * Recognizes text that is already exactly what {@link RawJson#read} would write for it: one
 * well-formed JSON value, no insignificant whitespace, strings escaped the way Moshi's writer
 * escapes them, numbers as strict JSON literals. Such text can be kept as it is, without copying it
 * token by token; anything else (including malformed input) answers false and takes the slow path,
 * which compacts it or reports the error.
 */
final class CanonicalJson {
  /** Moshi's reader refuses deeper nesting; the slow path reports it. */
  private static final int MAX_DEPTH = 255;

  private final String text;
  private final int length;
  private int pos;

  private CanonicalJson(String text) {
    this.text = text;
    this.length = text.length();
  }

  static boolean is(String text) {
    CanonicalJson json = new CanonicalJson(text);
    return json.value(0) && json.pos == json.length;
  }

  private boolean value(int depth) {
    if (pos >= length) return false;
    switch (text.charAt(pos)) {
      case '{':
        return object(depth + 1);
      case '[':
        return array(depth + 1);
      case '"':
        return string();
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        return number();
    }
  }

  private boolean object(int depth) {
    if (depth > MAX_DEPTH) return false;
    pos++; // {
    if (next('}')) return true;
    do {
      if (pos >= length || text.charAt(pos) != '"' || !string()) return false;
      if (!next(':') || !value(depth)) return false;
    } while (next(','));
    return next('}');
  }

  private boolean array(int depth) {
    if (depth > MAX_DEPTH) return false;
    pos++; // [
    if (next(']')) return true;
    do {
      if (!value(depth)) return false;
    } while (next(','));
    return next(']');
  }

  private boolean next(char c) {
    if (pos < length && text.charAt(pos) == c) {
      pos++;
      return true;
    }
    return false;
  }

  private boolean literal(String word) {
    if (!text.startsWith(word, pos)) return false;
    pos += word.length();
    return true;
  }

  /** A string whose escapes are exactly the ones Moshi's writer produces. */
  private boolean string() {
    pos++; // "
    while (pos < length) {
      char c = text.charAt(pos++);
      if (c == '"') return true;
      if (c < 0x20 || c == '\u2028' || c == '\u2029') return false; // The writer escapes these.
      if (c != '\\') continue;
      if (pos >= length) return false;
      char e = text.charAt(pos++);
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
          if (!canonicalUnicodeEscape()) return false;
          break;
        default:
          return false; // For example "\/", which the writer writes as "/".
      }
    }
    return false;
  }

  /** After "\\u": four lowercase hex digits of a character the writer escapes that way. */
  private boolean canonicalUnicodeEscape() {
    if (pos + 4 > length) return false;
    int code = 0;
    for (int i = 0; i < 4; i++) {
      char h = text.charAt(pos++);
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
    while (pos < length) {
      char c = text.charAt(pos);
      if (c < '0' || c > '9' || (nonZeroFirst && pos == start && c == '0')) break;
      pos++;
    }
    return pos > start;
  }
}
