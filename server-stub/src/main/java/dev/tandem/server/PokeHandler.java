package dev.tandem.server;

import dev.tandem.server.internal.RequestLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /poke} behind {@link Backend#subscribePokes}: authenticates as push and pull do,
 * checks that the group is the user's or not claimed yet, and subscribes the stream to its pokes.
 * Thread-safe.
 */
final class PokeHandler {
  private static final Logger log = LoggerFactory.getLogger("dev.tandem.server.sync");

  private final Authenticator authenticator;
  private final Pokes pokes;
  private final Transactor transactor;

  PokeHandler(Authenticator authenticator, Pokes pokes, Transactor transactor) {
    this.authenticator = authenticator;
    this.pokes = pokes;
    this.transactor = transactor;
  }

  /** See {@link Backend#subscribePokes}. */
  Pokes.Subscription subscribe(
      String authorization, String clientGroupID, Pokes.StreamListener listener) {
    String userID = authenticator.userID(authorization);
    if (userID == null) {
      return Pokes.refused(HandlerResponse.error(401, "missing, invalid or expired token"));
    }
    if (clientGroupID == null || clientGroupID.isEmpty()) {
      return Pokes.refused(
          RequestLog.refused(
              "poke",
              userID,
              HandlerResponse.error(400, "the clientGroupID query parameter is missing")));
    }
    // Subscribed before the owner is read, so a claim in between reaches the subscription.
    Pokes.Subscription subscription = pokes.add(clientGroupID, userID, listener);
    String owner;
    try {
      owner = transactor.read(connection -> ClientGroups.groupOwner(connection, clientGroupID));
    } catch (Exception e) {
      subscription.close();
      log.error("poke stream failed: group={}", clientGroupID, e);
      return Pokes.refused(HandlerResponse.error(500, "poke stream failed (see the server log)"));
    }
    if (owner != null && !owner.equals(userID)) {
      subscription.close();
      return Pokes.refused(
          RequestLog.refused(
              "poke",
              userID,
              HandlerResponse.error(403, "this client group belongs to another user")));
    }
    if (owner != null) pokes.owner(clientGroupID, owner);
    return subscription;
  }
}
