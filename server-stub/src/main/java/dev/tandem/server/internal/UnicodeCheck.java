package dev.tandem.server.internal;

import com.squareup.moshi.JsonEncodingException;
import okio.Buffer;

/**
 * Refuses a request body that is not Unicode text, before it is parsed: bytes that are not
 * well-formed UTF-8 (RFC 3629: no overlong forms, no encoded surrogates, nothing above U+10FFFF),
 * and {@code \\u} escapes of unpaired surrogates in its JSON strings. Left to the parser, the first
 * became U+FFFD and the second {@code ?} when stored: the sender's value, silently changed.
 *
 * <p>One pass over the buffer's segments, without copying. A backslash occurs in well-formed JSON
 * only inside strings, so escapes are found without tracking strings; what is not well-formed JSON
 * is left to the parser to report.
 */
final class UnicodeCheck {
  /** Continuation bytes still expected in the current UTF-8 sequence. */
  private int continuations;

  /** The range the next continuation byte must fall in (narrower after E0, ED, F0, F4). */
  private int low = 0x80;

  private int high = 0xbf;

  /** Escape state: 0 plain, 1 after '\', 2..5 reading the 4 hex digits of a \\u escape. */
  private int escape;

  private int code;

  /** The last escape was a high surrogate: the next thing must be its low half's escape. */
  private boolean highSurrogatePending;

  private long offset;

  private UnicodeCheck() {}

  /** Throws if {@code body} is not UTF-8 text whose JSON strings escape only whole characters. */
  static void check(Buffer body) throws JsonEncodingException {
    UnicodeCheck check = new UnicodeCheck();
    try (Buffer.UnsafeCursor cursor = body.readUnsafe()) {
      for (int n = cursor.seek(0); n != -1; n = cursor.next()) {
        byte[] data = cursor.data;
        for (int i = cursor.start; i < cursor.end; i++) check.next(data[i] & 0xff);
      }
    }
    if (check.continuations > 0) throw check.invalidUtf8();
    if (check.highSurrogatePending) throw check.unpaired("a high surrogate at the end");
  }

  private void next(int b) throws JsonEncodingException {
    if (continuations > 0) {
      if (b < low || b > high) throw invalidUtf8();
      continuations--;
      low = 0x80;
      high = 0xbf;
      offset++;
      return;
    }
    if (b >= 0x80) {
      lead(b);
      if (highSurrogatePending) throw unpaired("a high surrogate followed by text");
      escape = 0;
      offset++;
      return;
    }
    ascii(b);
    offset++;
  }

  /** The first byte of a multi-byte sequence: how many follow, and what the next may be. */
  private void lead(int b) throws JsonEncodingException {
    if (b >= 0xc2 && b <= 0xdf) {
      continuations = 1;
    } else if (b >= 0xe0 && b <= 0xef) {
      continuations = 2;
      if (b == 0xe0) low = 0xa0; // Overlong below U+0800.
      if (b == 0xed) high = 0x9f; // U+D800..U+DFFF, surrogates.
    } else if (b >= 0xf0 && b <= 0xf4) {
      continuations = 3;
      if (b == 0xf0) low = 0x90; // Overlong below U+10000.
      if (b == 0xf4) high = 0x8f; // Above U+10FFFF.
    } else {
      throw invalidUtf8(); // A continuation byte alone, C0, C1, or F5..FF.
    }
  }

  private void ascii(int b) throws JsonEncodingException {
    if (escape == 0) {
      if (b == '\\') {
        escape = 1;
      } else if (highSurrogatePending) {
        throw unpaired("a high surrogate followed by text");
      }
      return;
    }
    if (escape == 1) {
      if (b == 'u') {
        escape = 2;
        code = 0;
      } else {
        escape = 0;
        if (highSurrogatePending) throw unpaired("a high surrogate followed by another escape");
      }
      return;
    }
    int digit = Character.digit(b, 16);
    if (digit < 0) {
      escape = 0; // Not an escape the parser accepts: it reports it.
      return;
    }
    code = code << 4 | digit;
    if (++escape < 6) return;
    escape = 0;
    escaped(code);
  }

  /** A complete {@code \\uXXXX} escape. */
  private void escaped(int code) throws JsonEncodingException {
    boolean highSurrogate = code >= 0xd800 && code <= 0xdbff;
    boolean lowSurrogate = code >= 0xdc00 && code <= 0xdfff;
    if (highSurrogatePending) {
      if (!lowSurrogate) throw unpaired("a high surrogate followed by another escape");
      highSurrogatePending = false;
    } else if (lowSurrogate) {
      throw unpaired("a low surrogate alone");
    } else if (highSurrogate) {
      highSurrogatePending = true;
    }
  }

  private JsonEncodingException invalidUtf8() {
    return new JsonEncodingException("the body is not well-formed UTF-8 at byte " + offset);
  }

  private JsonEncodingException unpaired(String what) {
    return new JsonEncodingException(
        "a \\u escape of an unpaired surrogate ("
            + what
            + ") before byte "
            + (offset + 1)
            + ": JSON strings must hold whole Unicode characters");
  }
}
