package dev.tandem.server;

import dev.tandem.protocol.Cookie;
import dev.tandem.protocol.Mutation;
import dev.tandem.protocol.ProtocolJson;
import dev.tandem.protocol.PullRequest;
import dev.tandem.protocol.PullResponse;
import dev.tandem.protocol.PullResult;
import dev.tandem.protocol.PushRequest;
import dev.tandem.protocol.RawJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Builds request bodies and reads responses for handler tests. */
final class Requests {
  private Requests() {}

  static Mutation mutation(String clientID, long id, String name, String argsJson) {
    return new Mutation(clientID, id, name, RawJson.parse(argsJson), 1000.5 + id);
  }

  static Mutation createMessage(String clientID, long id, String messageID, String content) {
    return mutation(
        clientID,
        id,
        "createMessage",
        "{\"id\":\""
            + messageID
            + "\",\"from\":\"ann\",\"content\":\""
            + content
            + "\",\"order\":"
            + id
            + "}");
  }

  static String pushJson(String groupID, Mutation... mutations) {
    return pushJson(groupID, "1", Arrays.asList(mutations));
  }

  static String pushJson(String groupID, String schemaVersion, List<Mutation> mutations) {
    return ProtocolJson.moshi()
        .adapter(PushRequest.class)
        .toJson(new PushRequest(1, groupID, "profile", schemaVersion, mutations));
  }

  static String pullJson(String groupID, Cookie cookie) {
    return ProtocolJson.moshi()
        .adapter(PullRequest.class)
        .toJson(new PullRequest(1, groupID, "profile", "1", cookie));
  }

  static InputStream body(String json) {
    return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
  }

  static PullResult pullResult(HandlerResponse response) throws IOException {
    if (response.status() != 200) throw new AssertionError("pull answered " + response);
    return ProtocolJson.moshi().adapter(PullResult.class).fromJson(response.body());
  }

  static PullResponse pullResponse(HandlerResponse response) throws IOException {
    PullResult result = pullResult(response);
    if (result.error() != null) throw new AssertionError("pull answered " + result.error());
    return result.response();
  }
}
