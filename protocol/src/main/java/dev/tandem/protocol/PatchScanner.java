package dev.tandem.protocol;

import com.squareup.moshi.JsonEncodingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import okio.Buffer;
import okio.BufferedSource;

/**
 * Reads the operations of a pull response's {@code patch} array in one pass over their bytes, for
 * the shape servers send: {@code {"op":"put","key":"…","value":…}} with plain member names, a key
 * without escapes and a value already canonical ({@link CanonicalJson}, checked in the same pass
 * that finds the value's end). Each value's text is kept as it is, as {@link RawJson#read} keeps a
 * canonical value, without Moshi's {@code nextSource} copying it out first.
 *
 * <p>It reads from the {@link BufferedSource} a Moshi {@code JsonReader} was made on, right after
 * that reader's {@code beginArray()} of the patch (the reader then holds no byte it has not
 * consumed), and stops before the array's {@code ]} or at the start of the first operation it does
 * not take: anything else (other member names or spellings, an escaped key, a value to compact, a
 * missing or duplicated field, an unknown op, malformed or truncated JSON). Whatever it has not
 * consumed goes back to the front of the source's buffer, so the reader goes on from there exactly
 * as if it had read the operations before: {@link PatchOperation#read} takes the rest, with its
 * checks and errors (whose paths count from that operation: {@link PullResult} adds the ones taken
 * here). The only errors thrown here are between operations: a missing comma, or a comma before the
 * {@code ]}, which the reader (now at the start of an array) would not see.
 *
 * <p>Not thread-safe: one per patch.
 */
final class PatchScanner {
  private static final int WINDOW = 64 * 1024;

  /**
   * How deep another member's value may nest to be skipped here. The reader skips such a value with
   * its own stack, which also holds the document, the body, the patch and the operation, and
   * refuses more than 256 scopes: a deeper value is left to it, to skip or refuse.
   */
  private static final int SKIPPED_MAX_DEPTH = 200;

  /** Thrown when a step needs bytes past the window: refill and start the step again. */
  private static final class NeedMore extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this; // Control flow, thrown from one shared instance: no stack trace (API 21).
    }
  }

  private static final NeedMore NEED_MORE = new NeedMore();

  private final BufferedSource source;
  private final CanonicalJson canonical = new CanonicalJson();
  private byte[] window = new byte[WINDOW];

  /** The first byte not yet consumed; everything before it is taken. */
  private int start;

  private int end;
  private boolean exhausted;

  /** The operation {@link #operation} read. */
  private PatchOperation read;

  private PatchScanner(BufferedSource source) {
    this.source = source;
  }

  /**
   * Hands {@code handler} the patch's operations from {@code source}, where a reader has just begun
   * the patch array, as far as it takes them; returns how many it handed. The source is left before
   * the array's end or at the first operation not taken (see the class comment).
   */
  static int read(BufferedSource source, PullResult.PatchHandler handler) throws IOException {
    PatchScanner scanner = new PatchScanner(source);
    try {
      return scanner.run(handler);
    } finally {
      scanner.giveBack();
    }
  }

  private int run(PullResult.PatchHandler handler) throws IOException {
    int count = 0;
    while (true) {
      // At an operation (after the '[' or a ','), whitespace first.
      int p;
      int after;
      while (true) {
        try {
          p = whitespace(start);
          byte c = at(p);
          if (c == ']') {
            if (count > 0) throw malformed("Expected a value but was ']'", count);
            start = p;
            return count;
          }
          after = c == '{' ? operation(p) : -1;
          break;
        } catch (NeedMore e) {
          if (!fill()) return count; // Truncated: the reader reports it.
        }
      }
      if (after < 0) {
        start = p; // Not taken: the reader reads it.
        return count;
      }
      handler.handle(read);
      count++;
      start = after;
      // Between operations.
      while (true) {
        try {
          p = whitespace(start);
          byte c = at(p);
          if (c == ']') {
            start = p;
            return count;
          }
          if (c != ',') throw malformed("Expected ',' or ']' after an operation", count);
          start = p + 1;
          break;
        } catch (NeedMore e) {
          if (!fill()) return count;
        }
      }
    }
  }

  private static JsonEncodingException malformed(String what, int index) {
    return new JsonEncodingException(what + " at path $.patch[" + index + "]");
  }

  /**
   * Reads the operation whose '{' is at {@code p} into {@link #read}: the index after its '}', or
   * -1 if it is not the plain shape this takes.
   */
  private int operation(int p) {
    PatchOperation.Op op = null;
    String key = null;
    RawJson value = null;
    int seen = 0;
    p = whitespace(p + 1);
    if (at(p) != '"') return -1;
    while (true) {
      // A member name: '"' at p.
      int field;
      if (at(p + 1) == 'o' && at(p + 2) == 'p' && at(p + 3) == '"') {
        field = 1;
        p += 4;
      } else if (at(p + 1) == 'k' && at(p + 2) == 'e' && at(p + 3) == 'y' && at(p + 4) == '"') {
        field = 2;
        p += 5;
      } else if (at(p + 1) == 'v'
          && at(p + 2) == 'a'
          && at(p + 3) == 'l'
          && at(p + 4) == 'u'
          && at(p + 5) == 'e'
          && at(p + 6) == '"') {
        field = 4;
        p += 7;
      } else {
        field = 0;
        p = plainString(p);
        if (p < 0) return -1;
      }
      if ((seen & field) != 0) return -1; // Twice: the reader keeps the last.
      seen |= field;
      p = whitespace(p);
      if (at(p) != ':') return -1;
      p = whitespace(p + 1);
      switch (field) {
        case 1:
          if (at(p) != '"') return -1;
          if (at(p + 1) == 'p' && at(p + 2) == 'u' && at(p + 3) == 't' && at(p + 4) == '"') {
            op = PatchOperation.Op.PUT;
            p += 5;
          } else if (at(p + 1) == 'd' && at(p + 2) == 'e' && at(p + 3) == 'l' && at(p + 4) == '"') {
            op = PatchOperation.Op.DEL;
            p += 5;
          } else if (at(p + 1) == 'c'
              && at(p + 2) == 'l'
              && at(p + 3) == 'e'
              && at(p + 4) == 'a'
              && at(p + 5) == 'r'
              && at(p + 6) == '"') {
            op = PatchOperation.Op.CLEAR;
            p += 7;
          } else {
            return -1;
          }
          break;
        case 2:
          {
            int close = plainString(p);
            if (close < 0) return -1;
            key = new String(window, p + 1, close - p - 2, StandardCharsets.UTF_8);
            p = close;
            break;
          }
        case 4:
          {
            int close = value(p);
            if (close < 0) return -1;
            value =
                close - p == 4 && window[p] == 'n'
                    ? RawJson.NULL
                    : RawJson.canonical(new String(window, p, close - p, StandardCharsets.UTF_8));
            p = close;
            break;
          }
        default:
          {
            // Another member: skipped, as the reader skips it, when its value is canonical.
            int close = value(p, SKIPPED_MAX_DEPTH);
            if (close < 0) return -1;
            p = close;
          }
      }
      p = whitespace(p);
      byte c = at(p);
      if (c == '}') break;
      if (c != ',') return -1;
      p = whitespace(p + 1);
      if (at(p) != '"') return -1;
    }
    PatchOperation result = PatchOperation.of(op, key, value);
    if (result == null) return -1; // A field missing: the reader says which.
    read = result;
    return p + 1;
  }

  /**
   * The index after a string at {@code p} (its '"') with no escape and no control character, or -1
   * for another string or no string.
   */
  private int plainString(int p) {
    if (at(p) != '"') return -1;
    byte[] window = this.window; // A plain loop: it runs before the JIT has compiled much.
    int end = this.end;
    for (int i = p + 1; i < end; i++) {
      byte b = window[i];
      if (b == '"') return i + 1;
      if (b == '\\' || (b >= 0 && b < 0x20)) return -1;
    }
    throw NEED_MORE;
  }

  /** The index after a canonical value at {@code p}, or -1 for anything else. */
  private int value(int p) {
    return value(p, CanonicalJson.MAX_DEPTH);
  }

  /** {@link #value(int)}, -1 for a value nested deeper than {@code maxDepth}. */
  private int value(int p, int maxDepth) {
    int close = canonical.end(window, p, end, maxDepth);
    if (canonical.hitEnd && !exhausted) throw NEED_MORE;
    return close;
  }

  private int whitespace(int p) {
    byte[] window = this.window;
    int end = this.end;
    for (; p < end; p++) {
      byte b = window[p];
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') return p;
    }
    throw NEED_MORE;
  }

  private byte at(int p) {
    if (p >= end) throw NEED_MORE;
    return window[p];
  }

  /**
   * Moves what is not yet consumed to the window's start and reads more after it; false if the
   * source has no more.
   */
  private boolean fill() throws IOException {
    if (exhausted) return false;
    int kept = end - start;
    if (kept == window.length) {
      window = java.util.Arrays.copyOf(window, window.length * 2); // One operation, larger.
    } else if (start > 0) {
      System.arraycopy(window, start, window, 0, kept);
    }
    start = 0;
    end = kept;
    while (end < window.length) {
      int n = source.read(window, end, window.length - end);
      if (n < 0) {
        exhausted = true;
        break;
      }
      end += n;
    }
    return end > kept;
  }

  /** Puts what was read but not consumed back in front of the source's buffer. */
  private void giveBack() {
    if (end == start) return;
    Buffer buffer = source.getBuffer();
    Buffer rest = new Buffer();
    rest.write(window, start, end - start);
    try {
      rest.writeAll(buffer);
      buffer.writeAll(rest);
    } catch (IOException e) {
      throw new AssertionError(e); // A Buffer does not throw.
    }
  }
}
