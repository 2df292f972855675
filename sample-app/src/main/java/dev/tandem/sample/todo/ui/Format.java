package dev.tandem.sample.todo.ui;

import dev.tandem.SyncError;
import dev.tandem.SyncStatus;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How the todo sample words its sync status, in the window and in the terminal. */
final class Format {
  private Format() {}

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  /** E.g. {@code online · 2 waiting to sync · last sync 14:03:22}, then the last error if any. */
  static String status(SyncStatus s) {
    return (s.stopped() ? "sync stopped" : s.online() ? "online" : "offline")
        + " · "
        + (s.pendingCount() == 0 ? "all synced" : s.pendingCount() + " waiting to sync")
        + " · last sync "
        + (s.lastSyncMillis() == 0
            ? "never"
            : TIME.format(Instant.ofEpochMilli(s.lastSyncMillis())))
        + (s.lastError() == null ? "" : " · " + error(s.lastError()));
  }

  /** E.g. {@code HTTP 500: the server's words}, {@code NETWORK: connection refused}. */
  static String error(SyncError e) {
    String detail = e.serverMessage() != null ? e.serverMessage() : e.message();
    return e.kind()
        + (e.httpStatus() == 0 ? "" : " " + e.httpStatus())
        + (detail == null || detail.isEmpty() ? "" : ": " + detail);
  }
}
