package dev.tandem.internal.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Collections;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** The default OkHttp client: cleartext only when every URL is plain http (no TLS set-up). */
class HttpDefaultClientTest {
  @Test
  void plainHttpUrlsGetACleartextClient() throws Exception {
    OkHttpClient client =
        run(Http.defaultClient(Arrays.asList("http://127.0.0.1:1/api/pull", "HTTP://h/poke")));
    assertEquals(Collections.singletonList(ConnectionSpec.CLEARTEXT), client.connectionSpecs());
  }

  @Test
  void anyHttpsUrlGetsOkHttpsDefaults() throws Exception {
    OkHttpClient client =
        run(Http.defaultClient(Arrays.asList("http://h/api/pull", "https://h/api/poke")));
    assertTrue(client.connectionSpecs().stream().anyMatch(ConnectionSpec::isTls));
    assertEquals(new OkHttpClient().connectionSpecs(), client.connectionSpecs());
  }

  @Test
  void theClientIsMadeOnceWhicheverThreadAsksFirst() throws Exception {
    java.util.concurrent.FutureTask<OkHttpClient> task =
        Http.defaultClient(Collections.singletonList("http://h/pull"));
    Thread thread = new Thread(task);
    thread.start();
    Http http = new Http(null, task, "c", "s");
    OkHttpClient first = http.client();
    thread.join();
    assertTrue(first == task.get());
    assertTrue(first == http.client());
  }

  private static OkHttpClient run(java.util.concurrent.FutureTask<OkHttpClient> task)
      throws Exception {
    task.run();
    return task.get();
  }
}
