package dev.tandem.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.squareup.moshi.JsonWriter;
import java.io.IOException;
import java.util.Random;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/** {@link PullRequest#firstPullJson} writes exactly what Moshi writes for the same request. */
class FirstPullJsonTest {
  private static byte[] moshi(String group, String profile, String schemaVersion)
      throws IOException {
    Buffer buffer = new Buffer();
    new PullRequest(PullRequest.VERSION, group, profile, schemaVersion, Cookie.NULL)
        .write(JsonWriter.of(buffer));
    return buffer.readByteArray();
  }

  @Test
  void theSameBytesAsMoshiForEveryKindOfCharacter() throws IOException {
    String[] versions = {
      "1",
      "",
      "v\"2\\",
      "\t\b\n\r\f",
      "\u0000\u0001\u001f\u007f",
      "é€\u2027\u2028\u2029\u202a",
      "😀",
      "\ud800",
      "a\udc00b",
      "/",
      "\uffff",
    };
    for (String version : versions) {
      assertArrayEquals(
          moshi("g0", "p0", version), PullRequest.firstPullJson("g0", "p0", version), version);
    }
  }

  /** Random strings of characters from every range Moshi's writer treats apart. */
  @Test
  void theSameBytesAsMoshiForRandomIDsAndVersions() throws IOException {
    String alphabet = "aZ09 \"\\/\t\n\u0001\u001f\u007f\u00e9\u2028\u2029\u20ac\ud83d\ude00\ud800";
    Random random = new Random(7);
    for (int i = 0; i < 2_000; i++) {
      String[] parts = new String[3];
      for (int p = 0; p < 3; p++) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(8);
        for (int c = 0; c < length; c++) {
          text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        parts[p] = text.toString();
      }
      assertArrayEquals(
          moshi(parts[0], parts[1], parts[2]),
          PullRequest.firstPullJson(parts[0], parts[1], parts[2]),
          String.join(" | ", parts));
    }
  }
}
