package dev.tandem.internal;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;

/**
 * Random IDs like the replicache client's: lower-case base 32, 18 characters (90 bits).
 *
 * <p>The random bytes come from the kernel's generator, {@code /dev/urandom}, where there is one
 * (Linux, Android, macOS: what {@code SecureRandom}'s default reads there too), and from {@code
 * SecureRandom} otherwise. Reading the file directly spares a fresh process the loading of the
 * security providers (about 40 ms), which a new database's first pull would otherwise wait for.
 */
public final class Ids {
  private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuv".toCharArray();
  private static final File URANDOM = new File("/dev/urandom");

  /** Made when first needed: only where /dev/urandom cannot be read. */
  private static volatile SecureRandom secure;

  private Ids() {}

  public static String newId() {
    return newId(18);
  }

  public static String newId(int length) {
    byte[] bytes = randomBytes(length);
    char[] id = new char[length];
    // 256 is a multiple of 32: each byte's low five bits are uniform.
    for (int i = 0; i < length; i++) id[i] = ALPHABET[bytes[i] & 31];
    return new String(id);
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    if (URANDOM.canRead()) {
      try (InputStream in = new FileInputStream(URANDOM)) {
        int read = 0;
        while (read < count) {
          int n = in.read(bytes, read, count - read);
          if (n < 0) break;
          read += n;
        }
        if (read == count) return bytes;
      } catch (IOException | SecurityException e) {
        // Fall back below.
      }
    }
    SecureRandom random = secure;
    if (random == null) {
      random = new SecureRandom();
      secure = random;
    }
    random.nextBytes(bytes);
    return bytes;
  }
}
