package dev.tandem.server;

import dev.tandem.protocol.ErrorResponse;
import dev.tandem.protocol.PullRequest;
import dev.tandem.server.internal.RequestLog;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /pull} behind {@link Backend#pull}: authenticates, reads and checks the body, runs
 * the {@link PullProcessor}, and logs one line. Thread-safe.
 */
final class PullHandler {
  private static final Logger log = LoggerFactory.getLogger("dev.tandem.server.sync");

  private final Authenticator authenticator;
  private final SchemaVersions schemaVersions;
  private final long maxBodyBytes;
  private final PullProcessor pulls;

  PullHandler(
      Authenticator authenticator,
      SchemaVersions schemaVersions,
      long maxBodyBytes,
      PullProcessor pulls) {
    this.authenticator = authenticator;
    this.schemaVersions = schemaVersions;
    this.maxBodyBytes = maxBodyBytes;
    this.pulls = pulls;
  }

  /** Handles a pull begun at {@code start} ({@link System#nanoTime}). */
  HandlerResponse handle(String authorization, InputStream body, long start) {
    String userID = authenticator.userID(authorization);
    if (userID == null) return HandlerResponse.error(401, "missing, invalid or expired token");
    PullRequest pull;
    try {
      pull = RequestChecks.read(ErrorResponse.PULL, userID, body, maxBodyBytes, PullRequest::read);
    } catch (RequestChecks.Refused e) {
      return e.response;
    }
    long version = 0;
    int ops = 0;
    HandlerResponse response =
        RequestChecks.unsupported(
            ErrorResponse.PULL,
            pull.pullVersion(),
            PullRequest.VERSION,
            schemaVersions,
            pull.schemaVersion());
    if (response == null) {
      try {
        PullProcessor.Outcome outcome = pulls.process(userID, pull);
        response = outcome.response;
        version = outcome.version;
        ops = outcome.ops;
      } catch (Exception e) {
        log.error("pull failed: group={}", pull.clientGroupID(), e);
        response = HandlerResponse.error(500, "pull failed (see the server log)");
      }
    }
    if (log.isInfoEnabled())
      log.info(
          "pull request={} group={} user={} cookie={} version={} ops={} status={} ms={}",
          RequestLog.requestID(),
          pull.clientGroupID(),
          userID,
          pull.cookie(),
          version,
          ops,
          response.status(),
          RequestLog.millisSince(start));
    return response;
  }
}
