package dev.tandem;

import java.io.IOException;

/**
 * Supplies the {@code Authorization} header of push, pull and poke requests. Called on a sync
 * thread before each request, so it may block (to refresh a token, say); asked again with {@code
 * refresh = true} after the server answered 401.
 *
 * <pre>{@code
 * Tandem.builder().auth(refresh -> "Bearer " + (refresh ? tokens.refresh() : tokens.current()));
 * }</pre>
 */
public interface AuthProvider {
  /**
   * The header value (null or empty sends an empty header).
   *
   * @param refresh true if the server refused the last value with 401.
   * @throws IOException to fail this request as a network failure ({@link SyncError.Kind#NETWORK});
   *     it is retried after a backoff.
   */
  String authorization(boolean refresh) throws IOException;

  /** A provider of the fixed value {@code authorization}, never refreshed. */
  static AuthProvider of(final String authorization) {
    return refresh -> authorization;
  }
}
