package dev.tandem.server;

import dev.tandem.protocol.ErrorResponse;
import dev.tandem.protocol.Mutation;
import dev.tandem.protocol.PushRequest;
import dev.tandem.server.internal.RequestLog;
import dev.tandem.server.internal.schema.ClientViewRecords;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /push} behind {@link Backend#push}: authenticates, reads and checks the body, runs
 * the {@link PushProcessor}, pokes the groups whose view the push may have changed, and logs one
 * line. Thread-safe.
 */
final class PushHandler {
  private static final Logger log = LoggerFactory.getLogger("dev.tandem.server.sync");

  private final Authenticator authenticator;
  private final SchemaVersions schemaVersions;
  private final long maxBodyBytes;
  private final PushProcessor pushes;
  private final Metrics metrics;
  private final Pokes pokes;
  private final Transactor transactor;

  /** The row-version strategy's records, for an app with permissions; else null. */
  private final ClientViewRecords records;

  PushHandler(
      Authenticator authenticator,
      SchemaVersions schemaVersions,
      long maxBodyBytes,
      PushProcessor pushes,
      Metrics metrics,
      Pokes pokes,
      Transactor transactor,
      ClientViewRecords records) {
    this.authenticator = authenticator;
    this.schemaVersions = schemaVersions;
    this.maxBodyBytes = maxBodyBytes;
    this.pushes = pushes;
    this.metrics = metrics;
    this.pokes = pokes;
    this.transactor = transactor;
    this.records = records;
  }

  /** Handles a push begun at {@code start} ({@link System#nanoTime}). */
  HandlerResponse handle(String authorization, InputStream body, long start) {
    String userID = authenticator.userID(authorization);
    if (userID == null) return HandlerResponse.error(401, "missing, invalid or expired token");
    PushRequest push;
    try {
      push = RequestChecks.read(ErrorResponse.PUSH, userID, body, maxBodyBytes, PushRequest::read);
    } catch (RequestChecks.Refused e) {
      return e.response;
    }
    String badID = badMutationID(push);
    if (badID != null) return RequestLog.refused("push", userID, HandlerResponse.error(400, badID));
    int processed = 0;
    int failed = 0;
    long version = 0;
    HandlerResponse response =
        RequestChecks.unsupported(
            ErrorResponse.PUSH,
            push.pushVersion(),
            PushRequest.VERSION,
            schemaVersions,
            push.schemaVersion());
    if (response == null) {
      try {
        PushProcessor.Outcome outcome = pushes.process(userID, push);
        response = outcome.response;
        processed = outcome.processed;
        failed = outcome.failed;
        version = outcome.version;
        if (version != 0) metrics.mutations(processed, failed);
        if (version != 0) pokes.poke(version, fanOut(push.clientGroupID(), version));
      } catch (Exception e) {
        log.error("push failed: group={}", push.clientGroupID(), e);
        response =
            HandlerResponse.error(500, "push failed; nothing was applied (see the server log)");
      }
    }
    if (log.isInfoEnabled())
      log.info(
          "push request={} group={} user={} mutations={} processed={} failed={} version={}"
              + " status={} ms={}",
          RequestLog.requestID(),
          push.clientGroupID(),
          userID,
          push.mutations().size(),
          processed,
          failed,
          version,
          response.status(),
          RequestLog.millisSince(start));
    return response;
  }

  /**
   * The groups the push at {@code version} pokes. The global version: every group (a commit changes
   * every group's view). With permissions: the pushing group, and those whose view it may have
   * changed ({@link ClientViewRecords#groupsChangedAt}), computed only when a stream is open.
   */
  private Pokes.FanOut fanOut(String groupID, long version) {
    if (records == null || !pokes.hasStreams()) return Pokes.FanOut.everyGroup();
    try {
      Set<String> groups = transactor.read(c -> records.groupsChangedAt(c, version));
      if (groups == null) return Pokes.FanOut.everyGroup();
      groups.add(groupID);
      return Pokes.FanOut.groups(groups);
    } catch (Exception e) {
      log.warn("poke fan-out of version {} failed; poking every group", version, e);
      return Pokes.FanOut.everyGroup();
    }
  }

  /**
   * Why a mutation ID of {@code push} is not one any client sends (they count 1, 2, 3 …), or null.
   * Left to the push rules, an ID of 0 or less would read as a resend: skipped, answered 200, and
   * the group claimed.
   */
  private static String badMutationID(PushRequest push) {
    List<Mutation> mutations = push.mutations();
    for (int i = 0; i < mutations.size(); i++) {
      long id = mutations.get(i).id();
      if (id < 1) {
        return "malformed push: mutation IDs start at 1, but $.mutations[" + i + "].id is " + id;
      }
    }
    return null;
  }
}
