package dev.tandem.protocol;

import com.squareup.moshi.JsonWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A successful pull: the new cookie, the last mutation ID the server processed for each client of
 * the group that changed since the request's cookie, and the patch that brings the client view from
 * the request's cookie to the new one. Read it with {@link PullResult#read}, which also recognizes
 * error bodies. Immutable.
 */
public final class PullResponse {
  private final Cookie cookie;
  private final Map<String, Long> lastMutationIDChanges;
  private final List<PatchOperation> patch;
  private final List<RefusedMutation> refusedMutations;

  public PullResponse(
      Cookie cookie, Map<String, Long> lastMutationIDChanges, List<PatchOperation> patch) {
    this(cookie, lastMutationIDChanges, patch, Collections.<RefusedMutation>emptyList());
  }

  /**
   * A response that also names mutations the server refused ({@link RefusedMutation}, a Tandem
   * extension written only when there are some).
   */
  public PullResponse(
      Cookie cookie,
      Map<String, Long> lastMutationIDChanges,
      List<PatchOperation> patch,
      List<RefusedMutation> refusedMutations) {
    if (cookie == null
        || lastMutationIDChanges == null
        || patch == null
        || refusedMutations == null) {
      throw new NullPointerException();
    }
    this.cookie = cookie;
    this.lastMutationIDChanges =
        Collections.unmodifiableMap(new LinkedHashMap<>(lastMutationIDChanges));
    this.patch = Collections.unmodifiableList(new ArrayList<>(patch));
    this.refusedMutations = Collections.unmodifiableList(new ArrayList<>(refusedMutations));
  }

  public Cookie cookie() {
    return cookie;
  }

  /** Client ID to last processed mutation ID, for the clients that changed. Never null. */
  public Map<String, Long> lastMutationIDChanges() {
    return lastMutationIDChanges;
  }

  public List<PatchOperation> patch() {
    return patch;
  }

  /** Mutations of the group's clients the server refused (Tandem extension); never null. */
  public List<RefusedMutation> refusedMutations() {
    return refusedMutations;
  }

  /**
   * Writes all three protocol fields, always: {@code cookie} even when null, and empty collections;
   * {@code refusedMutations} only when there are some.
   */
  public void write(JsonWriter writer) throws IOException {
    writer.beginObject();
    writer.name("cookie");
    cookie.write(writer);
    writer.name("lastMutationIDChanges").beginObject();
    for (Map.Entry<String, Long> change : lastMutationIDChanges.entrySet()) {
      writer.name(change.getKey()).value(change.getValue());
    }
    writer.endObject();
    writer.name("patch").beginArray();
    for (PatchOperation op : patch) op.write(writer);
    writer.endArray();
    if (!refusedMutations.isEmpty()) {
      writer.name("refusedMutations").beginArray();
      for (RefusedMutation refused : refusedMutations) refused.write(writer);
      writer.endArray();
    }
    writer.endObject();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PullResponse)) return false;
    PullResponse other = (PullResponse) o;
    return cookie.equals(other.cookie)
        && lastMutationIDChanges.equals(other.lastMutationIDChanges)
        && patch.equals(other.patch)
        && refusedMutations.equals(other.refusedMutations);
  }

  @Override
  public int hashCode() {
    return (cookie.hashCode() * 31 + lastMutationIDChanges.hashCode()) * 31 + patch.hashCode();
  }

  @Override
  public String toString() {
    return "PullResponse{cookie="
        + cookie
        + ", lastMutationIDChanges="
        + lastMutationIDChanges
        + ", patch="
        + patch.size()
        + " ops}";
  }
}
