package dev.tandem;

import java.io.IOException;

/**
 * Supplies the {@code Authorization} header of push and pull requests. Called on a sync thread;
 * asked again with {@code refresh = true} after the server answered 401.
 */
public interface AuthProvider {
  /** The header value (null or empty sends an empty header). */
  String authorization(boolean refresh) throws IOException;

  /** A fixed value, never refreshed. */
  static AuthProvider of(final String authorization) {
    return refresh -> authorization;
  }
}
