package dev.tandem.server.internal;

import dev.tandem.server.Backend;
import dev.tandem.server.HandlerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The request ID a push's, pull's or poke stream's log lines carry (the client's {@code
 * X-Replicache-RequestID}, or the one in SLF4J's {@code MDC}), and the WARN line of a request
 * refused before it reached the database.
 */
public final class RequestLog {
  private static final Logger log = LoggerFactory.getLogger("dev.tandem.server.sync");

  /** The request ID of the push or pull this thread handles (slf4j-simple keeps no MDC). */
  private static final ThreadLocal<String> REQUEST = new ThreadLocal<>();

  private RequestLog() {}

  /** Makes {@code requestID} this thread's; returns the one it replaces, for {@link #exit}. */
  public static String enter(String requestID) {
    String previous = REQUEST.get();
    REQUEST.set(requestID);
    return previous;
  }

  /** Gives this thread back the request ID {@link #enter} replaced. */
  public static void exit(String previous) {
    REQUEST.set(previous);
  }

  /**
   * The request ID of the request this thread handles, or else the value under {@link
   * Backend#REQUEST_ID} in SLF4J's {@code MDC}, made safe for a log line; {@code -} if neither.
   */
  public static String requestID() {
    String id = REQUEST.get();
    if (id == null) id = MDC.get(Backend.REQUEST_ID);
    return HttpRoutes.safeRequestID(id);
  }

  /** Logs a request refused before it reached the database, at WARN, and returns the answer. */
  public static HandlerResponse refused(String kind, String userID, HandlerResponse answer) {
    log.warn(
        "{} refused: request={} user={} status={} {}",
        kind,
        requestID(),
        userID,
        answer.status(),
        answer.body());
    return answer;
  }

  /** Milliseconds since {@code start} ({@link System#nanoTime}), two decimals. */
  public static String millisSince(long start) {
    return String.format("%.2f", (System.nanoTime() - start) / 1e6);
  }
}
