package dev.tandem.server;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a request's {@code Authorization} header into a user ID, or null to answer 401. Client
 * groups belong to the user that first used them. Implementations must be thread-safe and must
 * never log the token.
 */
@FunctionalInterface
public interface Authenticator {
  /** The user the header names, or null if it is missing, invalid or expired. */
  String userID(String authorization);

  /**
   * Development auth: the header's value is the user ID, and an empty or missing header is the user
   * {@code anonymous} (what the Replicache tutorial client sends).
   */
  static Authenticator dev() {
    return header -> header == null || header.isEmpty() ? "anonymous" : header;
  }

  /**
   * Signed tokens: {@code base64url(userID) "." expiryEpochSeconds "." base64url(HMAC-SHA256)}, an
   * optional {@code Bearer } prefix allowed. Issue them with {@link #hmacToken}.
   */
  static Authenticator hmac(String secret, Clock clock) {
    return header -> {
      if (header == null) return null;
      String token = header.startsWith("Bearer ") ? header.substring(7) : header;
      String[] parts = token.split("\\.", -1);
      if (parts.length != 3) return null;
      long expiry;
      String userID;
      try {
        expiry = Long.parseLong(parts[1]);
        userID = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return null;
      }
      byte[] expected = sign(secret, parts[0] + "." + parts[1]);
      byte[] actual;
      try {
        actual = Base64.getUrlDecoder().decode(parts[2]);
      } catch (IllegalArgumentException e) {
        return null;
      }
      if (!MessageDigest.isEqual(expected, actual)) return null;
      if (clock.instant().getEpochSecond() >= expiry) return null;
      return userID;
    };
  }

  /** A token for {@link #hmac} naming {@code userID}, valid until {@code expiry}. */
  static String hmacToken(String secret, String userID, Instant expiry) {
    String payload =
        Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(userID.getBytes(StandardCharsets.UTF_8))
            + "."
            + expiry.getEpochSecond();
    return payload
        + "."
        + Base64.getUrlEncoder().withoutPadding().encodeToString(sign(secret, payload));
  }

  private static byte[] sign(String secret, String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
