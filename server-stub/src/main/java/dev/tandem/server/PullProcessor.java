package dev.tandem.server;

import dev.tandem.protocol.Cookie;
import dev.tandem.protocol.ErrorResponse;
import dev.tandem.protocol.PatchOperation;
import dev.tandem.protocol.PullRequest;
import dev.tandem.protocol.PullResponse;
import dev.tandem.protocol.PullResult;
import dev.tandem.server.internal.schema.ClientViewRecords;
import java.util.ArrayList;
import java.util.Collections;
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

  /** The row-version strategy's records, for an app with permissions; else null. */
  private final ClientViewRecords records;

  private final boolean postgres;

  PullProcessor(
      Transactor transactor,
      ClientView view,
      Pokes pokes,
      ClientGc gc,
      ClientViewRecords records,
      Dialect dialect) {
    this.records = records;
    this.postgres = dialect == Dialect.POSTGRES;
    this.transactor = transactor;
    this.view = view;
    this.pokes = pokes;
    this.gc = gc;
  }

  Outcome process(String userID, PullRequest pull) throws Exception {
    Cookie cookie = pull.cookie();
    long since;
    if (records != null) {
      since = 0; // The cookie names a client view record, read below.
    } else if (cookie.isNull()) {
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
    ClientGroups.GroupRow group =
        transactor.read(connection -> ClientGroups.group(connection, groupID));
    long now = gc.now();
    String owner;
    if (group == null) {
      owner =
          transactor.write(
              connection -> {
                ClientGroups.claimGroup(connection, groupID, userID, now);
                return ClientGroups.group(connection, groupID).owner;
              });
      pokes.owner(groupID, owner); // Streams of the group opened by others end.
    } else {
      owner = group.owner;
      if (owner.equals(userID) && gc.stale(group.lastActive, now)) {
        // Rarely (a tenth of the GC age, at most hourly): most pulls write nothing.
        transactor.writeUnlocked(
            connection -> {
              ClientGroups.touchGroup(connection, groupID, now);
              return null;
            });
      }
    }
    if (!owner.equals(userID)) {
      return new Outcome(
          HandlerResponse.error(403, "this client group belongs to another user"), 0, 0);
    }

    if (records != null) return pullRecorded(userID, groupID, cookie);
    return transactor.read(
        connection -> {
          long version = Bookkeeping.version(connection);
          if (since > version) {
            // The client has seen versions this server never reached: the server lost its state.
            return new Outcome(HandlerResponse.ok(ErrorResponse.clientStateNotFound()), version, 0);
          }
          Map<String, Long> lastMutationIDs = Clients.changedSince(connection, groupID, since);
          List<PatchOperation> patch = new ArrayList<>();
          if (since == 0) patch.add(PatchOperation.clear());
          view.changes(connection, since, patch::add);
          return answered(
              new PullResponse(
                  Cookie.of(version),
                  lastMutationIDs,
                  patch,
                  Refusals.refusals(connection, groupID, since)),
              version);
        });
  }

  /**
   * The row-version strategy: the patch against the group's client view record, in a transaction
   * that records the new view (one consistent snapshot with the clients' last mutation IDs).
   */
  private Outcome pullRecorded(String userID, String groupID, Cookie cookie) throws Exception {
    Transactor.Work<Outcome> work =
        connection -> {
          long version =
              postgres ? Bookkeeping.snapshotVersion(connection) : Bookkeeping.version(connection);
          ClientViewRecords.Result result =
              records.pull(
                  connection,
                  groupID,
                  userID,
                  cookie,
                  version,
                  after -> Clients.changedSince(connection, groupID, after));
          // A refusal advances its client's last mutation ID at its version: none without one.
          return answered(
              new PullResponse(
                  result.cookie,
                  result.lastMutationIDChanges,
                  result.patch,
                  result.lastMutationIDChanges.isEmpty()
                      ? Collections.emptyList()
                      : Refusals.refusals(connection, groupID, result.since)),
              version);
        };
    // SQLite: the write lock first, so the snapshot is the latest. Postgres: no push lock, a
    // concurrent pull of the group is caught when it records its view (and retried).
    return postgres ? transactor.writeLocking(work) : transactor.write(work);
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

  /** A pull answered with {@code response}, the patch's size logged. */
  private static Outcome answered(PullResponse response, long version) {
    return new Outcome(
        HandlerResponse.ok(ProtocolJsonWriter.write(PullResult.class, PullResult.of(response))),
        version,
        response.patch().size());
  }
}
