package dev.tandem.server;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonEncodingException;
import dev.tandem.protocol.ErrorResponse;
import dev.tandem.protocol.PullRequest;
import dev.tandem.server.internal.JsonBodies;
import dev.tandem.server.internal.RequestLog;
import java.io.IOException;
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
      pull = JsonBodies.parse(body, maxBodyBytes, PullRequest::read);
    } catch (JsonBodies.BodyTooLarge e) {
      return RequestLog.refused("pull", userID, HandlerResponse.bodyTooLarge(maxBodyBytes));
    } catch (JsonEncodingException | JsonDataException e) {
      return RequestLog.refused(
          "pull", userID, HandlerResponse.error(400, "malformed pull: " + e.getMessage()));
    } catch (IOException e) {
      return RequestLog.refused(
          "pull",
          userID,
          HandlerResponse.error(400, "malformed or truncated pull body: " + e.getMessage()));
    }
    HandlerResponse response;
    long version = 0;
    int ops = 0;
    if (pull.pullVersion() != PullRequest.VERSION) {
      response = PushProcessor.ok(ErrorResponse.versionNotSupported(ErrorResponse.PULL));
    } else if (!schemaVersions.supports(pull.schemaVersion())) {
      response = PushProcessor.ok(schemaVersions.refusal(pull.schemaVersion()));
    } else {
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
