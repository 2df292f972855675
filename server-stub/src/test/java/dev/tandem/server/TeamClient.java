package dev.tandem.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.protocol.Cookie;
import dev.tandem.protocol.Mutation;
import dev.tandem.protocol.PatchOperation;
import dev.tandem.protocol.PullResponse;
import dev.tandem.protocol.RawJson;
import dev.tandem.protocol.RefusedMutation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A protocol-level client of one group for handler tests: pushes mutations with consecutive IDs,
 * pulls with its cookie, and keeps the view the patches make (clear, put, del) as a real client
 * does. Not thread-safe.
 */
final class TeamClient {
  final Backend backend;
  final String user;
  final String group;
  final String clientID;
  long nextID = 1;
  Cookie cookie = Cookie.NULL;
  final Map<String, String> view = new TreeMap<>();
  final List<RefusedMutation> refused = new ArrayList<>();
  final List<Mutation> pending = new ArrayList<>();
  PullResponse last;

  /** The {@code schemaVersion} this client pushes with. */
  String schemaVersion = "1";

  TeamClient(Backend backend, String user, String group) {
    this.backend = backend;
    this.user = user;
    this.group = group;
    this.clientID = group + "-c";
  }

  /** Queues a mutation (offline); {@link #push} sends every queued one. */
  TeamClient queue(String name, String argsJson) {
    pending.add(Requests.mutation(clientID, nextID++, name, argsJson.replace('\'', '"')));
    return this;
  }

  /** Pushes every queued mutation; returns the status. */
  int push() {
    HandlerResponse response =
        backend.push(
            user, Requests.body(Requests.pushJson(group, schemaVersion, new ArrayList<>(pending))));
    if (response.status() == 200) pending.clear();
    return response.status();
  }

  /** Queues and pushes one mutation, expecting 200. */
  TeamClient mutate(String name, String argsJson) {
    queue(name, argsJson);
    assertEquals(200, push());
    return this;
  }

  /** Pulls once and applies the patch; returns the response. */
  PullResponse pull() throws Exception {
    PullResponse response =
        Requests.pullResponse(backend.pull(user, Requests.body(Requests.pullJson(group, cookie))));
    apply(response);
    return response;
  }

  void apply(PullResponse response) {
    for (PatchOperation op : response.patch()) {
      switch (op.op()) {
        case CLEAR:
          view.clear();
          break;
        case PUT:
          view.put(op.key(), op.value().toString());
          break;
        default:
          view.remove(op.key());
      }
    }
    refused.addAll(response.refusedMutations());
    cookie = response.cookie();
    last = response;
  }

  /** The keys of the view, in order. */
  List<String> keys() {
    return new ArrayList<>(view.keySet());
  }

  static List<String> keys(String... keys) {
    List<String> sorted = new ArrayList<>(Arrays.asList(keys));
    sorted.sort(null);
    return sorted;
  }

  RawJson value(String key) {
    String json = view.get(key);
    return json == null ? null : RawJson.parse(json);
  }
}
