package dev.tandem.internal;

import java.security.SecureRandom;

/** Random IDs like the replicache client's: lower-case base 32, 18 characters (90 bits). */
public final class Ids {
  private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuv".toCharArray();
  private static final SecureRandom random = new SecureRandom();

  private Ids() {}

  public static String newId() {
    return newId(18);
  }

  public static String newId(int length) {
    char[] id = new char[length];
    for (int i = 0; i < length; i++) id[i] = ALPHABET[random.nextInt(32)];
    return new String(id);
  }
}
