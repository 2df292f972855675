package dev.tandem.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server is safe by default (issue 11, item 2): loopback, and dev auth only there. */
class SafeDefaultsTest {
  @TempDir Path directory;

  @Test
  void theServerListensOnLoopbackOnlyByDefault() throws Exception {
    InetAddress external = externalAddress();
    assumeTrue(external != null, "this machine has no non-loopback IPv4 address");
    try (Database database = TestDatabases.sqlite(directory);
        TandemServer server =
            TandemServer.start(
                ChatDomain.install(Backend.builder()).database(database).build(), 0, 1024)) {
      try (Socket loopback = connect(InetAddress.getLoopbackAddress(), server.port())) {
        assertTrue(loopback.isConnected());
      }
      assertThrows(IOException.class, () -> connect(external, server.port()).close());
    }
  }

  @Test
  void theStandaloneServerDefaultsToLoopback() {
    assertEquals("127.0.0.1", Main.Options.parse().host);
    assertEquals("0.0.0.0", Main.Options.parse("--host", "0.0.0.0", "--auth", "hmac:k").host);
  }

  @Test
  void devAuthOnANetworkAddressIsRefusedWithAClearMessage() {
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> Main.Options.parse("--host", "0.0.0.0"));

    assertTrue(refused.getMessage().contains("--auth dev"), refused.getMessage());
    assertTrue(refused.getMessage().contains("--allow-dev-auth-on-network"), refused.getMessage());
  }

  @Test
  void devAuthOnANetworkAddressNeedsAnExplicitFlag() {
    Main.Options options = Main.Options.parse("--host", "0.0.0.0", "--allow-dev-auth-on-network");

    assertEquals("0.0.0.0", options.host);
    assertEquals("dev", options.authMode);
  }

  @Test
  void devAuthOnAnotherLoopbackNameIsFine() {
    assertEquals("localhost", Main.Options.parse("--host", "localhost").host);
    assertEquals("::1", Main.Options.parse("--host", "::1").host);
  }

  static Socket connect(InetAddress address, int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(address, port), 2_000);
    return socket;
  }

  /** An IPv4 address of this machine other than loopback, or null. */
  static InetAddress externalAddress() throws IOException {
    for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!network.isUp() || network.isLoopback()) continue;
      for (InetAddress address : Collections.list(network.getInetAddresses())) {
        if (address instanceof Inet4Address && !address.isLoopbackAddress()) return address;
      }
    }
    return null;
  }

  @Test
  void clientsAreForgottenOnlyWhenAskedAndAfterAClearAge() {
    assertEquals(null, Main.Options.parse().forgetClientsAfter);
    assertEquals(
        java.time.Duration.ofDays(30),
        Main.Options.parse("--forget-clients-after", "30d").forgetClientsAfter);
    assertEquals(
        java.time.Duration.ofHours(12),
        Main.Options.parse("--forget-clients-after", "12h").forgetClientsAfter);
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () -> Main.Options.parse("--forget-clients-after", "30"));
    assertTrue(bad.getMessage().contains("say 30d"), bad.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> Main.Options.parse("--forget-clients-after", "0d"));
  }
}
