package dev.tandem.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The client's request ID goes into log lines as it is, or made harmless. */
class RequestIdTest {
  @Test
  void aReplicacheRequestIdIsKeptAsItIs() {
    assertEquals("c1a2-5f3e9b-17", HttpRoutes.safeRequestID("c1a2-5f3e9b-17"));
  }

  @Test
  void spacesQuotesAndLineBreaksCannotForgeALogLine() {
    assertEquals(
        "x_status_200_push_request_evil",
        HttpRoutes.safeRequestID("x status=200\npush request=evil"));
  }

  @Test
  void aMissingOrHugeIdIsBounded() {
    assertEquals("-", HttpRoutes.safeRequestID(null));
    assertEquals("-", HttpRoutes.safeRequestID(""));
    assertEquals(128, HttpRoutes.safeRequestID("a".repeat(1000)).length());
  }
}
