package dev.tandem.server;

import dev.tandem.protocol.Cookie;
import dev.tandem.protocol.ErrorResponse;
import dev.tandem.protocol.PatchOperation;
import dev.tandem.protocol.PullRequest;
import dev.tandem.protocol.PullResponse;
import dev.tandem.protocol.PullResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers a pull from one consistent snapshot: the cookie is the global version, the patch is every
 * domain change after the request's cookie, and {@code lastMutationIDChanges} lists the group's
 * clients changed after it (PROTOCOL.md, server rule 4).
 */
final class PullProcessor {
  /** What a pull answered, with figures for the log. */
  static final class Outcome {
    final HandlerResponse response;
    final long version;
    final int ops;

    Outcome(HandlerResponse response, long version, int ops) {
      this.response = response;
      this.version = version;
      this.ops = ops;
    }
  }

  private final Transactor transactor;
  private final ClientView view;
  private final Pokes pokes;
  private final ClientGc gc;

  PullProcessor(Transactor transactor, ClientView view, Pokes pokes, ClientGc gc) {
    this.transactor = transactor;
    this.view = view;
    this.pokes = pokes;
    this.gc = gc;
  }

  Outcome process(String userID, PullRequest pull) throws Exception {
    Cookie cookie = pull.cookie();
    long since;
    if (cookie.isNull()) {
      since = 0;
    } else {
      Long version = versionOf(cookie);
      if (version == null) {
        return new Outcome(
            HandlerResponse.error(400, "cookie " + cookie + " was not issued by this server"),
            0,
            0);
      }
      since = version;
    }
    String groupID = pull.clientGroupID();

    // A group belongs to the user that first used it, whether by push or by pull. A forgotten
    // group (client GC) is a new one: claimed again, served from the cookie it sends.
    Bookkeeping.GroupRow group =
        transactor.read(connection -> Bookkeeping.group(connection, groupID));
    long now = gc.now();
    String owner;
    if (group == null) {
      owner =
          transactor.write(
              connection -> {
                Bookkeeping.claimGroup(connection, groupID, userID, now);
                return Bookkeeping.group(connection, groupID).owner;
              });
      pokes.owner(groupID, owner); // Streams of the group opened by others end.
    } else {
      owner = group.owner;
      if (owner.equals(userID) && gc.stale(group.lastActive, now)) {
        // Rarely (a tenth of the GC age, at most hourly): most pulls write nothing.
        transactor.writeUnlocked(
            connection -> {
              Bookkeeping.touchGroup(connection, groupID, now);
              return null;
            });
      }
    }
    if (!owner.equals(userID)) {
      return new Outcome(
          HandlerResponse.error(403, "this client group belongs to another user"), 0, 0);
    }

    return transactor.read(
        connection -> {
          long version = Bookkeeping.version(connection);
          if (since > version) {
            // The client has seen versions this server never reached: the server lost its state.
            return new Outcome(PushProcessor.ok(ErrorResponse.clientStateNotFound()), version, 0);
          }
          Map<String, Long> lastMutationIDs = lastMutationIDChanges(connection, groupID, since);
          List<PatchOperation> patch = new ArrayList<>();
          if (since == 0) patch.add(PatchOperation.clear());
          view.changes(connection, since, patch::add);
          PullResponse response =
              new PullResponse(
                  Cookie.of(version),
                  lastMutationIDs,
                  patch,
                  Bookkeeping.refusals(connection, groupID, since));
          return new Outcome(
              HandlerResponse.ok(
                  ProtocolJsonWriter.write(PullResult.class, PullResult.of(response))),
              version,
              patch.size());
        });
  }

  /** The version a cookie of this server carries, or null if this server did not issue it. */
  private static Long versionOf(Cookie cookie) {
    String text = cookie.toString();
    try {
      long version = Long.parseLong(text);
      return version >= 0 ? version : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Map<String, Long> lastMutationIDChanges(
      Connection connection, String groupID, long since) throws Exception {
    Map<String, Long> changes = new LinkedHashMap<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT id, last_mutation_id FROM replicache_client"
                + " WHERE client_group_id = ? AND version > ?")) {
      statement.setString(1, groupID);
      statement.setLong(2, since);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) changes.put(rows.getString(1), rows.getLong(2));
      }
    }
    return changes;
  }
}
